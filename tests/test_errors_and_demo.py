"""Error pages, page structure, and the demo course command."""

from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from coursehub.courses import queries
from coursehub.courses.models import Chapter, Course, LectureVideo, Membership, Role
from coursehub.demo import DEMO_PASSWORD
from coursehub.extensions import db


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "There is nothing here" in page and '<main id="main"' in page


def test_too_large_upload_is_a_413_page(client, instructor):
    client.sign_in("ines")
    response = client.post("/courses/new", data={"description": "x" * (9 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_wrong_method_is_a_405_page(client):
    response = client.get("/accounts/logout")
    assert response.status_code == 405
    assert "not allowed" in response.get_data(as_text=True)


def test_server_error_shows_a_page_without_details(app, client, instructor, monkeypatch):
    def broken(user):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(queries, "memberships_of", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    client.sign_in("ines")
    response = client.get("/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_demo_loads_the_neuroscience_course_once(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "rivera" in result.output and DEMO_PASSWORD in result.output

    course = db.session.scalar(select(Course))
    chapter = db.session.scalar(select(Chapter).where(Chapter.number == 4))
    assert chapter.title == "Structures, Connections, Functions"
    assert [topic.name for topic in chapter.topics] == ["Structures", "Connections", "Functions"]
    video = db.session.scalar(select(LectureVideo))
    assert video.chapter_id == chapter.id and len(video.segments) >= 5
    roles = db.session.execute(
        select(Membership.role, func.count())
        .where(Membership.course_id == course.id)
        .group_by(Membership.role)
    ).all()
    assert dict(roles) == {Role.instructor: 1, Role.ta: 1, Role.student: 5}

    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "already loaded" in again.output
    assert db.session.scalar(select(func.count()).select_from(Course)) == 1
    assert runner.invoke(args=["demo"]).exit_code != 0

    client.sign_in("maya", DEMO_PASSWORD)
    page = client.get(f"/chapters/{chapter.id}").get_data(as_text=True)
    assert "A tour of the brain" in page


class _Fields(HTMLParser):
    """Collects label targets and the ids of fields a person fills in."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: set[str] = set()
        self.fields: list[str | None] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "textarea", "select") and attrs.get("type") not in ("hidden", "submit"):
            self.fields.append(attrs.get("id"))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/courses/join",
        "/courses/new",
        "/accounts/password",
        "/courses/{course}",
        "/courses/{course}/settings",
        "/courses/{course}/people",
        "/courses/{course}/chapters/new",
        "/chapters/{chapter}",
        "/chapters/{chapter}/edit",
        "/chapters/{chapter}/videos/new",
        "/videos/{video}",
    ],
)
def test_pages_have_landmarks_and_every_field_a_label(
    client, course, chapter, video, student, path
):
    client.sign_in("ines")
    response = client.get(path.format(course=course.id, chapter=chapter.id, video=video.id))
    assert response.status_code == 200
    parser = _Fields()
    parser.feed(response.get_data(as_text=True))
    assert {"header", "nav", "main", "footer"} <= parser.tags
    assert all(field_id in parser.labels for field_id in parser.fields), parser.fields


def test_sign_in_and_register_pages_label_their_fields(client):
    for path in ("/accounts/login", "/accounts/register"):
        parser = _Fields()
        parser.feed(client.get(path).get_data(as_text=True))
        assert parser.fields and all(field_id in parser.labels for field_id in parser.fields)


def test_absurd_ids_are_404_not_a_crash(client, outsider):
    client.sign_in("fred")
    for path in ("/courses/99999999999999999999999", "/chapters/0", "/videos/-1"):
        assert client.get(path).status_code == 404


def test_nul_characters_are_dropped_from_form_text(client, instructor):
    client.sign_in("ines")
    client.submit("/courses/new", {"code": "NE\x00URO", "title": "Brains\x00", "description": ""})
    assert db.session.scalar(select(Course.code)) == "NEURO"


def test_a_race_on_a_unique_value_is_a_conflict_not_a_crash(client, instructor, monkeypatch):
    from coursehub.accounts import services

    # As if another request took the username between the check and the insert.
    monkeypatch.setattr(services, "user_by_username", lambda username: None)
    response = client.submit(
        "/accounts/register",
        {
            "username": "ines",
            "display_name": "Twin",
            "email": "twin@example.org",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
    )
    assert response.status_code == 409
    assert "clashes with something saved a moment ago" in response.get_data(as_text=True)
