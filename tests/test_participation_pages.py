"""Participation pages as staff and students use them: the table, grading, the gradebook."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from coursehub.audit.models import AuditEvent
from coursehub.blogs import services as blogs
from coursehub.extensions import db
from coursehub.participation import services as credit
from coursehub.participation.models import ParticipationOverride
from tests import factories
from tests.sql import count_statements

DUE = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
BEFORE = DUE - timedelta(days=1)
LATE = DUE + timedelta(hours=1)
COMMENTS_DUE = DUE + timedelta(days=2)
WORDS = "one two three four five six"  # 6 words
LONGER = "one two three four five six seven eight"  # 8 words
SHORT = "too short"  # 2 words
COMMENT = "this is a fair point"  # 5 words

# --- Reading pages -------------------------------------------------------------------------


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Role changes, deletions and moderation are audited too; these tests are about overrides.
OVERRIDE_EVENTS = AuditEvent.action.startswith("override.")


def count_audited() -> int:
    """Override events in the audit log."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(OVERRIDE_EVENTS))


def html(response) -> str:
    return response.get_data(as_text=True)


def text(markup: str) -> str:
    """What a reader sees: no tags, entities decoded, whitespace collapsed."""
    inline = re.sub(r"</?(?:a|time|strong|span|em)\b[^>]*>", "", markup)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


class Tables(HTMLParser):
    """Every <table> of a page: rows of cells, each cell its text and its links."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tables: list[list[list[dict]]] = []
        self._cell: dict | None = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = {"text": "", "links": []}
            self.tables[-1][-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(dict(attrs)["href"])
        elif tag == "br" and self._cell is not None:
            self._cell["text"] += " "

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._cell["text"] = " ".join(self._cell["text"].split())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def rows(markup: str, table: int = 0) -> list[list[str]]:
    """The text of each cell of a table, header row first."""
    return [[cell["text"] for cell in row] for row in Tables(markup).tables[table]]


def links(markup: str, table: int = 0) -> list[list[list[str]]]:
    return [[cell["links"] for cell in row] for row in Tables(markup).tables[table]]


def names(markup: str) -> list[str]:
    """The student column of the participation table, top to bottom."""
    return [row[0] for row in rows(markup)[1:]]


# --- Data ----------------------------------------------------------------------------------


def write(author, assignment, body=WORDS, at=BEFORE, publish=True):
    post = blogs.create_post(
        author, assignment, f"Post by {author.display_name}", body, [], publish, at
    )
    db.session.commit()
    return post


def say(author, post, body=COMMENT, at=BEFORE):
    comment = blogs.add_comment(author, post, body, None, at)
    db.session.commit()
    return comment


@pytest.fixture
def browser(app):
    """A separate signed-in browser per person."""

    def signed_in(username: str):
        client = app.test_client()
        client.sign_in(username)
        return client

    return signed_in


@pytest.fixture
def tara(course):
    return factories.member(course, "tara", "student", display_name="Tara Third")


@pytest.fixture
def uma(course):
    return factories.member(course, "uma", "student", display_name="Uma Unposted")


@pytest.fixture
def blog(chapter):
    """10 post points (20% off when late), 5 for comments on 2 classmates' posts."""
    return factories.assignment(
        chapter, title="Blog A", topic_ids=(), opens_at=DUE - timedelta(days=7), due_at=DUE,
        comments_due_at=COMMENTS_DUE, min_words=5, required_comments=2, comment_min_words=3,
        post_points=10, comment_points=5, late_penalty_percent=20,
    )  # fmt: skip


@pytest.fixture
def second_blog(chapter):
    return factories.assignment(
        chapter, title="Blog B", topic_ids=(), opens_at=DUE - timedelta(days=7), due_at=DUE,
        min_words=5, required_comments=1, comment_min_words=3, post_points=4, comment_points=2,
    )  # fmt: skip


@pytest.fixture
def scenario(blog, instructor, student, other_student, tara, uma):
    """Four students, every column different, so each sort has one right order.

    | student | post           | words | comments | total             |
    | Omar    | late (8 pts)   | 6     | 1 / 2    | 10.5              |
    | Sofia   | on time        | 8     | 2 / 2    | 15                |
    | Tara    | short          | 2     | 0 / 2    | 4 (override of 0) |
    | Uma     | none           | —     | 3 / 2    | 5                 |

    Tara's comments each fail a different rule: too few words, after comments were
    due, on her own post, deleted.
    """
    sofia_post = write(student, blog, body=LONGER)
    omar_post = write(other_student, blog, at=LATE)
    tara_post = write(tara, blog, body=SHORT)
    say(student, omar_post)
    say(student, tara_post)
    say(other_student, sofia_post)
    short = say(tara, sofia_post, body=SHORT)
    after = say(tara, omar_post, at=COMMENTS_DUE + timedelta(minutes=1))
    own = say(tara, tara_post)
    deleted = say(tara, sofia_post, body="I take this comment back entirely")
    blogs.delete_comment(deleted, tara, BEFORE)
    for post in (sofia_post, omar_post, tara_post):
        say(uma, post)
    credit.set_override(instructor, blog, tara.id, 4, "Posted on paper in class", LATE)
    db.session.commit()
    return {
        "sofia": sofia_post,
        "omar": omar_post,
        "tara": tara_post,
        "short": short,
        "after": after,
        "own": own,
        "deleted": deleted,
    }


def table_url(assignment, **args) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/assignments/{assignment.id}/participation" + (f"?{query}" if query else "")


def grade_url(assignment, person) -> str:
    return f"/assignments/{assignment.id}/participation/{person.id}"


# --- The assignment's participation table --------------------------------------------------


@pytest.mark.parametrize("staff", ["ines", "tomas"])
def test_table_shows_each_students_numbers(browser, scenario, blog, ta, staff):
    page = html(browser(staff).get(table_url(blog)))

    assert rows(page) == [
        ["Student ▲", "Post", "Words", "Comments", "Post pts", "Comment pts", "Total", "Override"],
        ["Omar Other", "Published Late", "6", "1 / 2", "8", "2.5", "10.5", ""],
        ["Sofia Student", "Published", "8", "2 / 2", "10", "5", "15", ""],
        ["Tara Third", "Published", "2 short", "0 / 2", "0", "0", "4", "4 (computed 0)"],
        ["Uma Unposted", "Missing", "—", "3 / 2", "0", "5", "5", ""],
    ]
    assert 'title="Posted on paper in class"' in page
    assert "1 of 4 students have met every requirement" in text(page)


def test_table_links_each_post_and_each_grading_view(browser, scenario, blog, student, uma):
    page = html(browser("ines").get(table_url(blog)))

    omar, sofia, tara, unposted = links(page)[1:]
    assert sofia[0] == [grade_url(blog, student)] and sofia[1] == [f"/posts/{scenario['sofia'].id}"]
    assert omar[1] == [f"/posts/{scenario['omar'].id}"]
    assert tara[1] == [f"/posts/{scenario['tara'].id}"]
    assert unposted[0] == [grade_url(blog, uma)] and unposted[1] == []


def test_a_draft_shows_as_a_draft_without_a_link(browser, blog, student):
    draft = write(student, blog, publish=False)

    page = html(browser("ines").get(table_url(blog)))

    assert rows(page)[1][:4] == ["Sofia Student", "Draft", "6", "0 / 2"]
    assert f"/posts/{draft.id}" not in page


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("name", ["Omar Other", "Sofia Student", "Tara Third", "Uma Unposted"]),
        ("words", ["Uma Unposted", "Tara Third", "Omar Other", "Sofia Student"]),
        ("comments", ["Tara Third", "Omar Other", "Sofia Student", "Uma Unposted"]),
        ("total", ["Tara Third", "Uma Unposted", "Omar Other", "Sofia Student"]),
    ],
)
def test_sorting_reorders_the_rows(browser, scenario, blog, sort, ascending):
    staff = browser("ines")

    up = html(staff.get(table_url(blog, sort=sort, dir="asc")))
    down = html(staff.get(table_url(blog, sort=sort, dir="desc")))

    assert names(up) == ascending
    assert names(down) == ascending[::-1]
    # The header of the sorted column says so, and links to the other direction.
    assert 'aria-sort="ascending"' in up and 'aria-sort="descending"' in down
    assert f"sort={sort}&amp;dir=desc" in up and f"sort={sort}&amp;dir=asc" in down


def test_an_unknown_sort_falls_back_to_names(browser, scenario, blog):
    page = html(browser("ines").get(table_url(blog, sort="password", dir="sideways")))

    assert names(page) == ["Omar Other", "Sofia Student", "Tara Third", "Uma Unposted"]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("missing", ["Tara Third", "Uma Unposted"]),
        ("short", ["Omar Other", "Tara Third"]),
        ("late", ["Omar Other"]),
        ("nonsense", ["Omar Other", "Sofia Student", "Tara Third", "Uma Unposted"]),
    ],
)
def test_filters_show_the_right_students(browser, scenario, blog, name, shown):
    page = html(browser("ines").get(table_url(blog, filter=name)))

    assert names(page) == shown
    assert "All (4)" in text(page)


def test_filters_keep_the_sort(browser, scenario, blog):
    page = html(browser("ines").get(table_url(blog, sort="total", dir="desc", filter="short")))

    assert names(page) == ["Omar Other", "Tara Third"]
    # Sorting again keeps the filter; filtering again keeps the sort.
    assert f"{table_url(blog)}?sort=words&amp;dir=asc&amp;filter=short" in page
    assert f"{table_url(blog)}?sort=total&amp;dir=desc&amp;filter=late" in page


def test_a_filter_nobody_matches_says_so(browser, blog, student):
    write(student, blog)

    page = html(browser("ines").get(table_url(blog, filter="late")))

    assert "No students match." in page


# --- The grading view --------------------------------------------------------------------


def test_grading_view_shows_the_post_and_the_rule_checks(
    browser, scenario, blog, ta, other_student
):
    page = html(browser("tomas").get(grade_url(blog, other_student)))
    seen = text(page)

    assert "<h1>Omar Other</h1>" in page
    assert f'href="/posts/{scenario["omar"].id}"' in page
    assert "Post by Omar Other" in seen and "one two three four five six" in seen
    assert "6 words (minimum 5)" in seen
    assert "Late (20% off)" in seen
    assert "Comments on 1 of 2 required classmates' posts" in seen
    assert "Post 8 Comments 2.5 Total 10.5 / 15" in seen


def test_grading_view_gives_the_reason_each_comment_does_not_count(browser, scenario, blog, tara):
    page = html(browser("ines").get(grade_url(blog, tara)))
    checks = comment_checks(page)

    assert "Comments by Tara Third (4)" in text(page)
    assert [check.split(" · ")[2:] for check in checks] == [
        ["2 words", "does not count: 2 words, 3 needed"],
        ["5 words", "does not count: on their own post"],
        ["6 words", "does not count: deleted"],
        ["5 words", "does not count: after comments were due"],
    ]
    assert text(page).count("This comment was deleted.") == 1
    assert f'href="/posts/{scenario["sofia"].id}#comment-{scenario["short"].id}"' in page
    assert "I take this comment back" not in page


def test_grading_view_marks_the_comments_that_count(browser, scenario, blog, uma):
    page = html(browser("ines").get(grade_url(blog, uma)))
    checks = comment_checks(page)

    assert [check.split(" · ")[2:] for check in checks] == [["5 words", "counts"]] * 3
    assert "No post" in text(page) and "No post yet." in text(page)


def comment_checks(markup: str) -> list[str]:
    """The line above each comment on the grading view: post, time, words, verdict."""
    return [
        text(meta) for meta in re.findall(r'<article.*?<p class="meta">(.*?)</p>', markup, re.S)
    ]


def test_grading_view_links_the_previous_and_next_student(
    browser, scenario, blog, student, other_student, tara, uma
):
    staff = browser("ines")

    first = html(staff.get(grade_url(blog, other_student)))
    middle = html(staff.get(grade_url(blog, student)))
    last = html(staff.get(grade_url(blog, uma)))

    assert "Grading 1 of 4" in first and 'rel="prev"' not in first
    assert f'href="{grade_url(blog, student)}" rel="next"' in first
    assert "Grading 2 of 4" in middle
    assert f'href="{grade_url(blog, other_student)}" rel="prev"' in middle
    assert f'href="{grade_url(blog, tara)}" rel="next"' in middle
    assert "Grading 4 of 4" in last and 'rel="next"' not in last


def test_grading_view_of_someone_not_a_student_is_404(browser, blog, student, ta, outsider):
    staff = browser("ines")

    assert staff.get(grade_url(blog, ta)).status_code == 404
    assert staff.get(grade_url(blog, outsider)).status_code == 404
    assert staff.get(f"/assignments/{blog.id}/participation/999999").status_code == 404


def test_override_form_sets_the_total_and_records_it(browser, scenario, blog, student):
    staff = browser("ines")

    response = staff.submit(grade_url(blog, student), {"points": "12.5", "reason": "Extra work"})

    assert response.status_code == 302
    assert response.headers["Location"] == grade_url(blog, student)
    saved = db.session.scalar(
        select(ParticipationOverride).where(ParticipationOverride.student_id == student.id)
    )
    assert (saved.points, saved.reason) == (12.5, "Extra work")
    page = html(staff.get(grade_url(blog, student)))
    assert "Sofia Student&#39;s total is now 12.5." in page
    assert "Overridden: 12.5 instead of the computed 15. Reason: “Extra work”" in text(page)
    assert 'name="points" required step="any" type="number" value="12.5"' in page
    table = rows(html(staff.get(table_url(blog))))
    assert table[2][6:] == ["12.5", "12.5 (computed 15)"]


def test_the_override_form_shows_whole_points_as_written(browser, scenario, blog, tara):
    page = html(browser("ines").get(grade_url(blog, tara)))

    assert 'name="points" required step="any" type="number" value="4"' in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"points": "", "reason": "x"}, "Enter the points as a number."),
        ({"points": "abc", "reason": "x"}, "Enter the points as a number."),
        ({"points": "-1", "reason": "x"}, "Points must be between 0 and 30: up to twice"),
        ({"points": "30.5", "reason": "x"}, "Points must be between 0 and 30: up to twice"),
        ({"points": "5", "reason": ""}, "Say why."),
        ({"points": "5", "reason": "   "}, "Say why the total is overridden."),
        ({"points": "5", "reason": "r" * 501}, "Field cannot be longer than 500 characters."),
    ],
)
def test_bad_override_input_shows_a_message_and_stores_nothing(
    browser, scenario, blog, tara, form, message
):
    before = (count(ParticipationOverride), count_audited())

    response = browser("ines").submit(grade_url(blog, tara), form)

    assert response.status_code == 200
    assert message in text(html(response))
    assert 'aria-invalid="true"' in html(response)
    assert (count(ParticipationOverride), count_audited()) == before
    kept = db.session.scalar(
        select(ParticipationOverride).where(ParticipationOverride.student_id == tara.id)
    )
    assert (kept.points, kept.reason) == (4, "Posted on paper in class")


def test_override_without_the_csrf_token_stores_nothing(browser, blog, student):
    staff = browser("ines")

    response = staff.post(grade_url(blog, student), data={"points": "5", "reason": "x"})

    assert response.status_code in (200, 400)
    assert count(ParticipationOverride) == 0


def test_override_history_says_who_when_before_and_after(browser, blog, ta, student):
    staff = browser("ines")
    staff.submit(grade_url(blog, student), {"points": "7", "reason": "Ill for a week"})
    browser("tomas").submit(grade_url(blog, student), {"points": "9", "reason": "Doctor's note"})

    page = html(staff.get(grade_url(blog, student)))
    listed = page.split('<h3 class="spaced">History</h3>', 1)[1].split("</ul>", 1)[0]
    history = [text(item) for item in re.findall(r"<li>.*?</li>", listed, re.S)]

    events = db.session.scalars(
        select(AuditEvent).where(OVERRIDE_EVENTS).order_by(AuditEvent.id)
    ).all()
    stamps = [f"{e.at:%a %-d %b %Y, %H:%M} UTC" for e in events]
    assert history == [
        f"{stamps[1]}: Tomas Assistant set 9 (was 7): “Doctor's note”",
        f"{stamps[0]}: Ines Instructor set 7: “Ill for a week”",
    ]


def test_history_belongs_to_the_student_and_assignment(
    browser, blog, second_blog, instructor, student, other_student
):
    credit.set_override(instructor, blog, other_student.id, 3, "Omar's", LATE)
    credit.set_override(instructor, second_blog, student.id, 3, "Other blog", LATE)
    db.session.commit()

    page = html(browser("ines").get(grade_url(blog, student)))

    assert "<h3>History</h3>" not in page
    assert "Omar&#39;s" not in page and "Other blog" not in page


def test_clearing_the_override_restores_the_computed_total(browser, scenario, blog, tara):
    staff = browser("ines")

    response = staff.submit(f"{grade_url(blog, tara)}/clear")

    assert response.status_code == 302
    assert response.headers["Location"] == grade_url(blog, tara)
    assert count(ParticipationOverride) == 0
    page = html(staff.get(grade_url(blog, tara)))
    assert "Override removed; the computed total applies again." in page
    assert "Remove the override" not in page and "Overridden:" not in page
    assert "removed the override of 4" in text(page)
    assert rows(html(staff.get(table_url(blog))))[3][6:] == ["0", ""]


def test_the_remove_button_appears_only_with_an_override(browser, scenario, blog, tara, student):
    staff = browser("ines")

    assert "Remove the override" in html(staff.get(grade_url(blog, tara)))
    assert "Remove the override" not in html(staff.get(grade_url(blog, student)))


def test_grading_view_flags_a_post_edited_after_the_due_time(browser, blog, student):
    post = write(student, blog)
    blogs.update_post(post, post.title, f"{WORDS} and a late afterthought", [], True, LATE)
    db.session.commit()

    page = html(browser("ines").get(grade_url(blog, student)))

    assert "Edited after the due time" in page
    assert "On time" in text(page)


def test_names_and_reasons_are_shown_as_text_never_as_markup(browser, course, blog, instructor):
    person = factories.member(course, "mallory", "student", display_name="<b>Mal</b>")
    credit.set_override(instructor, blog, person.id, 1, '<img src=x onerror="alert(1)">', LATE)
    db.session.commit()
    staff = browser("ines")

    pages = [
        html(staff.get(table_url(blog))),
        html(staff.get(grade_url(blog, person))),
        html(staff.get(f"/courses/{course.id}/gradebook")),
        html(
            staff.submit(
                grade_url(blog, person),
                {"points": "2", "reason": "<i>why</i>"},
                follow_redirects=True,
            )
        ),
    ]

    for page in pages:
        assert "<b>Mal</b>" not in page and "&lt;b&gt;Mal&lt;/b&gt;" in page
        assert "<img src=x" not in page and "<i>why</i>" not in page
    assert "&lt;i&gt;why&lt;/i&gt;" in pages[3]


# --- The course gradebook ----------------------------------------------------------------


@pytest.fixture
def both(scenario, second_blog, student, tara, uma):
    """Blog B: Sofia on time (4) with a comment on Tara's post (2); Tara late (0);
    Uma's comment on Sofia's post (2)."""
    sofia_b = write(student, second_blog)
    tara_b = write(tara, second_blog, at=LATE)
    say(student, tara_b)
    say(uma, sofia_b)
    return scenario


def test_gradebook_shows_students_by_assignments_with_totals(browser, both, course, ta):
    page = html(browser("tomas").get(f"/courses/{course.id}/gradebook"))

    assert rows(page) == [
        ["Student", "Blog A of 15", "Blog B of 6", "Total of 21"],
        ["Omar Other", "10.5", "0", "10.5"],
        ["Sofia Student", "15", "6", "21"],
        ["Tara Third", "4*", "0", "4"],
        ["Uma Unposted", "5", "2", "7"],
    ]
    assert 'title="Overridden: Posted on paper in class"' in page
    assert "Tara Third, Blog A: 4 points, set by an override" in page
    assert "Set by an override instead of the computed points" in page, "the * is explained"


def test_gradebook_pages_students_and_charts_count_them_all(browser, both, course, ta, monkeypatch):
    monkeypatch.setattr("coursehub.participation.views.GRADEBOOK_PAGE_SIZE", 3)
    staff = browser("tomas")
    url = f"/courses/{course.id}/gradebook"

    first = html(staff.get(url))
    assert [row[0] for row in rows(first)[1:]] == ["Omar Other", "Sofia Student", "Tara Third"]
    assert "Students 1–3 of 4" in first
    assert f'href="{url}?page=2" rel="next">Next students' in first
    assert 'rel="prev"' not in first
    # The chart of who met every requirement still counts the whole class.
    assert rows(first, 1)[1] == ["Blog A", "1", "4"]

    for page in (html(staff.get(f"{url}?page=2")), html(staff.get(f"{url}?page=9"))):
        assert rows(page)[1:] == [["Uma Unposted", "5", "2", "7"]]
        assert "Students 4–4 of 4" in page
        assert f'href="{url}?page=1" rel="prev">Previous students' in page
        assert 'rel="next"' not in page


def test_gradebook_totals_equal_each_assignments_table(browser, both, course, blog, second_blog):
    staff = browser("ines")
    book = rows(html(staff.get(f"/courses/{course.id}/gradebook")))

    for column, assignment in enumerate((blog, second_blog), start=1):
        table = rows(html(staff.get(table_url(assignment))))[1:]
        gradebook_column = [(row[0], row[column].rstrip("*")) for row in book[1:]]
        assert [(row[0], row[6]) for row in table] == gradebook_column


def test_gradebook_links_each_cell_to_its_grading_view(browser, both, course, blog, student):
    page = html(browser("ines").get(f"/courses/{course.id}/gradebook"))

    header, *_ = links(page)
    assert header[1] == [table_url(blog)]
    sofia = links(page)[2]
    assert sofia[1] == [grade_url(blog, student)]


def test_gradebook_charts_have_text_alternatives(browser, both, course):
    page = html(browser("ines").get(f"/courses/{course.id}/gradebook"))

    [svg] = re.findall(r'<svg class="chart"[^>]*>', page)
    assert 'role="img"' in svg and 'aria-labelledby="activity-heading"' in svg
    assert '<ul class="met-bars" aria-labelledby="met-heading">' in page
    meters = re.findall(r'<meter min="0" max="4" value="1" aria-labelledby="(met-\d+)">', page)
    assert len(meters) == 2 and all(f'id="{label}"' in page for label in meters)
    # The charts' data, as tables (the gradebook itself is table 0).
    assert rows(page, 1) == [
        ["Assignment", "Met", "Students"],
        ["Blog A", "1", "4"],
        ["Blog B", "1", "4"],
    ]
    activity = rows(page, 2)
    assert activity[0] == ["Day (UTC)", "Posts", "Comments"]
    assert activity[1:] == [
        ["2026-03-09", "3", "10"],
        ["2026-03-10", "2", "0"],
        ["2026-03-12", "0", "1"],
    ]


def test_a_long_assignment_title_is_whole_on_the_chart(browser, both, course, second_blog):
    second_blog.title = "Blog B: What did you sense today, and why did it surprise you?"
    db.session.commit()
    page = html(browser("ines").get(f"/courses/{course.id}/gradebook"))
    labels = re.findall(r'<span class="met-label" id="met-\d+">([^<]*)</span>', page)
    assert labels[1] == second_blog.title


def test_gradebook_offers_both_downloads(browser, both, course):
    staff = browser("ines")
    page = html(staff.get(f"/courses/{course.id}/gradebook"))

    for fmt in ("canvas", "moodle"):
        url = f"/courses/{course.id}/gradebook.csv?format={fmt}"
        assert f'href="{url}" download' in page
        response = staff.get(url)
        assert response.status_code == 200
        assert response.content_type == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"].startswith("attachment;")


def test_gradebook_without_assignments_says_how_to_start(browser, course, student):
    page = html(browser("ines").get(f"/courses/{course.id}/gradebook"))

    assert "No blog assignments yet." in page
    assert '<svg class="chart"' not in page


def test_an_unknown_download_format_is_400(browser, course):
    response = browser("ines").get(f"/courses/{course.id}/gradebook.csv?format=xlsx")

    assert response.status_code == 400
    assert "Choose format=canvas or format=moodle" in html(response)


def test_staff_pages_cost_the_same_statements_for_any_class_size(
    browser, course, blog, instructor, student, other_student
):
    staff = browser("ines")
    omar_post = write(other_student, blog)
    say(student, omar_post)
    urls = [
        table_url(blog),
        grade_url(blog, student),
        f"/courses/{course.id}/gradebook",
        f"/courses/{course.id}/gradebook.csv",
    ]
    small = [count_statements(lambda url=url: staff.get(url)) for url in urls]
    for n in range(12):
        person = factories.member(course, f"extra{n}", "student")
        say(student, write(person, blog))
        say(person, omar_post)
        credit.set_override(instructor, blog, person.id, 3, "Extra", LATE)
        db.session.commit()
    large = [count_statements(lambda url=url: staff.get(url)) for url in urls]

    assert small == large
    assert min(small) > 0


# --- Student progress ----------------------------------------------------------------------

# Deadlines still ahead, whatever day the tests run (the others above have passed).
AHEAD = datetime(2099, 3, 10, 17, 0, tzinfo=UTC)


@pytest.fixture
def upcoming(chapter):
    """Blog A's rules, with the post due in 2099 and comments two days later."""
    return factories.assignment(
        chapter, title="Blog ahead", topic_ids=(), opens_at=DUE - timedelta(days=7),
        due_at=AHEAD, comments_due_at=AHEAD + timedelta(days=2), min_words=5,
        required_comments=2, comment_min_words=3, post_points=10, comment_points=5,
        late_penalty_percent=20,
    )  # fmt: skip


def progress(markup: str) -> str:
    return text(markup.split('<ul class="steps">', 1)[1].split("</p>", 1)[0])


def test_progress_before_anything_is_written(browser, upcoming, student):
    page = html(browser("sofia").get(f"/assignments/{upcoming.id}"))

    assert progress(page) == (
        "Publish a post of at least 5 words by Tue 10 Mar 2099, 17:00 UTC. "
        "Comment on 2 more classmates' posts (at least 3 words each) by "
        "Thu 12 Mar 2099, 17:00 UTC. Points so far: 0 of 15."
    )


def test_progress_without_a_comment_length_reads_plainly(browser, chapter, student):
    assignment = factories.assignment(
        chapter, topic_ids=(), due_at=AHEAD, comments_due_at=AHEAD + timedelta(days=2),
        min_words=300, comment_min_words=0,
    )  # fmt: skip

    seen = text(html(browser("sofia").get(f"/assignments/{assignment.id}")))

    assert "Publish a post of at least 300 words by Tue 10 Mar 2099, 17:00 UTC." in seen
    assert "Comment on 2 more classmates' posts by Thu 12 Mar 2099, 17:00 UTC." in seen


def test_progress_counts_down_and_shows_points_so_far(browser, upcoming, student, other_student):
    write(student, upcoming)
    say(student, write(other_student, upcoming))

    page = html(browser("sofia").get(f"/assignments/{upcoming.id}"))

    assert progress(page) == (
        "Your post counts: 10 of 10 points. "
        "Comment on 1 more classmate's post (at least 3 words each) by "
        "Thu 12 Mar 2099, 17:00 UTC. Points so far: 12.5 of 15."
    )


def test_progress_when_everything_is_done(browser, upcoming, student, other_student, tara):
    write(student, upcoming)
    say(student, write(other_student, upcoming))
    say(student, write(tara, upcoming))

    page = html(browser("sofia").get(f"/assignments/{upcoming.id}"))

    assert progress(page) == (
        "Your post counts: 10 of 10 points. Your comments count: 5 of 5 points. "
        "Points so far: 15 of 15."
    )


def test_progress_of_a_draft_and_of_a_short_post(browser, upcoming, student):
    post = write(student, upcoming, publish=False)
    sofia = browser("sofia")
    draft = progress(html(sofia.get(f"/assignments/{upcoming.id}")))
    blogs.update_post(post, post.title, SHORT, [], True, BEFORE)
    db.session.commit()
    short = progress(html(sofia.get(f"/assignments/{upcoming.id}")))

    assert draft.startswith(
        "Publish a post of at least 5 words by Tue 10 Mar 2099, 17:00 UTC (your draft has 6)."
    )
    assert short.startswith("Your post has 2 words: add 3 more to reach 5.")


def test_progress_after_the_deadlines_says_what_is_left(browser, blog, second_blog, student):
    sofia = browser("sofia")

    late = progress(html(sofia.get(f"/assignments/{blog.id}")))
    no_penalty = progress(html(sofia.get(f"/assignments/{second_blog.id}")))

    assert late == (
        "The post was due Tue 10 Mar 2026, 17:00 UTC. A late post still earns 80% of its "
        "points. Comments closed Thu 12 Mar 2026, 17:00 UTC with 0 of 2 done: 0 of 5 points. "
        "Points so far: 0 of 15."
    )
    assert no_penalty.startswith(
        "The post was due Tue 10 Mar 2026, 17:00 UTC. A late post earns no points now."
    )


def test_progress_on_the_course_page_lists_every_assignment(
    browser, scenario, second_blog, course, blog, tara
):
    page = html(browser("tara").get(f"/courses/{course.id}"))
    section = text(page.split('aria-labelledby="progress-heading">', 1)[1].split("</section>")[0])

    assert section == (
        "Your blog assignments Blog A "
        "Your post has 2 words: add 3 more to reach 5. "
        "Comments closed Thu 12 Mar 2026, 17:00 UTC with 0 of 2 done: 0 of 5 points. "
        "Points so far: 4 of 15 (set by course staff). "
        "Blog B "
        "The post was due Tue 10 Mar 2026, 17:00 UTC. A late post earns no points now. "
        "Comment on 1 more classmate's post (at least 3 words each). "
        "Points so far: 0 of 6."
    )
    assert (
        f'href="/assignments/{blog.id}"' in page and f'href="/assignments/{second_blog.id}"' in page
    )


def test_progress_times_are_in_the_course_time_zone(browser, course, upcoming, student):
    course.timezone = "America/New_York"
    db.session.commit()

    seen = text(html(browser("sofia").get(f"/assignments/{upcoming.id}")))

    assert "Publish a post of at least 5 words by Tue 10 Mar 2099, 13:00 EDT." in seen
    assert "by Thu 12 Mar 2099, 13:00 EDT." in seen


def test_staff_see_no_progress(browser, blog, course):
    staff = browser("ines")

    assert "Your progress" not in html(staff.get(f"/assignments/{blog.id}"))
    assert "Your blog assignments" not in html(staff.get(f"/courses/{course.id}"))


# --- Who may see what ----------------------------------------------------------------------


def staff_pages(course, blog, person) -> list[tuple[str, str]]:
    return [
        ("get", table_url(blog)),
        ("get", grade_url(blog, person)),
        ("post", grade_url(blog, person)),
        ("post", f"{grade_url(blog, person)}/clear"),
        ("get", f"/courses/{course.id}/gradebook"),
        ("get", f"/courses/{course.id}/gradebook.csv?format=canvas"),
        ("get", f"/courses/{course.id}/gradebook.csv?format=moodle"),
    ]


@pytest.mark.parametrize(("username", "status"), [("sofia", 403), ("omar", 403), ("fred", 404)])
def test_students_get_403_and_outsiders_404_on_every_staff_page(
    browser, scenario, course, blog, student, outsider, username, status
):
    visitor = browser(username)

    for method, url in staff_pages(course, blog, student):
        if method == "get":
            response = visitor.get(url)
        else:
            response = visitor.submit(url, {"points": "30", "reason": "mine"})
        assert response.status_code == status, (method, url)
    assert count(ParticipationOverride) == 1
    assert db.session.scalar(select(ParticipationOverride.points)) == 4


def test_students_see_no_links_to_staff_pages(browser, course, blog, student):
    sofia = browser("sofia")

    pages = html(sofia.get(f"/courses/{course.id}")) + html(sofia.get(f"/assignments/{blog.id}"))

    assert "/gradebook" not in pages and "/participation" not in pages


def test_anonymous_visitors_are_sent_to_sign_in(client, course, blog, student):
    for method, url in staff_pages(course, blog, student):
        response = client.get(url) if method == "get" else client.submit(url)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/accounts/login")
