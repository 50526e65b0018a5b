"""The blog pages as teachers and students use them: assignments, writing, discussion."""

import io
import os
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from coursehub.accounts.models import User
from coursehub.audit.models import AuditEvent
from coursehub.blogs import services as blogs
from coursehub.blogs.models import (
    Assignment,
    Comment,
    CommentRevision,
    Notification,
    Post,
    PostRevision,
    PostStatus,
    Upload,
    VideoCitation,
)
from coursehub.courses import services as courses
from coursehub.db import utcnow
from coursehub.extensions import db
from tests import factories

# --- Helpers --------------------------------------------------------------------------


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def browser(app):
    """A separate signed-in browser per person, as when several people use the site."""

    def signed_in(username: str):
        client = app.test_client()
        client.sign_in(username)
        return client

    return signed_in


@pytest.fixture
def assignment(chapter):
    """An assignment on the chapter's three topics."""
    return factories.assignment(chapter)


@pytest.fixture
def untopical(chapter):
    """An assignment whose posts go without a topic."""
    return factories.assignment(chapter, title="Blog: free topic", topic_ids=())


def publish(author, assignment, title="Mirror neurons", body=None, topics=None, now=None):
    """A published post on the given topics (the assignment's first by default)."""
    if topics is None:
        topics = assignment.topics[:1]
    topic_ids = [t.id for t in topics]
    body = body or f"{title} is what this post discusses at some length, with examples."
    created = blogs.create_post(author, assignment, title, body, topic_ids, True, now or utcnow())
    db.session.commit()
    return created


def section(page: str, start: str, end: str) -> str:
    """The part of the page between two markers (the first marker must be there)."""
    assert start in page, f"{start!r} is not on the page"
    rest = page.split(start, 1)[1]
    return rest.split(end, 1)[0]


class _Thread(HTMLParser):
    """Where each comment sits in a post page's thread, and where reply forms are."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, page: str) -> None:
        super().__init__()
        self.stack: list[int | None] = []
        self.parent: dict[int, int | None] = {}
        self.order: list[int] = []
        self.classes: dict[int, str] = {}
        self.reply_forms: list[tuple[str, int | None]] = []  # (parent_id value, inside comment)
        self.feed(page)
        self.close()

    def _enclosing(self) -> int | None:
        return next((c for c in reversed(self.stack) if c is not None), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        own = None
        if tag == "li" and re.fullmatch(r"comment-\d+", attrs.get("id") or ""):
            own = int(attrs["id"].removeprefix("comment-"))
            self.parent[own] = self._enclosing()
            self.order.append(own)
            self.classes[own] = attrs.get("class") or ""
        if tag == "input" and attrs.get("name") == "parent_id":
            self.reply_forms.append((attrs.get("value") or "", self._enclosing()))
        if tag not in self.VOID:
            self.stack.append(own)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()


class _Active(HTMLParser):
    """Markup in a page that would run script: event handlers, javascript: URLs, inline
    <script>."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.found: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value}>")
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in {"href", "src", "action", "formaction"} and squeezed.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in {"script", "iframe", "object", "embed"} and not dict(attrs).get("src"):
            self.found.append(f"<{tag}> without src")
        if tag == "iframe" and not (dict(attrs).get("src") or "").startswith(
            ("https://www.youtube-nocookie.com/", "https://player.vimeo.com/")
        ):
            self.found.append(f"<iframe src={dict(attrs).get('src')}>")


def assert_inert(page: str) -> None:
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page.lower()
    assert _Active(page).found == []


def image_bytes(kind: str, size=(8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, kind)
    return buffer.getvalue()


def upload(client, course_id: int, data: bytes, name: str, mimetype="image/png"):
    """Upload as the editor's script does, asking for JSON."""
    return client.post(
        f"/courses/{course_id}/uploads",
        data={"csrf_token": client.csrf_token(), "image": (io.BytesIO(data), name, mimetype)},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )


def stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


# --- Setting an assignment ------------------------------------------------------------


def assignment_form(chapter, **changes) -> dict:
    """Every field of the assignment form, as staff in Chicago would fill it in."""
    return {
        "title": "Blog: the mirror system",
        "prompt": "Explain **one** structure.\n\n- where it is\n- what it does",
        "topics": [],
        "opens_at": "2031-03-01T09:00",
        "due_at": "2031-03-20T23:59",
        "comments_due_at": "2031-03-27T17:00",
        "min_words": "300",
        "required_comments": "2",
        "comment_min_words": "40",
        "post_points": "10",
        "comment_points": "5.5",
        "late_penalty_percent": "20",
        "post_before_viewing": "y",
        **changes,
    }


@pytest.fixture
def chicago(client, course, instructor):
    """The course runs on Chicago time, set on the settings form."""
    client.sign_in("ines")
    response = client.submit(
        f"/courses/{course.id}/settings",
        {
            "code": course.code,
            "title": course.title,
            "description": course.description,
            "timezone": "America/Chicago",
        },
    )
    assert response.status_code == 302
    assert course.timezone == "America/Chicago"
    return course


def test_staff_set_an_assignment_with_every_field_in_the_course_time_zone(client, chicago, chapter):
    response = client.submit(f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter))
    assignment = db.session.scalar(select(Assignment))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/assignments/{assignment.id}"
    # 9:00 CST (UTC-6) before the switch to daylight time on 9 March; then CDT (UTC-5).
    assert assignment.opens_at == datetime(2031, 3, 1, 15, 0, tzinfo=UTC)
    assert assignment.due_at == datetime(2031, 3, 21, 4, 59, tzinfo=UTC)
    assert assignment.comments_due_at == datetime(2031, 3, 27, 22, 0, tzinfo=UTC)
    assert assignment.title == "Blog: the mirror system"
    assert assignment.topics == []
    assert (assignment.min_words, assignment.required_comments, assignment.comment_min_words) == (
        300,
        2,
        40,
    )
    assert (assignment.post_points, assignment.comment_points) == (10, 5.5)
    assert assignment.late_penalty_percent == 20
    assert assignment.post_before_viewing is True

    page = html(client.get(response.headers["Location"]))
    assert "“Blog: the mirror system” is set." in page
    assert "Explain <strong>one</strong> structure." in page
    assert "<li>where it is</li>" in page
    assert '<time datetime="2031-03-21T04:59:00+00:00"' in page
    assert "Thu 20 Mar 2031, 23:59 CDT" in page
    assert "Sat 1 Mar 2031, 09:00 CST" in page
    assert "A post of at least 300 words — 10 points." in page
    assert "Late posts lose 20%." in page
    assert "Comments of at least 40 words on 2 classmates' posts — 5.5 points." in page
    assert "Classmates' posts open to you once you publish yours." in page


def test_the_edit_form_shows_the_assignment_in_local_time_and_saves_changes(
    client, chicago, chapter
):
    client.submit(f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter))
    assignment = db.session.scalar(select(Assignment))
    page = html(client.get(f"/assignments/{assignment.id}/edit"))
    assert "Edit Blog: the mirror system" in page
    assert 'value="Blog: the mirror system"' in page
    assert 'value="2031-03-01T09:00"' in page
    assert 'value="2031-03-20T23:59"' in page
    assert 'value="2031-03-27T17:00"' in page
    assert "(times in America/Chicago)" in page
    assert re.search(r'<input checked id="post_before_viewing"', page)
    assert re.search(r'<input id="post_points"[^>]* value="10">', page), "not 10.0"
    assert re.search(r'<input id="comment_points"[^>]* value="5.5">', page)

    data = assignment_form(
        chapter,
        title="Blog: mirrors, revised",
        due_at="2031-03-22T12:00",
        comments_due_at="",
        late_penalty_percent="",
    )
    del data["post_before_viewing"]  # unchecked
    response = client.submit(f"/assignments/{assignment.id}/edit", data)
    assert response.status_code == 302
    assert "Assignment saved." in html(client.get(response.headers["Location"]))
    assert assignment.title == "Blog: mirrors, revised"
    assert assignment.due_at == datetime(2031, 3, 22, 17, 0, tzinfo=UTC)
    assert assignment.comments_due_at is None
    assert assignment.late_penalty_percent is None
    assert assignment.post_before_viewing is False
    assert count(Assignment) == 1


def test_saving_the_form_unchanged_moves_no_deadline_and_audits_nothing(client, chicago, chapter):
    client.submit(f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter))
    assignment = db.session.scalar(select(Assignment))
    # Set elsewhere (the API, the demo) to the second; the form shows minutes.
    exact = assignment.due_at.replace(second=42, microsecond=814355)
    assignment.due_at = exact
    db.session.commit()
    response = client.submit(f"/assignments/{assignment.id}/edit", assignment_form(chapter))
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert assignment.due_at == exact
    assert count(AuditEvent) == 0, "Chicago times are the stored UTC times: no change"
    client.submit(
        f"/assignments/{assignment.id}/edit", assignment_form(chapter, due_at="2031-03-21T00:00")
    )
    db.session.refresh(assignment)
    assert assignment.due_at == datetime(2031, 3, 21, 5, 0, tzinfo=UTC)
    event = db.session.scalar(select(AuditEvent))
    assert (event.before, event.after) == (
        {"due_at": "2031-03-21T04:59:42.814355+00:00"},
        {"due_at": "2031-03-21T05:00:00+00:00"},
    )
    log = html(client.get(f"/courses/{assignment.course_id}/audit"))
    assert "<dt>Posts due</dt><dd><time" in log, "labelled as on the form"
    assert "Thu 20 Mar 2031, 23:59 CDT" in log and "Fri 21 Mar 2031, 00:00 CDT" in log


def checked_topics(page: str) -> list[str]:
    return re.findall(
        r'<input checked id="topics-\d" name="topics" type="checkbox" value="(\d+)"', page
    )


def test_the_edit_form_checks_the_assignments_topics(client, chapter, instructor):
    assignment = factories.assignment(chapter, topic_ids=(chapter.topics[1].id,))
    client.sign_in("ines")
    page = html(client.get(f"/assignments/{assignment.id}/edit"))
    assert checked_topics(page) == [str(chapter.topics[1].id)]
    assert page.count('name="topics" type="checkbox"') == 3


def test_a_new_assignment_offers_all_the_chapters_topics_checked(client, chapter, instructor):
    client.sign_in("ines")
    page = html(client.get(f"/chapters/{chapter.id}/assignments/new"))
    assert checked_topics(page) == [str(topic.id) for topic in chapter.topics]


def test_staff_choose_the_topics_students_write_on(client, chapter, instructor):
    client.sign_in("ines")
    chosen = [str(chapter.topics[0].id), str(chapter.topics[2].id)]
    response = client.submit(
        f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter, topics=chosen)
    )
    assert response.status_code == 302, re.findall(r'class="error">([^<]*)<', html(response))
    assignment = db.session.scalar(select(Assignment))
    assert [t.name for t in assignment.topics] == ["Structures", "Functions"]
    page = html(client.get(f"/assignments/{assignment.id}"))
    assert "A post of at least 300 words on one of: Structures, Functions — 10 points." in page
    # Saving the edit form as it comes, topics still checked, keeps them.
    response = client.submit(
        f"/assignments/{assignment.id}/edit", assignment_form(chapter, topics=chosen, title="B")
    )
    assert response.status_code == 302
    assert assignment.title == "B" and len(assignment.topics) == 2


def test_a_ta_sets_assignments_too(client, ta, chapter):
    client.sign_in("tomas")
    assert client.get(f"/chapters/{chapter.id}/assignments/new").status_code == 200
    response = client.submit(
        f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter, title="TA's blog")
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Assignment.title)) == "TA's blog"


BAD_ASSIGNMENTS = [
    ({"title": ""}, "title", "This field is required."),
    ({"title": "   "}, "title", "Give the assignment a title."),
    (
        {"required_comments": "0", "comment_points": "5"},
        "comment_points",
        "Comment points need a number of required comments",
    ),
    (
        {"due_at": "2031-02-28T09:00"},
        "due_at",
        "The due time is before the assignment opens.",
    ),
    (
        {"comments_due_at": "2031-02-28T09:00"},
        "comments_due_at",
        "Comments are due before the assignment opens.",
    ),
    (
        {"comments_due_at": "2031-03-15T09:00"},
        "comments_due_at",
        "Comments are due before posts are: a post published on time could get none.",
    ),
    ({"min_words": "-1"}, "min_words", "Number must be between 0 and 100000."),
    ({"required_comments": "-2"}, "required_comments", "Number must be between 0 and 100000."),
    ({"comment_min_words": "-5"}, "comment_min_words", "Number must be between 0 and 100000."),
    ({"post_points": "-10"}, "post_points", "Number must be between 0 and 1000."),
    ({"comment_points": "-1"}, "comment_points", "Number must be between 0 and 1000."),
    ({"late_penalty_percent": "101"}, "late_penalty_percent", "Number must be between 0 and 100."),
    ({"late_penalty_percent": "-5"}, "late_penalty_percent", "Number must be between 0 and 100."),
    ({"min_words": "lots"}, "min_words", "Not a valid integer value."),
    ({"due_at": "next Friday"}, "due_at", "Not a valid datetime value."),
    ({"post_points": "nan"}, "post_points", "Number must be between 0 and 1000."),
    ({"title": "t" * 201}, "title", "Field cannot be longer than 200 characters."),
    ({"topics": ["999999"]}, "topics", "not a valid choice"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_ASSIGNMENTS)
def test_bad_assignment_input_is_explained_and_nothing_is_stored(
    client, chicago, chapter, changes, field, message
):
    response = client.submit(
        f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter, **changes)
    )
    assert response.status_code == 200
    page = html(response)
    if field == "topics":
        assert re.search(rf'<p class="error">[^<]*{message}', page)
    else:
        assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', page)
    assert count(Assignment) == 0


def test_blank_optional_fields_beside_an_error_stay_quiet(client, chicago, chapter):
    blanks = {"opens_at": "", "comments_due_at": "", "late_penalty_percent": ""}
    response = client.submit(
        f"/chapters/{chapter.id}/assignments/new",
        assignment_form(chapter, title="", min_words="", **blanks),
    )
    page = html(response)
    assert '<p class="error" id="title-error">This field is required.</p>' in page
    assert '<p class="error" id="min_words-error">This field is required.</p>' in page
    assert "Not a valid" not in page


def test_saving_unchanged_in_the_hour_the_clocks_repeat_keeps_the_deadline(
    client, chicago, chapter
):
    client.submit(f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter))
    assignment = db.session.scalar(select(Assignment))
    # 01:30 CST on 2 Nov 2031, the second 01:30 of that night in Chicago.
    second_half_past_one = datetime(2031, 11, 2, 7, 30, 15, tzinfo=UTC)
    assignment.comments_due_at = second_half_past_one
    db.session.commit()
    form = assignment_form(chapter, comments_due_at="2031-11-02T01:30")
    assert client.submit(f"/assignments/{assignment.id}/edit", form).status_code == 302
    db.session.refresh(assignment)
    assert assignment.comments_due_at == second_half_past_one
    assert count(AuditEvent) == 0


def test_a_number_that_is_not_one_says_only_that(client, chicago, chapter):
    changes = {"min_words": "lots", "post_points": "ten"}
    response = client.submit(
        f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter, **changes)
    )
    page = html(response)
    assert '<p class="error" id="min_words-error">Not a valid integer value.</p>' in page
    assert '<p class="error" id="post_points-error">Not a valid float value.</p>' in page


@pytest.mark.parametrize(("changes", "field", "message"), BAD_ASSIGNMENTS[:6])
def test_bad_edits_are_explained_and_change_nothing(
    client, chicago, chapter, changes, field, message
):
    client.submit(f"/chapters/{chapter.id}/assignments/new", assignment_form(chapter))
    assignment = db.session.scalar(select(Assignment))
    before = (assignment.title, assignment.due_at, assignment.comment_points)
    response = client.submit(
        f"/assignments/{assignment.id}/edit", assignment_form(chapter, **changes)
    )
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html(response))
    assert (assignment.title, assignment.due_at, assignment.comment_points) == before


def test_assignment_topics_must_belong_to_the_chapter(client, course, chapter, instructor):
    other = factories.chapter(course, number=5)
    client.sign_in("ines")
    response = client.submit(
        f"/chapters/{chapter.id}/assignments/new",
        assignment_form(chapter, topics=[str(other.topics[0].id)]),
    )
    assert response.status_code == 200
    assert "is not a valid choice for this field." in html(response)
    assert count(Assignment) == 0


@pytest.mark.parametrize(("username", "status"), [("sofia", 403), ("fred", 404)])
def test_only_staff_reach_the_assignment_forms(
    browser, assignment, student, outsider, username, status
):
    client = browser(username)
    chapter_id = assignment.chapter_id
    assert client.get(f"/chapters/{chapter_id}/assignments/new").status_code == status
    assert client.get(f"/assignments/{assignment.id}/edit").status_code == status
    data = assignment_form(assignment.chapter, title="Hijacked")
    assert client.submit(f"/chapters/{chapter_id}/assignments/new", data).status_code == status
    assert client.submit(f"/assignments/{assignment.id}/edit", data).status_code == status
    assert count(Assignment) == 1
    assert assignment.title == "Blog: how the brain is wired"


def test_a_student_sees_no_edit_button_on_the_assignment(browser, assignment, student, ta):
    assert "Edit assignment" not in html(browser("sofia").get(f"/assignments/{assignment.id}"))
    assert "Edit assignment" in html(browser("tomas").get(f"/assignments/{assignment.id}"))


def test_anonymous_visitors_are_sent_to_sign_in(client, assignment):
    response = client.get(f"/assignments/{assignment.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login")
    assert "next=" in response.headers["Location"]


# --- The assignment page --------------------------------------------------------------


def test_the_assignment_page_shows_prompt_deadlines_and_rules(browser, chapter, student):
    due = datetime(2031, 5, 2, 21, 0, tzinfo=UTC)
    assignment = factories.assignment(
        chapter, due_at=due, late_penalty_percent=None, min_words=250, post_points=8
    )
    page = html(browser("sofia").get(f"/assignments/{assignment.id}"))
    assert "<h1>Blog: how the brain is wired</h1>" in page
    assert "Pick a <strong>structure</strong> and explain" in page
    assert (
        f'<time datetime="{due.isoformat()}" class="local-time">Fri 2 May 2031, 21:00 UTC' in page
    )
    assert "Comments due</dt><dd>No deadline" in page
    assert "A post of at least 250 words on one of: Structures, Connections, Functions" in page
    assert "8 points" in page
    assert "Late posts earn nothing." in page
    assert "Comments of at least 3 words on 2 classmates' posts — 5 points." in page


def test_one_required_comment_is_worded_in_the_singular(browser, chapter, student):
    assignment = factories.assignment(chapter, required_comments=1, comment_min_words=10)
    page = html(browser("sofia").get(f"/assignments/{assignment.id}"))
    assert "Comments of at least 10 words on 1 classmate's post — 5 points." in page


def test_a_student_sees_their_own_status_on_the_assignment(browser, chapter, student):
    assignment = factories.assignment(chapter, min_words=20, topic_ids=())
    client = browser("sofia")
    url = f"/assignments/{assignment.id}"
    page = html(client.get(url))
    assert "You have no post here yet." in page and "Write your post" in page

    client.submit(
        f"/assignments/{assignment.id}/write",
        {"title": "Half done", "body": "Seven words of my draft so far.", "save": ""},
    )
    page = html(client.get(url))
    assert "Draft: “Half done”, 7 words (13 more needed). Only you can see it." in page
    assert "Continue writing" in page

    client.submit(
        f"/assignments/{assignment.id}/write",
        {"title": "Half done", "body": "Seven words of my draft so far.", "publish": ""},
    )
    page = html(client.get(url))
    assert "Published <time" in page and ">Half done</a>, 7 words." in page
    assert "Edit your post" in page
    assert "badge-late" not in section(page, 'id="status-heading"', "</section>")


def test_a_late_post_carries_a_late_badge(browser, chapter, student, other_student):
    assignment = factories.assignment(chapter, due_at=utcnow() - timedelta(days=1), topic_ids=())
    client = browser("sofia")
    response = write(client, assignment, title="Better late", body="Here is my post, a day late.")
    post_url = response.headers["Location"]
    own_status = section(
        html(client.get(f"/assignments/{assignment.id}")), 'id="status-heading"', "</section>"
    )
    assert '<span class="badge badge-late">Late</span>' in own_status
    assert '<span class="badge badge-late">Late</span>' in html(client.get(post_url))
    listed = section(
        html(browser("omar").get(f"/assignments/{assignment.id}")),
        'id="posts-heading"',
        "</section>",
    )
    assert "Better late" in listed and "badge-late" in listed


def test_a_post_on_time_has_no_late_badge(browser, chapter, student):
    assignment = factories.assignment(chapter, due_at=utcnow() + timedelta(days=1))
    post = publish(student, assignment)
    assert "badge-late" not in html(browser("sofia").get(f"/posts/{post.id}"))


def test_posts_are_grouped_by_topic(browser, chapter, student, other_student, instructor):
    assignment = factories.assignment(chapter)
    structures, connections, _ = assignment.topics
    publish(student, assignment, "On the cortex", topics=[structures])
    publish(other_student, assignment, "On synapses", topics=[connections])
    third = factories.member(chapter.course, "lena", "student")
    publish(third, assignment, "On the hippocampus", topics=[structures])
    page = html(browser("ines").get(f"/assignments/{assignment.id}"))
    listing = section(page, 'id="posts-heading"', "</section>")
    assert 'Posts <span class="count">(3)</span>' in page
    groups = re.findall(r"<h3>([^<]+)</h3>\s*<ul class=\"post-list\">(.*?)</ul>", listing, re.S)
    found = {name: re.findall(r'class="post-title">([^<]+)<', items) for name, items in groups}
    assert found == {
        "Structures": ["On the cortex", "On the hippocampus"],
        "Connections": ["On synapses"],
    }


def test_a_post_on_a_topic_the_assignment_dropped_stays_listed(
    browser, chapter, student, other_student
):
    assignment = factories.assignment(chapter)
    structures, connections, _ = assignment.topics
    publish(student, assignment, "On the cortex", topics=[structures])
    publish(other_student, assignment, "On synapses", topics=[connections])
    assignment.topics = [structures]  # the instructor unticks Connections
    db.session.commit()
    listing = section(
        html(browser("ines").get(f"/assignments/{assignment.id}")),
        'id="posts-heading"',
        "</section>",
    )
    groups = re.findall(r"<h3>([^<]+)</h3>\s*<ul class=\"post-list\">(.*?)</ul>", listing, re.S)
    found = {name: re.findall(r'class="post-title">([^<]+)<', items) for name, items in groups}
    assert found == {"Structures": ["On the cortex"], "Other posts": ["On synapses"]}


def test_a_long_post_list_comes_a_page_at_a_time(browser, chapter, monkeypatch):
    monkeypatch.setattr("coursehub.blogs.views.POSTS_PER_PAGE", 3)
    assignment = factories.assignment(chapter)
    start = utcnow() - timedelta(hours=1)
    for n in range(7):
        writer = factories.member(chapter.course, f"writer{n}", "student")
        publish(writer, assignment, f"Post number {n}", now=start + timedelta(minutes=n))
    ines = browser("ines")

    def listed(page: int | str) -> tuple[list[str], str]:
        text = html(ines.get(f"/assignments/{assignment.id}?page={page}"))
        listing = section(text, 'id="posts-heading"', "</section>")
        return re.findall(r'class="post-title">Post number (\d)<', listing), listing

    first, listing = listed(1)
    assert first == ["0", "1", "2"], "oldest first"
    assert "(7)" in listing and "Posts 1–3 of 7" in listing
    assert "Later posts" in listing and "Earlier posts" not in listing
    middle, listing = listed(2)
    assert middle == ["3", "4", "5"] and "Earlier posts" in listing and "Later posts" in listing
    last, listing = listed(3)
    assert last == ["6"] and "Posts 7–7 of 7" in listing and "Later posts" not in listing
    for beyond in ("9", "99999999999999999999"):
        assert listed(beyond)[0] == ["6"], "a page past the end shows the last one"
    for nonsense in ("0", "-2", "two"):
        assert listed(nonsense)[0] == ["0", "1", "2"]


def test_needs_feedback_lists_the_least_commented_classmates_first(
    browser, chapter, student, other_student
):
    assignment = factories.assignment(chapter)
    lena = factories.member(chapter.course, "lena", "student")
    max_ = factories.member(chapter.course, "max", "student")
    ana = factories.member(chapter.course, "ana", "student")
    own = publish(student, assignment, "Sofia's own post")
    busy = publish(other_student, assignment, "Much discussed")
    quiet = publish(lena, assignment, "Nobody read me")
    some = publish(max_, assignment, "One comment")
    answered = publish(ana, assignment, "Sofia answered me")
    for author in (lena, max_):
        factories.comment(author, busy)
    factories.comment(lena, some)
    factories.comment(student, answered)  # she has given this one feedback already
    factories.comment(student, own)  # fewest comments would otherwise not matter

    page = html(browser("sofia").get(f"/assignments/{assignment.id}"))
    feedback = section(page, 'id="feedback-heading"', "</section>")
    titles = re.findall(r'class="post-title">([^<]+)<', feedback)
    assert titles == ["Nobody read me", "One comment", "Much discussed"]
    assert "Sofia&#39;s own post" not in feedback and "Sofia's own post" not in feedback
    assert "Sofia answered me" not in feedback
    assert quiet.title in feedback
    assert "0 comments" in feedback and "1 comment" in feedback and "2 comments" in feedback


# --- Writing a post -------------------------------------------------------------------


def write(client, assignment, title="Mirror neurons", body=None, topics=None, action="publish"):
    data = {
        "title": title,
        "body": body if body is not None else "Mirror neurons fire when we act and watch.",
        "topics": topics if topics is not None else [str(t.id) for t in assignment.topics[:1]],
        action: "",
    }
    return client.submit(f"/assignments/{assignment.id}/write", data)


def test_a_draft_is_seen_only_by_its_author(browser, untopical, student, other_student, ta):
    sofia = browser("sofia")
    response = write(sofia, untopical, title="Secret draft", action="save")
    assert response.headers["Location"] == f"/assignments/{untopical.id}/write"
    page = html(sofia.get(response.headers["Location"]))
    assert "Draft saved. Only you can see it until you publish." in page
    assert 'value="Secret draft"' in page
    post = db.session.scalar(select(Post))
    assert post.status is PostStatus.draft
    assert sofia.get(f"/posts/{post.id}").status_code == 200
    assert '<span class="badge">Draft</span>' in html(sofia.get(f"/posts/{post.id}"))
    for name in ("omar", "tomas"):
        client = browser(name)
        assert client.get(f"/posts/{post.id}").status_code == 404
        assert "Secret draft" not in html(client.get(f"/assignments/{untopical.id}"))
        assert "Secret draft" not in html(client.get(f"/chapters/{untopical.chapter_id}"))


def test_publishing_shows_the_post_to_classmates(browser, untopical, student, other_student):
    sofia = browser("sofia")
    response = write(sofia, untopical, title="Mirror neurons")
    post = db.session.scalar(select(Post))
    assert response.headers["Location"] == f"/posts/{post.id}"
    page = html(sofia.get(response.headers["Location"]))
    assert "Your post is published." in page and "flash-warning" not in page
    assert post.status is PostStatus.published and post.published_at is not None
    omar = browser("omar")
    assert omar.get(f"/posts/{post.id}").status_code == 200
    assert "Mirror neurons" in html(omar.get(f"/assignments/{untopical.id}"))


def test_publishing_a_post_short_of_the_minimum_says_what_it_costs(browser, untopical, student):
    sofia = browser("sofia")
    response = write(sofia, untopical, body="Too short.")
    page = html(sofia.get(response.headers["Location"]))
    assert "Your post is published." in page
    assert (
        '<p class="flash flash-warning" role="status">It has 2 words, 3 short of the 5 the '
        "assignment asks for: it earns no post points until you add them.</p>"
    ) in page


def test_a_one_word_post_is_one_word_short_in_the_singular(browser, untopical, student):
    sofia = browser("sofia")
    page = html(sofia.get(write(sofia, untopical, body="Brief.").headers["Location"]))
    assert "It has 1 word, 4 short of the 5 the assignment asks for" in page


def test_a_draft_is_published_later_from_the_write_page(browser, untopical, student):
    sofia = browser("sofia")
    write(sofia, untopical, title="First go", action="save")
    response = write(sofia, untopical, title="First go", action="publish")
    post = db.session.scalar(select(Post))
    assert response.headers["Location"] == f"/posts/{post.id}"
    assert post.status is PostStatus.published
    assert count(Post) == 1
    assert count(PostRevision) == 0, "a draft's versions are not revisions"


def test_editing_a_published_post_keeps_the_earlier_version(
    browser, untopical, student, other_student, ta
):
    sofia = browser("sofia")
    write(sofia, untopical, title="Mirror neurons", body="The **first** version.")
    post = db.session.scalar(select(Post))
    page = html(sofia.get(f"/assignments/{untopical.id}/write"))
    assert "Edit your post" in page and "Save changes" in page and 'name="publish"' not in page
    response = write(
        sofia, untopical, title="Mirror neurons, revised", body="The second version.", action="save"
    )
    assert response.headers["Location"] == f"/posts/{post.id}"
    assert "Your post is saved." in html(sofia.get(f"/posts/{post.id}"))
    assert post.title == "Mirror neurons, revised" and post.status is PostStatus.published
    assert count(PostRevision) == 1
    for name in ("sofia", "tomas"):
        page = html(browser(name).get(f"/posts/{post.id}/revisions"))
        assert "Earlier versions of “Mirror neurons, revised”" in page
        assert "“Mirror neurons”" in page and "The <strong>first</strong> version." in page
        trail = section(page, 'aria-label="Breadcrumb"', "</nav>")
        assert f'<a href="/posts/{post.id}">Mirror neurons, revised</a>' in trail
    assert browser("omar").get(f"/posts/{post.id}/revisions").status_code == 403
    assert "Earlier versions" not in html(browser("omar").get(f"/posts/{post.id}"))


def test_a_student_chooses_the_topic_of_their_post(browser, assignment, student, other_student):
    sofia = browser("sofia")
    page = html(sofia.get(f"/assignments/{assignment.id}/write"))
    assert page.count('name="topics" type="checkbox"') == 3
    connections = assignment.topics[1]
    response = write(sofia, assignment, title="Synapses", topics=[str(connections.id)])
    assert response.status_code == 302, re.findall(r'class="error">([^<]*)<', html(response))
    post = db.session.scalar(select(Post))
    assert [t.name for t in post.topics] == ["Connections"]
    assert "Synapses" in html(browser("omar").get(f"/topics/{connections.id}"))


def test_a_post_needs_a_topic_when_the_assignment_offers_topics(browser, assignment, student):
    response = write(browser("sofia"), assignment, topics=[])
    assert response.status_code == 200
    assert "Choose the topic your post discusses." in html(response)
    assert count(Post) == 0


def test_a_post_without_topics_is_fine_when_the_assignment_has_none(browser, chapter, student):
    assignment = factories.assignment(chapter, topic_ids=())
    response = write(browser("sofia"), assignment, topics=[])
    assert response.status_code == 302
    assert count(Post) == 1


def test_unknown_or_foreign_topics_are_refused(browser, course, chapter, student):
    assignment = factories.assignment(chapter, topic_ids=(chapter.topics[0].id,))
    other = factories.chapter(course, number=5)
    client = browser("sofia")
    for topic_id in (999999, other.topics[0].id, chapter.topics[1].id):
        response = write(client, assignment, topics=[str(topic_id)])
        assert response.status_code == 200
        assert "not a valid choice" in html(response).lower()
    assert count(Post) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "   "}, "Give your post a title."),
        ({"body": ""}, "This field is required."),
        ({"body": " \n\t "}, "Write something before saving."),
        ({"body": "x" * 100_001}, "Field cannot be longer than 100000 characters."),
        ({"title": "t" * 201}, "Field cannot be longer than 200 characters."),
    ],
)
def test_bad_posts_are_refused_with_a_message(browser, untopical, student, changes, message):
    response = write(browser("sofia"), untopical, **changes)
    assert response.status_code == 200
    assert message in html(response)
    assert count(Post) == 0


def test_a_refused_save_previews_and_counts_the_text_as_sent(browser, untopical, student):
    sofia = browser("sofia")
    write(sofia, untopical, title="First try", body="Two words.")
    response = write(sofia, untopical, title="", body="Now **five** whole words here.")
    page = html(response)
    assert response.status_code == 200 and "This field is required." in page
    assert "Now **five** whole words here." in page, "the text box keeps what was sent"
    preview = section(page, "data-preview>", "</div>")
    assert "<strong>five</strong>" in preview and "Two words" not in preview
    assert "<span data-word-count>5</span>" in page
    assert db.session.scalar(select(Post.body)) == "Two words."


def test_the_editor_page_has_each_id_once(browser, untopical, student):
    """Its post form and its upload form each carry a CSRF token, without an id."""
    page = html(browser("sofia").get(f"/assignments/{untopical.id}/write"))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert page.count('name="csrf_token"') >= 2 and 'id="csrf_token"' not in page
    assert sorted(ids) == sorted(set(ids))


def test_a_body_of_exactly_the_maximum_is_accepted(browser, untopical, student):
    response = write(browser("sofia"), untopical, body="word " * 20_000)
    assert response.status_code == 302
    assert db.session.scalar(select(Post.word_count)) == 20_000


def test_a_second_post_is_impossible_the_write_page_edits_the_first(browser, untopical, student):
    sofia = browser("sofia")
    write(sofia, untopical, title="My only post")
    page = html(sofia.get(f"/assignments/{untopical.id}/write"))
    assert "Edit your post" in page and 'value="My only post"' in page
    write(sofia, untopical, title="Another post?")
    assert count(Post) == 1
    assert db.session.scalar(select(Post.title)) == "Another post?"


@pytest.mark.parametrize("username", ["ines", "tomas"])
def test_staff_do_not_write_posts(browser, assignment, instructor, ta, username):
    client = browser(username)
    assert client.get(f"/assignments/{assignment.id}/write").status_code == 403
    assert write(client, assignment).status_code == 403
    assert count(Post) == 0


def test_an_outsider_cannot_write(browser, assignment, outsider):
    client = browser("fred")
    assert client.get(f"/assignments/{assignment.id}/write").status_code == 404
    assert write(client, assignment).status_code == 404
    assert count(Post) == 0


def test_a_post_before_the_assignment_opens_is_refused(browser, chapter, student):
    assignment = factories.assignment(chapter, opens_at=utcnow() + timedelta(days=2), topic_ids=())
    response = write(browser("sofia"), assignment)
    assert response.status_code == 200
    assert "This assignment is not open yet." in html(response)
    assert count(Post) == 0


def test_an_edit_after_the_due_time_is_flagged_to_staff(
    browser, chapter, student, other_student, ta
):
    now = utcnow()
    assignment = factories.assignment(chapter, due_at=now - timedelta(days=1), topic_ids=())
    post = publish(student, assignment, "On time", now=now - timedelta(days=2))
    flag = "Edited after the due time"
    assert flag not in html(browser("tomas").get(f"/posts/{post.id}"))
    write(browser("sofia"), assignment, title="On time", body="Changed after the deadline.")
    page = html(browser("tomas").get(f"/posts/{post.id}"))
    assert flag in page
    assert "badge-late" not in page, "it was published on time"
    assert flag not in html(browser("omar").get(f"/posts/{post.id}"))


# --- Live preview ---------------------------------------------------------------------


def test_the_preview_renders_sanitized_html_and_counts_words(browser, course, student):
    client = browser("sofia")
    response = client.post(
        f"/courses/{course.id}/preview",
        json={"body": "**Bold** words here.\n\n<script>alert(1)</script>\n\n> quoted not counted"},
        headers={"X-CSRFToken": client.csrf_token()},
    )
    assert response.status_code == 200
    assert count(Post) == 0, "a preview stores nothing"
    assert "<strong>Bold</strong> words here." in response.json["html"]
    assert "<script" not in response.json["html"]
    assert response.json["word_count"] == 3


def test_the_preview_refuses_a_request_without_the_csrf_token(browser, course, student):
    response = browser("sofia").post(f"/courses/{course.id}/preview", json={"body": "Hi"})
    assert response.status_code == 400
    assert "html" not in (response.get_json(silent=True) or {})


@pytest.mark.parametrize("body", [{"body": 12}, {"body": None}, {"text": "hi"}, ["hi"]])
def test_the_preview_refuses_a_body_that_is_not_text(browser, course, student, body):
    client = browser("sofia")
    response = client.post(
        f"/courses/{course.id}/preview", json=body, headers={"X-CSRFToken": client.csrf_token()}
    )
    assert response.status_code == 400


def test_the_preview_refuses_a_body_over_the_maximum(browser, course, student):
    client = browser("sofia")
    response = client.post(
        f"/courses/{course.id}/preview",
        json={"body": "x" * 100_001},
        headers={"X-CSRFToken": client.csrf_token()},
    )
    assert response.status_code == 400


def test_the_preview_is_not_for_outsiders(browser, course, outsider):
    client = browser("fred")
    response = client.post(
        f"/courses/{course.id}/preview",
        json={"body": "hello"},
        headers={"X-CSRFToken": client.csrf_token()},
    )
    assert response.status_code == 404


# --- A post and its discussion --------------------------------------------------------


def test_the_post_page_shows_the_post(browser, course, assignment, student, other_student):
    post = publish(
        student, assignment, "Mirror neurons", body="They *fire* when we watch.",
        topics=assignment.topics[:2],
    )  # fmt: skip
    page = html(browser("omar").get(f"/posts/{post.id}"))
    assert '<h1 id="post-title">Mirror neurons</h1>' in page
    assert "By <strong>Sofia Student</strong>" in page
    assert '<time datetime="' in section(page, 'class="meta"', "</p>")
    assert "They <em>fire</em> when we watch." in page
    chips = section(page, 'aria-label="Topics"', "</ul>")
    assert re.findall(r'class="chip" href="/topics/\d+">([^<]+)<', chips) == [
        "Structures",
        "Connections",
    ]
    assert "No thoughts yet on “Mirror neurons”" in page


def test_comments_are_counted_numbered_and_threaded(
    browser, assignment, student, other_student, ta
):
    post = publish(student, assignment, "Mirror neurons")
    first = factories.comment(other_student, post, "Great point about neurons.")
    reply = factories.comment(student, post, "Thanks, I agree with you.", parent=first)
    second = factories.comment(ta, post, "Cite the textbook please.")
    gone = factories.comment(other_student, post, "Oops, wrong post.")
    blogs.delete_comment(gone, other_student, utcnow())
    db.session.commit()

    page = html(browser("omar").get(f"/posts/{post.id}"))
    assert "3 thoughts on “Mirror neurons”" in page
    thread = _Thread(page)
    assert thread.order == [first.id, reply.id, second.id, gone.id]
    assert thread.parent == {first.id: None, reply.id: first.id, second.id: None, gone.id: None}
    top_level = section(page, '<ol class="comment-list">', "</section>")
    assert top_level, "comments are an ordered (numbered) list"
    assert "depth-2" in thread.classes[reply.id]
    author_badges = re.findall(
        r'id="comment-(\d+)-by">[^<]*</strong>\s*<span class="badge badge-author">Post author', page
    )
    assert author_badges == [str(reply.id)]


def test_one_thought_is_singular(browser, assignment, student, other_student):
    post = publish(student, assignment, "Mirror neurons")
    factories.comment(other_student, post)
    assert "1 thought on “Mirror neurons”" in html(browser("omar").get(f"/posts/{post.id}"))


def test_a_classmate_comments_through_the_form(browser, assignment, student, other_student):
    post = publish(student, assignment)
    omar = browser("omar")
    page = html(omar.get(f"/posts/{post.id}"))
    assert 'id="respond"' in page and "Leave a reply" in page
    response = omar.submit(
        f"/posts/{post.id}/comments", {"body": "A *fine* post.", "parent_id": ""}
    )
    comment = db.session.scalar(select(Comment))
    assert response.headers["Location"] == f"/posts/{post.id}#comment-{comment.id}"
    page = html(omar.get(f"/posts/{post.id}"))
    assert "A <em>fine</em> post." in page
    assert "1 thought on" in page


def test_reply_to_opens_a_reply_form_under_that_comment(
    browser, assignment, student, other_student
):
    post = publish(student, assignment)
    first = factories.comment(other_student, post, "First comment here.")
    second = factories.comment(other_student, post, "Second comment here.")
    page = html(browser("sofia").get(f"/posts/{post.id}?reply_to={second.id}"))
    forms = _Thread(page).reply_forms
    assert (str(second.id), second.id) in forms
    assert (str(first.id), first.id) not in forms
    assert ("", None) in forms, "the form for a new top-level comment stays"
    assert f'id="respond-{second.id}"' in page and "Cancel reply" in page

    response = browser("sofia").submit(
        f"/posts/{post.id}/comments",
        {"body": "A reply to the second.", "parent_id": str(second.id)},
    )
    assert response.status_code == 302
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == second.id))
    assert reply is not None and reply.depth == 2
    assert _Thread(html(browser("omar").get(f"/posts/{post.id}"))).parent[reply.id] == second.id


@pytest.mark.parametrize("parent_id", ["99999999999999999999999", "abc", "²", "0"])
def test_a_reply_to_no_comment_is_refused_with_the_text_kept(
    browser, assignment, student, other_student, parent_id
):
    post = publish(student, assignment)
    response = browser("omar").submit(
        f"/posts/{post.id}/comments", {"body": "Kept, not lost.", "parent_id": parent_id}
    )
    page = html(response)
    assert response.status_code == 200
    assert "You can only reply to a comment of this post." in page
    assert "Kept, not lost.</textarea>" in page
    assert count(Comment) == 0


def test_replies_nest_at_most_five_deep(browser, assignment, student, other_student):
    post = publish(student, assignment)
    chain = [factories.comment(other_student, post, "Level one comment.")]
    for level in range(2, 6):
        author = student if level % 2 == 0 else other_student
        chain.append(factories.comment(author, post, f"Level {level} reply.", parent=chain[-1]))
    assert chain[-1].depth == 5
    sofia = browser("sofia")
    sofia.submit(
        f"/posts/{post.id}/comments", {"body": "Deeper still?", "parent_id": str(chain[-1].id)}
    )
    deepest = db.session.scalar(select(Comment).where(Comment.body == "Deeper still?"))
    assert deepest.depth == 5
    assert deepest.parent_id == chain[3].id
    thread = _Thread(html(sofia.get(f"/posts/{post.id}")))
    assert thread.parent[deepest.id] == chain[3].id
    assert "depth-5" in thread.classes[deepest.id]
    assert max(int(re.search(r"depth-(\d)", c)[1]) for c in thread.classes.values()) == 5


def test_a_reply_at_the_depth_limit_notifies_the_person_replied_to(
    browser, assignment, student, other_student, ta
):
    post = publish(student, assignment)
    chain = [factories.comment(other_student, post, "Level one comment.")]
    for level in range(2, 6):
        author = ta if level % 2 == 0 else other_student
        chain.append(factories.comment(author, post, f"Level {level} reply.", parent=chain[-1]))
    # Level 5 is Omar's, level 4 the TA's.
    browser("sofia").submit(
        f"/posts/{post.id}/comments", {"body": "Replying to Omar.", "parent_id": str(chain[-1].id)}
    )
    reply = db.session.scalar(select(Comment).where(Comment.body == "Replying to Omar."))
    told = set(
        db.session.scalars(select(Notification.user_id).where(Notification.comment_id == reply.id))
    )
    assert other_student.id in told


def test_editing_a_comment_keeps_a_revision_and_shows_edited(
    browser, assignment, student, other_student
):
    post = publish(student, assignment)
    comment = factories.comment(other_student, post, "Fist draft of my thought.")
    omar = browser("omar")
    page = html(omar.get(f"/posts/{post.id}"))
    assert f'href="/comments/{comment.id}/edit"' in page
    assert "(edited)" not in page
    form = html(omar.get(f"/comments/{comment.id}/edit"))
    assert "Fist draft of my thought.</textarea>" in form
    response = omar.submit(f"/comments/{comment.id}/edit", {"body": "First draft of my thought."})
    assert response.headers["Location"] == f"/posts/{post.id}#comment-{comment.id}"
    page = html(omar.get(f"/posts/{post.id}"))
    assert "First draft of my thought." in page and "Fist draft" not in page
    assert '<span class="meta">(edited)</span>' in page
    assert db.session.scalar(select(CommentRevision.body)) == "Fist draft of my thought."


def test_an_empty_edit_of_a_comment_is_refused(browser, assignment, student, other_student):
    post = publish(student, assignment)
    comment = factories.comment(other_student, post, "Keep me as I am.")
    response = browser("omar").submit(f"/comments/{comment.id}/edit", {"body": "   "})
    assert response.status_code == 200
    assert "Write something before posting." in html(response)
    assert comment.body == "Keep me as I am." and comment.edited_at is None
    assert count(CommentRevision) == 0


@pytest.mark.parametrize("username", ["sofia", "ines"])
def test_nobody_edits_someone_elses_comment(
    browser, assignment, student, other_student, instructor, username
):
    post = publish(student, assignment)
    comment = factories.comment(other_student, post, "Omar's thought.")
    client = browser(username)
    assert f"/comments/{comment.id}/edit" not in html(client.get(f"/posts/{post.id}"))
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.submit(f"/comments/{comment.id}/edit", {"body": "Changed"}).status_code == 403
    assert comment.body == "Omar's thought."


def test_deleting_a_comment_leaves_a_placeholder_and_keeps_replies(
    browser, assignment, student, other_student
):
    post = publish(student, assignment, "Mirror neurons")
    comment = factories.comment(other_student, post, "I will regret this.")
    reply = factories.comment(student, post, "A reply that stays.", parent=comment)
    omar = browser("omar")
    assert "2 thoughts on" in html(omar.get(f"/posts/{post.id}"))
    response = omar.submit(f"/comments/{comment.id}/delete")
    assert response.headers["Location"] == f"/posts/{post.id}#comment-{comment.id}"
    page = html(omar.get(f"/posts/{post.id}"))
    assert "This comment was deleted." in page
    assert "I will regret this." not in page
    assert "A reply that stays." in page
    assert _Thread(page).parent[reply.id] == comment.id
    assert "1 thought on “Mirror neurons”" in page
    assert count(Comment) == 2 and comment.deleted_at is not None
    assert omar.get(f"/comments/{comment.id}/edit").status_code == 403
    assert omar.submit(f"/comments/{comment.id}/delete").status_code == 403


@pytest.mark.parametrize("username", ["ines", "tomas"])
def test_staff_delete_any_comment(browser, assignment, student, other_student, ta, username):
    post = publish(student, assignment)
    comment = factories.comment(other_student, post, "Something rude.")
    client = browser(username)
    assert f"/comments/{comment.id}/delete" in html(client.get(f"/posts/{post.id}"))
    client.submit(f"/comments/{comment.id}/delete")
    assert comment.deleted_at is not None
    assert "This comment was deleted." in html(client.get(f"/posts/{post.id}"))


def test_a_classmate_cannot_delete_a_comment(browser, assignment, student, other_student):
    post = publish(student, assignment)
    comment = factories.comment(other_student, post, "Omar's comment.")
    sofia = browser("sofia")
    assert f"/comments/{comment.id}/delete" not in html(sofia.get(f"/posts/{post.id}"))
    assert sofia.submit(f"/comments/{comment.id}/delete").status_code == 403
    assert comment.deleted_at is None


def test_nobody_comments_on_a_draft(browser, assignment, student, other_student):
    draft = factories.post(student, assignment, publish=False)
    sofia = browser("sofia")
    page = html(sofia.get(f"/posts/{draft.id}"))
    assert "Comments open when the post is published." in page
    assert f'action="/posts/{draft.id}/comments"' not in page
    assert sofia.submit(f"/posts/{draft.id}/comments", {"body": "Self note"}).status_code == 403
    omar = browser("omar")
    assert omar.submit(f"/posts/{draft.id}/comments", {"body": "Sneaky"}).status_code in (403, 404)
    assert count(Comment) == 0


def test_a_classmates_draft_is_not_found_at_any_of_its_urls(
    browser, assignment, student, other_student
):
    draft = factories.post(student, assignment, publish=False)
    omar = browser("omar")
    assert omar.get(f"/posts/{draft.id}").status_code == 404
    statuses = {
        "comment": omar.submit(f"/posts/{draft.id}/comments", {"body": "Hi"}).status_code,
        "delete": omar.submit(f"/posts/{draft.id}/delete").status_code,
        "revisions": omar.get(f"/posts/{draft.id}/revisions").status_code,
    }
    assert statuses == {"comment": 404, "delete": 404, "revisions": 404}


def test_a_parent_comment_from_another_post_is_refused(
    browser, chapter, assignment, student, other_student
):
    post = publish(student, assignment)
    elsewhere = publish(other_student, factories.assignment(chapter, title="Another blog"))
    foreign = factories.comment(student, elsewhere, "On another post.")
    omar = browser("omar")
    response = omar.submit(
        f"/posts/{post.id}/comments", {"body": "Misplaced reply", "parent_id": str(foreign.id)}
    )
    assert response.status_code == 200
    box = section(html(response), 'id="respond"', "</form>")
    assert "You can only reply to a comment of this post." in box
    assert ">\nMisplaced reply</textarea>" in box, "the text comes back in the main box"
    assert 'name="parent_id" value=""' in box
    assert count(Comment) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "This field is required."), ("   \n  ", "Write something before posting.")],
)
def test_an_empty_comment_is_refused(browser, assignment, student, other_student, body, message):
    post = publish(student, assignment)
    omar = browser("omar")
    response = omar.submit(f"/posts/{post.id}/comments", {"body": body})
    assert response.status_code == 200
    box = section(html(response), 'id="respond"', "</form>")
    assert f'<p class="error" id="respond-error" role="alert">{message}</p>' in box
    assert 'aria-invalid="true"' in box and "autofocus" in box, "the box shows why, in focus"
    assert count(Comment) == 0


def test_a_comment_over_twenty_thousand_characters_is_refused(
    browser, assignment, student, other_student
):
    post = publish(student, assignment)
    omar = browser("omar")
    response = omar.submit(f"/posts/{post.id}/comments", {"body": "y" * 20_001})
    box = section(html(response), 'id="respond"', "</form>")
    assert "Field cannot be longer than 20000 characters." in box
    assert "y" * 20_001 + "</textarea>" in box, "nothing typed is lost"
    assert count(Comment) == 0


def test_the_comment_box_says_how_long_a_comment_must_be_to_count(
    browser, chapter, student, other_student, ta
):
    assignment = factories.assignment(chapter, required_comments=2, comment_min_words=15)
    post = publish(student, assignment)
    hint = "A comment of at least 15 words counts toward your participation."

    def box(username: str) -> str:
        return section(html(browser(username).get(f"/posts/{post.id}")), 'id="respond"', "</form>")

    assert hint in box("omar")
    assert "counts toward" not in box("sofia"), "comments on one's own post never count"
    assert "counts toward" not in box("tomas"), "staff earn no participation credit"
    assignment.comments_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "counts toward" not in box("omar"), "past the comment deadline nothing counts"


def test_a_refused_reply_comes_back_under_its_comment(browser, assignment, student, other_student):
    post = publish(student, assignment)
    question = factories.comment(student, post, "What do you think of the mirror system?")
    omar = browser("omar")
    long_reply = "A long answer. " * 1400  # 21,000 characters
    response = omar.submit(
        f"/posts/{post.id}/comments", {"body": long_reply, "parent_id": str(question.id)}
    )
    page = html(response)
    box = section(page, f'id="respond-{question.id}"', "</form>")
    assert "Field cannot be longer than 20000 characters." in box
    assert long_reply.strip() in box and f'name="parent_id" value="{question.id}"' in box
    main = section(page, 'id="respond"', "</form>")
    assert "</textarea>" in main and "A long answer." not in main and 'role="alert"' not in main
    assert count(Comment) == 1


def test_an_outsider_sees_no_post_and_cannot_comment(browser, assignment, student, outsider):
    post = publish(student, assignment)
    comment = factories.comment(student, post, "My own note.")
    fred = browser("fred")
    assert fred.get(f"/posts/{post.id}").status_code == 404
    assert fred.submit(f"/posts/{post.id}/comments", {"body": "Hi"}).status_code == 404
    assert fred.get(f"/comments/{comment.id}/edit").status_code == 404
    assert fred.submit(f"/comments/{comment.id}/delete").status_code == 404
    assert fred.get(f"/posts/{post.id}/revisions").status_code == 404
    assert count(Comment) == 1 and comment.deleted_at is None


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[y](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">z</a>',
    '<a href="&#106;avascript:alert(1)">w</a>',
    "<svg onload=alert(1)></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<p style="x" onmouseover="alert(1)">hover</p>',
    "![pic](javascript:alert(1))",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_in_a_post_or_comment_renders_inert(
    browser, untopical, assignment, video, student, other_student, ta, payload
):
    sofia = browser("sofia")
    write(sofia, untopical, title=f"Title {payload}", body=f"Before.\n\n{payload}\n\nAfter.")
    post = db.session.scalar(select(Post))
    browser("omar").submit(f"/posts/{post.id}/comments", {"body": f"Reply {payload}"})
    comment = db.session.scalar(select(Comment))
    assert comment is not None and "Reply" in html(sofia.get(f"/posts/{post.id}"))
    write(sofia, untopical, title=f"Again {payload}", body=f"Edited.\n\n{payload}")
    assert count(PostRevision) == 1
    publish(
        other_student, assignment, f"On topic {payload}",
        body=f"Text {payload} at [[video:{video.id}@00:10]]",
    )  # fmt: skip
    pages = [
        f"/posts/{post.id}",
        f"/assignments/{untopical.id}",
        f"/assignments/{untopical.id}/write",
        f"/posts/{post.id}/revisions",
        f"/topics/{assignment.topics[0].id}",
        f"/videos/{video.id}",
        "/notifications",
    ]
    for url in pages:
        response = sofia.get(url)
        assert response.status_code == 200, url
        assert_inert(html(response))
    assert_inert(html(browser("omar").get(f"/comments/{comment.id}/edit")))
    assert_inert(html(browser("tomas").get(f"/posts/{post.id}/revisions")))


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_script_in_an_assignment_prompt_renders_inert(browser, chapter, student, payload):
    assignment = factories.assignment(chapter, prompt=f"Write.\n\n{payload}")
    page = html(browser("sofia").get(f"/assignments/{assignment.id}"))
    assert "<p>Write.</p>" in page
    assert_inert(page)


def test_a_display_name_with_markup_renders_inert(browser, assignment, video, student):
    name = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    factories.member(assignment.chapter.course, "eve", "student", display_name=name)
    eve = db.session.scalar(select(User).where(User.username == "eve"))
    post = publish(student, assignment, body=f"See [[video:{video.id}@00:10]].")
    publish(eve, assignment, "Eve's post", body=f"Also [[video:{video.id}@00:20]].")
    factories.comment(eve, post, "Hello from Eve.")
    sofia = browser("sofia")
    for url in (
        f"/posts/{post.id}",
        f"/assignments/{assignment.id}",
        f"/topics/{assignment.topics[0].id}",
        f"/videos/{video.id}",
        "/notifications",
        f"/courses/{assignment.course_id}/people",
    ):
        page = html(sofia.get(url))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert_inert(page)


def test_a_title_with_markup_is_shown_as_typed(browser, assignment, student, other_student):
    post = publish(student, assignment, "Why <b>bold</b> & brave", body="Plain text body.")
    page = html(browser("omar").get(f"/posts/{post.id}"))
    assert "Why &lt;b&gt;bold&lt;/b&gt; &amp; brave" in page
    assert "<b>bold</b>" not in page
    listing = html(browser("omar").get(f"/assignments/{assignment.id}"))
    assert "Why &lt;b&gt;bold&lt;/b&gt;" in listing and "<b>bold</b>" not in listing


# --- Post before viewing --------------------------------------------------------------


@pytest.fixture
def post_first(chapter):
    return factories.assignment(chapter, title="Post first", post_before_viewing=True, topic_ids=())


def test_post_first_hides_classmates_until_the_student_publishes(
    browser, post_first, student, other_student
):
    theirs = publish(other_student, post_first, "Omar's take")
    factories.comment(other_student, theirs, "Adding a note to myself.")
    sofia = browser("sofia")
    page = html(sofia.get(f"/assignments/{post_first.id}"))
    assert "Your classmates' posts appear here once you publish your own." in page
    assert "Omar" not in section(page, "<main", "</main>")
    response = sofia.get(f"/posts/{theirs.id}")
    assert response.status_code == 403
    assert "Publish your post first" in html(response)
    assert "Adding a note" not in html(response)
    reply = sofia.submit(f"/posts/{theirs.id}/comments", {"body": "Peeking"})
    assert reply.status_code == 403
    assert count(Comment) == 1

    write(sofia, post_first, title="Sofia's take", action="save")
    assert sofia.get(f"/posts/{theirs.id}").status_code == 403, "a draft is not enough"

    write(sofia, post_first, title="Sofia's take", action="publish")
    page = html(sofia.get(f"/assignments/{post_first.id}"))
    assert "Omar&#39;s take" in page
    assert "appear here once you publish" not in page
    assert sofia.get(f"/posts/{theirs.id}").status_code == 200
    sofia.submit(f"/posts/{theirs.id}/comments", {"body": "Now I can comment."})
    assert count(Comment) == 2


def test_post_first_also_hides_posts_on_topic_and_video_pages(
    browser, chapter, video, student, other_student
):
    post_first = factories.assignment(chapter, post_before_viewing=True)
    publish(other_student, post_first, "Omar's take", body=f"See [[video:{video.id}@02:05]].")
    sofia = browser("sofia")
    topic_page = html(sofia.get(f"/topics/{post_first.topics[0].id}"))
    assert "Omar&#39;s take" not in topic_page
    assert "1 more post opens to you once you publish in its assignment." in topic_page
    assert "Omar&#39;s take" not in html(sofia.get(f"/videos/{video.id}"))


@pytest.mark.parametrize("username", ["ines", "tomas"])
def test_post_first_does_not_apply_to_staff(
    browser, post_first, student, other_student, instructor, ta, username
):
    theirs = publish(other_student, post_first, "Omar's take")
    client = browser(username)
    assert "Omar&#39;s take" in html(client.get(f"/assignments/{post_first.id}"))
    assert client.get(f"/posts/{theirs.id}").status_code == 200
    client.submit(f"/posts/{theirs.id}/comments", {"body": "Staff feedback here."})
    assert count(Comment) == 1


# --- Images ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "mimetype", "extension"),
    [
        ("PNG", "brain.png", "image/png", "png"),
        ("JPEG", "brain.jpg", "image/jpeg", "jpg"),
        ("GIF", "brain.gif", "image/gif", "gif"),
        ("WEBP", "brain.webp", "image/webp", "webp"),
    ],
)
def test_members_upload_images_and_get_markdown_to_paste(
    app, browser, course, student, other_student, outsider, kind, name, mimetype, extension
):
    data = image_bytes(kind)
    response = upload(browser("sofia"), course.id, data, name, mimetype)
    assert response.status_code == 201
    url = response.json["url"]
    assert re.fullmatch(rf"/courses/{course.id}/uploads/[A-Za-z0-9_-]+\.{extension}", url)
    assert response.json["markdown"] == f"![Describe the image]({url})"
    saved = db.session.scalar(select(Upload))
    assert (saved.content_type, saved.width, saved.height) == (mimetype, 8, 6)

    served = browser("omar").get(url)
    assert served.status_code == 200
    assert served.data == data
    assert served.headers["Content-Type"] == mimetype
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert browser("fred").get(url).status_code == 404


def test_an_image_is_typed_by_its_content_not_its_name(browser, course, student):
    gif = image_bytes("GIF")
    response = upload(browser("sofia"), course.id, gif, "photo.png", "text/html")
    assert response.status_code == 201
    assert response.json["url"].endswith(".gif")
    served = browser("sofia").get(response.json["url"])
    assert served.headers["Content-Type"] == "image/gif" and served.data == gif


def test_an_image_with_absurd_dimensions_is_refused(app, browser, course, student):
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")
    before = stored_files(app)
    response = upload(browser("sofia"), course.id, buffer.getvalue(), "flood.png")
    assert response.status_code == 422
    assert "That image has too many pixels." in response.json["error"]["message"]
    assert count(Upload) == 0 and stored_files(app) == before


def test_an_image_is_not_served_under_another_course(browser, instructor, course, student):
    other = factories.course(instructor, title="Another course")
    url = upload(browser("sofia"), course.id, image_bytes("PNG"), "a.png").json["url"]
    filename = url.rsplit("/", 1)[1]
    assert browser("ines").get(f"/courses/{other.id}/uploads/{filename}").status_code == 404
    assert browser("ines").get(url).status_code == 200


def test_an_uploaded_image_shows_in_a_post(browser, untopical, student, other_student):
    sofia = browser("sofia")
    markdown = upload(sofia, untopical.course_id, image_bytes("PNG"), "a.png").json["markdown"]
    write(sofia, untopical, body=f"Look at this:\n\n{markdown}")
    post = db.session.scalar(select(Post))
    url = markdown.split("(", 1)[1].rstrip(")")
    assert f'<img alt="Describe the image" src="{url}"' in html(
        browser("omar").get(f"/posts/{post.id}")
    )


def _truncated_png() -> bytes:
    noise = Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def _big_png() -> bytes:
    noise = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert 5 * 1024 * 1024 < len(buffer.getvalue()) < 8 * 1024 * 1024
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "mimetype", "message"),
    [
        (b"Just some text, honest.\n", "notes.png", "image/png", "not a PNG, JPEG, GIF or WebP"),
        (b"MZ" + b"\x90\x00" * 200, "setup.jpg", "image/jpeg", "not a PNG, JPEG, GIF or WebP"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 300, "run.jpg", "image/jpeg", "not a PNG"),
        (_truncated_png(), "cut.png", "image/png", "not a PNG, JPEG, GIF or WebP"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "image/svg+xml",
            "not a PNG, JPEG, GIF or WebP",
        ),
        (image_bytes("BMP"), "old.bmp", "image/bmp", "not a PNG, JPEG, GIF or WebP"),
        (_big_png(), "huge.png", "image/png", "Images can be at most 5 MB."),
    ],
    ids=["text", "pe", "elf", "truncated", "svg", "bmp", "over-5mb"],
)
def test_uploads_that_are_not_images_are_refused(
    app, browser, course, student, data, name, mimetype, message
):
    before = stored_files(app)
    response = upload(browser("sofia"), course.id, data, name, mimetype)
    assert response.status_code == 422
    assert message in response.json["error"]["message"]
    assert count(Upload) == 0
    assert stored_files(app) == before


def test_an_upload_over_the_request_limit_is_refused(app, browser, course, student):
    before = stored_files(app)
    data = image_bytes("PNG") + b"\0" * (9 * 1024 * 1024)
    response = upload(browser("sofia"), course.id, data, "huge.png")
    assert response.status_code == 413
    assert count(Upload) == 0 and stored_files(app) == before


def test_an_upload_without_a_file_is_refused(app, browser, course, student):
    client = browser("sofia")
    before = stored_files(app)
    response = client.post(
        f"/courses/{course.id}/uploads",
        data={"csrf_token": client.csrf_token()},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Choose an image to upload." in response.json["error"]["message"]
    assert count(Upload) == 0 and stored_files(app) == before


def test_an_upload_needs_the_csrf_token(app, browser, course, student):
    client = browser("sofia")
    response = client.post(
        f"/courses/{course.id}/uploads",
        data={"image": (io.BytesIO(image_bytes("PNG")), "a.png", "image/png")},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert count(Upload) == 0


def test_an_outsider_cannot_upload(app, browser, course, outsider):
    before = stored_files(app)
    response = upload(browser("fred"), course.id, image_bytes("PNG"), "a.png")
    assert response.status_code == 404
    assert count(Upload) == 0 and stored_files(app) == before


def test_an_upload_from_the_form_without_javascript_flashes_the_markdown(
    browser, assignment, student
):
    client = browser("sofia")
    write_url = f"/assignments/{assignment.id}/write"
    response = client.post(
        f"/courses/{assignment.course_id}/uploads",
        data={
            "csrf_token": client.csrf_token(),
            "image": (io.BytesIO(image_bytes("PNG")), "a.png", "image/png"),
        },
        headers={"Referer": f"http://localhost{write_url}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(write_url)
    page = html(client.get(write_url))
    assert "Image uploaded. Paste this into your post: ![Describe the image](/courses/" in page


# --- Notifications --------------------------------------------------------------------


def bell(page: str) -> str:
    return re.search(r'class="bell"\s+aria-label="([^"]+)"', page)[1]


def test_comments_and_replies_notify_the_people_concerned(
    browser, assignment, student, other_student
):
    post = publish(student, assignment, "Mirror neurons")
    sofia, omar = browser("sofia"), browser("omar")
    assert bell(html(sofia.get("/"))) == "Notifications"

    omar.submit(f"/posts/{post.id}/comments", {"body": "Nice work on this."})
    comment = db.session.scalar(select(Comment))
    assert bell(html(sofia.get("/"))) == "Notifications, 1 unread"
    assert bell(html(omar.get("/"))) == "Notifications", "nobody is told of their own comment"

    sofia.submit(f"/posts/{post.id}/comments", {"body": "Thank you!", "parent_id": str(comment.id)})
    assert bell(html(omar.get("/"))) == "Notifications, 1 unread"
    assert bell(html(sofia.get("/"))) == "Notifications, 1 unread", (
        "her own reply tells her nothing"
    )

    page = html(sofia.get("/notifications"))
    assert re.search(
        r"<strong>Omar Other</strong>\s*commented on your post\s*“Mirror neurons”", page
    )
    page = html(omar.get("/notifications"))
    assert re.search(
        r"<strong>Sofia Student</strong>\s*replied to your comment on\s*“Mirror neurons”", page
    )


def test_a_reply_tells_both_the_commenter_and_the_post_author(
    browser, assignment, student, other_student, ta
):
    post = publish(student, assignment)
    comment = factories.comment(other_student, post, "A first thought.")
    browser("tomas").submit(
        f"/posts/{post.id}/comments", {"body": "A TA reply.", "parent_id": str(comment.id)}
    )
    assert bell(html(browser("omar").get("/"))) == "Notifications, 1 unread"
    assert bell(html(browser("sofia").get("/"))) == "Notifications, 2 unread"


def test_the_authors_own_comment_tells_nobody(browser, assignment, student):
    post = publish(student, assignment)
    browser("sofia").submit(f"/posts/{post.id}/comments", {"body": "A note on my own post."})
    assert count(Comment) == 1
    assert count(Notification) == 0
    assert "Nothing yet." in html(browser("sofia").get("/notifications"))


def test_a_notification_quotes_the_comment_and_goes_when_it_is_deleted(
    browser, assignment, student, other_student
):
    post = publish(student, assignment)
    kept = factories.comment(other_student, post, "The *mirror* system & imitation, again.")
    regretted = factories.comment(other_student, post, "Something I take back.")
    sofia = browser("sofia")
    page = html(sofia.get("/notifications"))
    assert bell(page) == "Notifications, 2 unread"
    assert (
        '<blockquote class="excerpt">The mirror system &amp; imitation, again.</blockquote>' in page
    )
    assert page.count('class="local-time"') >= 2, "each says when"
    blogs.delete_comment(regretted, other_student, utcnow())
    db.session.commit()
    page = html(sofia.get("/notifications"))
    assert bell(page) == "Notifications, 1 unread"
    assert "Something I take back." not in page and f"#comment-{kept.id}" in page


def test_a_notification_names_its_course_and_goes_with_the_membership(
    browser, assignment, student, other_student
):
    post = publish(student, assignment)
    factories.comment(other_student, post, "A thought.")
    page = html(browser("sofia").get("/notifications"))
    assert '<span title="Introduction to Neuroscience">NEURO 101</span>' in page
    ines = browser("ines")
    ines.submit(f"/courses/{assignment.course_id}/people/{student.id}/remove")
    page = html(browser("sofia").get("/notifications"))
    assert bell(page) == "Notifications"
    assert "A thought." not in page and "Nothing yet." in page


def test_marking_notifications_read_clears_the_count(
    browser, assignment, student, other_student, ta
):
    post = publish(student, assignment)
    factories.comment(other_student, post, "One.")
    factories.comment(ta, post, "Two.")
    factories.comment(other_student, post, "Three.")
    sofia = browser("sofia")
    page = html(sofia.get("/notifications"))
    assert bell(page) == "Notifications, 3 unread"
    assert page.count('<span class="badge">New</span>') == 3
    first = db.session.scalars(select(Notification).order_by(Notification.id)).first()
    comment = first.comment
    response = sofia.submit(
        "/notifications/read",
        {"id": str(first.id), "next": f"/posts/{post.id}#comment-{comment.id}"},
    )
    assert response.headers["Location"] == f"/posts/{post.id}#comment-{comment.id}"
    page = html(sofia.get("/notifications"))
    assert bell(page) == "Notifications, 2 unread"
    assert page.count('<span class="badge">New</span>') == 2

    sofia.submit("/notifications/read")
    page = html(sofia.get("/notifications"))
    assert bell(page) == "Notifications"
    assert "bell-count" not in page and "Mark all read" not in page
    assert count(Notification, Notification.read_at.is_(None)) == 0


def test_marking_read_never_touches_someone_elses_notifications(
    browser, assignment, student, other_student
):
    post = publish(student, assignment)
    factories.comment(other_student, post)
    note = db.session.scalar(select(Notification))
    browser("omar").submit("/notifications/read", {"id": str(note.id)})
    browser("omar").submit("/notifications/read")
    assert note.read_at is None
    assert bell(html(browser("sofia").get("/"))) == "Notifications, 1 unread"


@pytest.mark.parametrize("named", ["99999999999999999999999", "abc", "²"])
def test_marking_read_a_notification_of_no_number_is_a_clear_400(
    browser, assignment, student, other_student, named
):
    factories.comment(other_student, publish(student, assignment))
    response = browser("sofia").submit("/notifications/read", {"id": named})
    assert response.status_code == 400
    assert "Name a notification by its number." in html(response)
    assert count(Notification, Notification.read_at.is_(None)) == 1


def test_marking_read_does_not_redirect_off_site(browser, assignment, student, other_student):
    response = browser("sofia").submit("/notifications/read", {"next": "https://evil.example/"})
    assert response.headers["Location"] == "/notifications"


# --- Chapter, topic and video pages ---------------------------------------------------


def test_the_chapter_page_lists_assignments_with_the_students_status(
    browser, chapter, student, other_student
):
    late = factories.assignment(chapter, title="Late one", due_at=utcnow() - timedelta(days=1))
    drafted = factories.assignment(
        chapter, title="Drafted one", due_at=utcnow() + timedelta(days=1)
    )
    untouched = factories.assignment(chapter, title="Untouched one")
    publish(student, late, "Late post")
    factories.post(student, drafted, publish=False)
    publish(other_student, drafted, "Omar's")
    page = html(browser("sofia").get(f"/chapters/{chapter.id}"))
    cards = dict(
        re.findall(r'<h3><a href="/assignments/\d+">([^<]+)</a></h3>(.*?)</li>', page, re.S)
    )
    assert "Published" in cards["Late one"] and "badge-late" in cards["Late one"]
    assert "1 published post" in cards["Late one"]
    assert '<span class="badge">Draft</span>' in cards["Drafted one"]
    assert "1 published post" in cards["Drafted one"], "Sofia's draft is not counted"
    assert "Not started" in cards["Untouched one"]
    assert "0 published posts" in cards["Untouched one"]
    assert untouched.title in page
    omars = dict(
        re.findall(
            r'<h3><a href="/assignments/\d+">([^<]+)</a></h3>(.*?)</li>',
            html(browser("omar").get(f"/chapters/{chapter.id}")),
            re.S,
        )
    )
    assert "Not started" in omars["Late one"] and "Published" in omars["Drafted one"]


def test_the_chapter_page_counts_published_posts_per_topic(
    browser, chapter, assignment, student, other_student
):
    structures, connections, _ = assignment.topics
    publish(student, assignment, "Cortex", topics=[structures, connections])
    draft = factories.post(other_student, assignment, publish=False)
    assert draft.status is PostStatus.draft
    page = html(browser("sofia").get(f"/chapters/{chapter.id}"))
    counts = dict(
        re.findall(
            r'<h3><a href="/topics/\d+">([^<]+)</a></h3>\s*<p class="meta">([^<]+)</p>', page
        )
    )
    assert counts == {"Structures": "1 post", "Connections": "1 post", "Functions": "0 posts"}


def test_the_topic_page_lists_published_posts_with_comment_counts(
    browser, chapter, assignment, student, other_student
):
    structures = assignment.topics[0]
    post = publish(student, assignment, "Cortex", topics=[structures])
    factories.comment(other_student, post)
    factories.comment(student, post, "Thanks for reading it.")
    factories.post(other_student, assignment, title="Unfinished", publish=False)
    third = factories.member(chapter.course, "lena", "student")
    publish(third, assignment, "Elsewhere", topics=[assignment.topics[1]])
    page = html(browser("omar").get(f"/topics/{structures.id}"))
    assert "<h1>Structures</h1>" in page
    assert 'Posts on this topic <span class="count">(1)</span>' in page
    assert "Cortex" in page and "2 comments" in page
    assert "Unfinished" not in page and "Elsewhere" not in page


def test_the_topic_page_lists_the_newest_posts_a_page_at_a_time(
    browser, chapter, assignment, monkeypatch
):
    monkeypatch.setattr("coursehub.blogs.views.POSTS_PER_PAGE", 2)
    structures = assignment.topics[0]
    start = utcnow() - timedelta(hours=1)
    for n in range(3):
        writer = factories.member(chapter.course, f"writer{n}", "student")
        publish(
            writer,
            assignment,
            f"Topic post {n}",
            topics=[structures],
            now=start + timedelta(minutes=n),
        )
    ines = browser("ines")

    def listed(page: int | str) -> tuple[list[str], str]:
        text = html(ines.get(f"/topics/{structures.id}?page={page}"))
        return re.findall(r'class="post-title">Topic post (\d)<', text), text

    first, text = listed(1)
    assert first == ["2", "1"], "newest first"
    assert 'Posts on this topic <span class="count">(3)</span>' in text
    assert "Older posts" in text and "Newer posts" not in text
    second, text = listed(2)
    assert second == ["0"] and "Newer posts" in text and "Older posts" not in text
    assert listed("99999999999999999999")[0] == ["0"]


def test_the_topic_page_is_not_for_outsiders(browser, chapter, outsider):
    assert browser("fred").get(f"/topics/{chapter.topics[0].id}").status_code == 404


def test_the_video_page_lists_posts_citing_it(browser, assignment, video, student, other_student):
    publish(
        student, assignment, "Cortex tour",
        body=f"At [[video:{video.id}@02:05]] we see it; [[video:{video.id}@30:01]] is past it.",
    )  # fmt: skip
    factories.post(
        other_student, assignment, title="Draft citing",
        body=f"Soon [[video:{video.id}@01:00]].", publish=False,
    )  # fmt: skip
    page = html(browser("sofia").get(f"/videos/{video.id}"))
    cited = section(page, 'id="citations-heading"', "</section>")
    assert "Cortex tour" in cited and "by Sofia Student" in cited
    assert f'href="/videos/{video.id}?t=125"' in cited and '<span class="time">2:05</span>' in cited
    assert "Draft citing" not in cited
    assert count(VideoCitation) == 2
    post_page = html(
        browser("omar").get(
            f"/posts/{db.session.scalar(select(Post.id).where(Post.title == 'Cortex tour'))}"
        )
    )
    assert f'<a class="citation" href="/videos/{video.id}?t=125">' in post_page
    assert f"[[video:{video.id}@30:01]] is past it" in post_page


def test_a_much_cited_video_lists_its_citations_by_moment_a_page_at_a_time(
    browser, assignment, video, student, other_student, monkeypatch
):
    monkeypatch.setattr("coursehub.courses.views.CITATIONS_PER_PAGE", 2)
    publish(student, assignment, "Late moment", body=f"At [[video:{video.id}@09:00]].")
    publish(other_student, assignment, "Early moment", body=f"At [[video:{video.id}@00:30]].")
    third = factories.member(assignment.chapter.course, "lena", "student")
    publish(third, assignment, "Middle moment", body=f"At [[video:{video.id}@04:00]].")
    sofia = browser("sofia")

    def cited(query: str) -> str:
        page = html(sofia.get(f"/videos/{video.id}{query}"))
        return section(page, 'id="citations-heading"', "</section>")

    def titles(section_html: str) -> list[str]:
        return re.findall(r'<a href="/posts/\d+" class="post-title">([^<]+)</a>', section_html)

    first = cited("?t=30")
    assert titles(first) == ["Early moment", "Middle moment"]
    # Paging keeps the moment the player was asked to start at.
    assert f'href="/videos/{video.id}?page=2&amp;t=30" rel="next">Later moments' in first
    assert 'rel="prev"' not in first
    second = cited("?page=2&t=30")
    assert titles(second) == ["Late moment"]
    assert f'href="/videos/{video.id}?page=1&amp;t=30" rel="prev">Earlier moments' in second
    assert 'rel="next"' not in second
    beyond = cited("?page=7")
    assert titles(beyond) == [] and "No posts cite moments this far along." in beyond
    assert f'href="/videos/{video.id}">Back to the first moments' in beyond
    assert "No post cites this video yet" not in beyond


def test_an_uncited_video_shows_how_to_cite_a_moment_inside_it(
    browser, untopical, chapter, student
):
    short = courses.create_video(chapter, "Short one", "https://vimeo.com/76979871", 300, [])
    db.session.commit()
    example = f"[[video:{short.id}@2:30]]"
    assert f"<code>{example}</code>" in html(browser("sofia").get(f"/videos/{short.id}"))
    write(browser("sofia"), untopical, title="Trying it", body=f"As {example} shows.")
    assert db.session.scalar(select(VideoCitation.seconds)) == 150


def test_removing_a_citation_removes_the_post_from_the_video_page(
    browser, untopical, video, student
):
    sofia = browser("sofia")
    write(sofia, untopical, title="Cortex tour", body=f"At [[video:{video.id}@02:05]].")
    page = html(sofia.get(f"/videos/{video.id}"))
    assert "Cortex tour" in section(page, 'id="citations-heading"', "</section>")
    write(sofia, untopical, title="Cortex tour", body="No citation any more.")
    page = html(sofia.get(f"/videos/{video.id}"))
    assert "Cortex tour" not in section(page, 'id="citations-heading"', "</section>")


# --- Removing a post ------------------------------------------------------------------


@pytest.mark.parametrize("username", ["sofia", "ines", "tomas"])
def test_the_author_or_staff_remove_a_post_and_its_comments_stay(
    browser, assignment, student, other_student, instructor, ta, username
):
    post = publish(student, assignment, "Regrettable")
    factories.comment(other_student, post, "A comment worth keeping.")
    assert "Regrettable" in html(browser("omar").get(f"/assignments/{assignment.id}"))
    client = browser(username)
    response = client.submit(f"/posts/{post.id}/delete")
    assert response.headers["Location"] == f"/assignments/{assignment.id}"
    page = html(client.get(response.headers["Location"]))
    assert "The post is removed." in page
    assert "Regrettable" not in section(page, 'id="posts-heading"', "</section>")
    assert browser("omar").get(f"/posts/{post.id}").status_code == 404
    assert "Regrettable" not in html(browser("omar").get(f"/topics/{assignment.topics[0].id}"))
    assert "0 published posts" in html(browser("omar").get(f"/chapters/{assignment.chapter_id}"))
    assert count(Post) == 1 and post.deleted_at is not None
    assert count(Comment) == 1


def test_a_classmate_cannot_remove_a_post(browser, assignment, student, other_student):
    post = publish(student, assignment)
    omar = browser("omar")
    assert "Remove post" not in html(omar.get(f"/posts/{post.id}"))
    assert omar.submit(f"/posts/{post.id}/delete").status_code == 403
    assert post.deleted_at is None


def test_a_student_who_removed_their_post_can_write_again(
    browser, untopical, student, other_student
):
    sofia = browser("sofia")
    write(sofia, untopical, title="First attempt", body="The text I removed.")
    post = db.session.scalar(select(Post))
    sofia.submit(f"/posts/{post.id}/delete")
    page = html(sofia.get(f"/assignments/{untopical.id}"))
    assert "You have no post here yet." in page and "Write your post" in page
    response = write(sofia, untopical, title="Second attempt", body="A fresh start.")
    assert response.status_code == 302
    omar_sees = html(browser("omar").get(f"/assignments/{untopical.id}"))
    assert "Second attempt" in omar_sees and "First attempt" not in omar_sees
    assert count(Post) == 2, "the removed post stays, removed, beside the new one"
    assert sofia.get(f"/posts/{post.id}").status_code == 404
