"""Gradebook CSV files, read back with the csv module as Canvas and Moodle would."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from coursehub.blogs import services as blogs
from coursehub.extensions import db
from coursehub.participation import exports
from coursehub.participation import services as credit
from tests import factories

DUE = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
BEFORE = DUE - timedelta(days=1)
LATE = DUE + timedelta(hours=1)
WORDS = "one two three four five six"  # 6 words
COMMENT = "this is a fair point"  # 5 words
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def write(author, assignment, at=BEFORE):
    post = blogs.create_post(author, assignment, "A post", WORDS, [], True, at)
    db.session.commit()
    return post


def say(author, post):
    blogs.add_comment(author, post, COMMENT, None, BEFORE)
    db.session.commit()


@pytest.fixture
def download(app, course, instructor):
    """The course's CSV as the gradebook page's link gives it, parsed; the API's
    download must be the very same bytes."""
    browser = app.test_client()
    browser.sign_in("ines")
    token = factories.token(instructor)

    def fetch(fmt: str) -> list[list[str]]:
        page = browser.get(f"/courses/{course.id}/gradebook.csv?format={fmt}")
        api = browser.get(
            f"/api/v1/courses/{course.id}/gradebook.csv?format={fmt}",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert page.status_code == api.status_code == 200
        assert page.content_type == api.content_type == "text/csv; charset=utf-8"
        assert page.get_data() == api.get_data()
        data = page.get_data()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert data.endswith(b"\r\n")
        return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))

    return fetch


@pytest.fixture
def mirror(chapter):
    """15 points: 10 for the post (25% off when late), 5 for comments on 2 posts."""
    return factories.assignment(
        chapter, title='Week 1: "Mirror neurons", revisited', topic_ids=(),
        opens_at=DUE - timedelta(days=7), due_at=DUE, min_words=5, required_comments=2,
        comment_min_words=3, post_points=10, comment_points=5, late_penalty_percent=25,
    )  # fmt: skip


@pytest.fixture
def formula(chapter):
    """6.5 points, with a title a spreadsheet would run as a formula."""
    return factories.assignment(
        chapter, title="=SUM(A1:A9) blog", topic_ids=(), opens_at=DUE - timedelta(days=7),
        due_at=DUE, min_words=5, required_comments=2, comment_min_words=3, post_points=4,
        comment_points=2.5,
    )  # fmt: skip


@pytest.fixture
def people(course):
    """Students whose names a CSV or a spreadsheet could mangle, and Sofia."""
    make = factories.member
    return {
        "pat": make(course, "pat", "student", display_name='O\'Brien, "Pat"'),
        "eve": make(course, "eve", "student", display_name='=HYPERLINK("http://x.test")'),
        "plus": make(course, "plus", "student", display_name="+1 555 0100"),
        "minus": make(course, "minus", "student", display_name="-minus"),
        "at": make(course, "at", "student", display_name="@at"),
        "sofia": make(course, "sofia", "student", display_name="Sofia Student"),
    }


@pytest.fixture
def graded(mirror, formula, instructor, people):
    """Sofia: 15 and 4 + 1.25; Pat late (7.5) and nothing; Eve overridden to 6.5."""
    sofia, pat = people["sofia"], people["pat"]
    write(sofia, mirror)
    pat_post = write(pat, mirror, at=LATE)
    say(sofia, pat_post)
    say(sofia, write(people["minus"], mirror, at=LATE + timedelta(days=30)))
    write(sofia, formula)
    say(sofia, write(people["plus"], formula))
    credit.set_override(instructor, formula, people["eve"].id, 6.5, "Presented in class", LATE)
    db.session.commit()
    return people


def test_canvas_rows_are_exactly_what_canvas_imports(download, graded, mirror, formula):
    p = graded

    assert download("canvas") == [
        [*CANVAS_HEADER, f'Week 1: "Mirror neurons", revisited ({mirror.id})',
         f"'=SUM(A1:A9) blog ({formula.id})"],
        ["    Points Possible", "", "", "", "", "15", "6.5"],
        ["'+1 555 0100", str(p["plus"].id), "", "plus", "", "0", "4"],
        ["'-minus", str(p["minus"].id), "", "minus", "", "7.5", "0"],
        ["'=HYPERLINK(\"http://x.test\")", str(p["eve"].id), "", "eve", "", "0", "6.5"],
        ["'@at", str(p["at"].id), "", "at", "", "0", "0"],
        ['O\'Brien, "Pat"', str(p["pat"].id), "", "pat", "", "7.5", "0"],
        ["Sofia Student", str(p["sofia"].id), "", "sofia", "", "15", "5.25"],
    ]  # fmt: skip


def test_canvas_totals_are_the_engines(download, graded, course, mirror, formula):
    book = credit.gradebook(course.id, [mirror, formula])
    expected = {
        str(student.id): [
            exports.points(book.cells[(student.id, a.id)].total) for a in (mirror, formula)
        ]
        for student in book.students
    }

    rows = download("canvas")[2:]

    assert {row[1]: row[5:] for row in rows} == expected
    assert len(rows) == len(book.students) == 6


def test_moodle_rows_are_exactly_what_moodle_imports(download, graded, mirror, formula):
    assert download("moodle") == [
        ["Email address", f'Week 1: "Mirror neurons", revisited ({mirror.id})',
         f"'=SUM(A1:A9) blog ({formula.id})"],
        ["plus@example.org", "0", "4"],
        ["minus@example.org", "7.5", "0"],
        ["eve@example.org", "0", "6.5"],
        ["at@example.org", "0", "0"],
        ["pat@example.org", "7.5", "0"],
        ["sofia@example.org", "15", "5.25"],
    ]  # fmt: skip


def test_commas_and_quotes_are_quoted_not_split(app, graded, course, instructor):
    browser = app.test_client()
    browser.sign_in("ines")

    raw = browser.get(f"/courses/{course.id}/gradebook.csv").get_data(as_text=True)

    assert '"O\'Brien, ""Pat""",' in raw
    assert '"Week 1: ""Mirror neurons"", revisited (' in raw
    assert all(len(row) == 7 for row in csv.reader(io.StringIO(raw, newline="")))


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(download, chapter, course, start):
    risky = factories.assignment(chapter, title=f"{start}1+1 blog", topic_ids=())
    person = factories.member(course, "risky", "student", display_name=f"{start}cmd|' /C calc'!A0")

    canvas, moodle = download("canvas"), download("moodle")

    assert canvas[0][5] == f"'{start}1+1 blog ({risky.id})"
    assert canvas[2][0] == f"'{start}cmd|' /C calc'!A0"
    assert canvas[2][1:4] == [str(person.id), "", "risky"]
    assert moodle[0][1] == f"'{start}1+1 blog ({risky.id})"


def test_utf8_names_round_trip(download, app, course, chapter, instructor):
    assignment = factories.assignment(chapter, title="Blog über Neuronen", topic_ids=())
    zoe = factories.member(course, "zoe", "student", display_name="Zoë Ñúñez")
    li = factories.member(course, "lilei", "student", display_name="李雷")
    browser = app.test_client()
    browser.sign_in("ines")

    raw = browser.get(f"/courses/{course.id}/gradebook.csv?format=canvas").get_data()
    canvas, moodle = download("canvas"), download("moodle")

    assert "Zoë Ñúñez".encode() in raw and "李雷".encode() in raw
    assert canvas[0][5] == f"Blog über Neuronen ({assignment.id})"
    assert canvas[2:] == [
        ["Zoë Ñúñez", str(zoe.id), "", "zoe", "", "0"],
        ["李雷", str(li.id), "", "lilei", "", "0"],
    ]
    assert moodle == [
        ["Email address", f"Blog über Neuronen ({assignment.id})"],
        ["zoe@example.org", "0"],
        ["lilei@example.org", "0"],
    ]


def test_a_course_without_students_has_only_the_headers(download, mirror):
    assert download("canvas") == [
        [*CANVAS_HEADER, f'Week 1: "Mirror neurons", revisited ({mirror.id})'],
        ["    Points Possible", "", "", "", "", "15"],
    ]
    assert download("moodle") == [
        ["Email address", f'Week 1: "Mirror neurons", revisited ({mirror.id})']
    ]


def test_a_course_without_assignments_lists_its_students(download, student):
    assert download("canvas") == [
        CANVAS_HEADER,
        ["    Points Possible", "", "", "", ""],
        ["Sofia Student", str(student.id), "", "sofia", ""],
    ]
    assert download("moodle") == [["Email address"], ["sofia@example.org"]]


def test_staff_are_not_rows(download, ta, student, mirror):
    rows = download("canvas")[2:]

    assert [row[3] for row in rows] == ["sofia"]


@pytest.mark.parametrize(
    ("value", "written"),
    [(15.0, "15"), (7.5, "7.5"), (5.25, "5.25"), (0.0, "0"), (0.34, "0.34"), (100.1, "100.1")],
)
def test_points_use_a_dot_and_no_trailing_zeros(value, written):
    assert exports.points(value) == written


def test_an_override_with_three_decimals_is_written_as_the_gradebook_rounds(
    download, mirror, instructor, student
):
    credit.set_override(instructor, mirror, student.id, 7.125, "Partial credit", LATE)
    db.session.commit()

    # As the gradebook rounds every total: halves up, not the float's half-even 7.12.
    assert download("canvas")[2][5] == "7.13"
    assert download("moodle")[1][1] == "7.13"
