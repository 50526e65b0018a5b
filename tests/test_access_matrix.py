"""The access matrix: every route and method, as every role, against tests/access_policy.py.

Each case starts from one realistic course (and a second course none of the roles is in),
built through the services, sends one valid request as one role, and checks the answer's
class against the policy. A refused request must change nothing in the database; a
permitted write must change something (so the request really was valid); a GET never
writes; nothing answers 5xx. A route without a policy entry fails the coverage tests.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, current_app
from PIL import Image
from sqlalchemy import func, select, text
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from coursehub.accounts import services as accounts
from coursehub.accounts.models import User
from coursehub.blogs import services as blogs
from coursehub.blogs.models import Assignment, Notification, Upload, VideoCitation
from coursehub.courses import services as courses
from coursehub.courses.models import Role
from coursehub.courses.services import SegmentSpec, TopicSpec
from coursehub.db import utcnow
from coursehub.extensions import db
from coursehub.participation import services as participation
from tests.access_policy import (
    FORBIDDEN,
    FOREIGN,
    KNOWN_BUGS,
    LOGIN,
    NOT_FOUND,
    OK,
    POLICY,
    ROLES,
)
from tests.factories import PASSWORD

IGNORED_METHODS = {"HEAD", "OPTIONS"}
SKIPPED_ENDPOINTS = {"static"}
REFUSALS = {LOGIN, FORBIDDEN, NOT_FOUND}

# --- The world ---------------------------------------------------------------------------

PEOPLE = {  # role -> (username, display name)
    "instructor": ("ines", "Ines Instructor"),
    "ta": ("tomas", "Tomas Assistant"),
    "student": ("sofia", "Sofia Student"),
    "other_student": ("omar", "Omar Other"),
    "outsider": ("fred", "Fred Outsider"),
    "admin": ("ada", "Ada Admin"),
}
# The second course's own people: its ids are real to them, and to nobody in ROLES.
OTHERS = {"foreign_instructor": ("olga", "Olga Elsewhere"), "foreign_student": ("sam", "Sam")}
POST_BODY = "Mirror neurons fire when we act and when we watch others act."
COMMENT_BODY = "I enjoyed reading this post a lot."


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 60)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


@dataclass
class World:
    user_ids: dict[str, int]
    tokens: dict[str, str]
    path: dict[str, Any]  # URL parameter name -> value, in the course
    foreign: dict[str, Any]  # the same parameters, in the second course
    topic_ids: list[int]
    fresh_assignment_id: int  # an assignment nobody has posted to yet
    spare_video_id: int  # a lecture video no post cites
    empty_chapter_id: int  # a chapter with topics but no assignments or videos
    draft_id: int  # other_student's draft
    classmate_comment_id: int  # other_student's comment on the student's post
    foreign_join_code: str
    foreign_topic_id: int
    foreign_video_id: int

    def username(self, role: str) -> str:
        """The role's username; anonymous signs in (where it does) as the student."""
        return PEOPLE["student" if role == "anonymous" else role][0]


def build_world() -> World:
    """The course of the matrix and a second course, through the services, one commit."""
    now = utcnow()
    folder = Path(current_app.config["UPLOAD_FOLDER"])

    def person(username: str, display_name: str):
        return accounts.register_user(
            username, f"{username}@example.org", PASSWORD, display_name, now
        )

    users = {role: person(*names) for role, names in PEOPLE.items()}
    users["admin"].is_admin = True

    course = courses.create_course(
        users["instructor"], "NEURO 101", "Introduction to Neuroscience", "How brains work.", now
    )
    for role in ("ta", "student", "other_student"):
        courses.join_course(users[role], course.join_code, now)
    courses.set_role(course, users["ta"].id, Role.ta, users["instructor"], now)
    chapter = courses.create_chapter(
        course, 4, "Structures, Connections, Functions", "Parts of the brain.",
        [TopicSpec("Structures"), TopicSpec("Connections"), TopicSpec("Functions")],
    )  # fmt: skip
    topic_ids = [topic.id for topic in chapter.topics]
    video = courses.create_video(
        chapter, "Touring the brain", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", 1800,
        [SegmentSpec(0, "Welcome"), SegmentSpec(125, "The cortex", topic_ids[0])],
    )  # fmt: skip
    spare = courses.create_video(
        chapter, "Synapses", "https://vimeo.com/76979871", 900, [SegmentSpec(0, "Welcome")]
    )
    empty = courses.create_chapter(course, 6, "Plasticity", "", [TopicSpec("Learning")])
    rules = {
        "topic_ids": tuple(topic_ids), "min_words": 5, "required_comments": 2,
        "comment_min_words": 3, "post_points": 10, "comment_points": 5,
    }  # fmt: skip
    assignment = blogs.create_assignment(
        chapter, blogs.AssignmentSpec(title="Blog: how the brain is wired", **rules), now
    )
    fresh = blogs.create_assignment(
        chapter, blogs.AssignmentSpec(title="Blog: second thoughts", **rules), now
    )
    student, classmate = users["student"], users["other_student"]
    post = blogs.create_post(
        student, assignment, "Mirror neurons", POST_BODY, topic_ids[:1], True, now
    )
    cited = f"{POST_BODY} As the lecture shows at [[video:{video.id}@2:05]]."  # a citation
    blogs.update_post(post, "Mirror neurons", cited, topic_ids[:1], True, now)  # a revision
    comment = blogs.add_comment(classmate, post, COMMENT_BODY, None, now)  # notifies the student
    reply = blogs.add_comment(student, post, "Thank you, Omar!", comment.id, now)  # notifies omar
    draft = blogs.create_post(
        classmate, assignment, "Half done", POST_BODY, topic_ids[1:2], False, now
    )
    upload = blogs.save_upload(course.id, student, io.BytesIO(PNG), "brain.png", folder, now)
    participation.set_override(users["instructor"], assignment, student.id, 7.5, "Excused", now)

    # The second course: none of the roles above is in it.
    others = {role: person(*names) for role, names in OTHERS.items()}
    olga, sam = others["foreign_instructor"], others["foreign_student"]
    other = courses.create_course(olga, "PSYC 200", "Perception", "Seeing and hearing.", now)
    courses.join_course(sam, other.join_code, now)
    other_chapter = courses.create_chapter(
        other, 1, "Vision", "Eyes and brains.", [TopicSpec("Retina")]
    )
    other_video = courses.create_video(
        other_chapter, "Secret lecture", "https://vimeo.com/76979871", 600, [SegmentSpec(0, "Hi")]
    )
    other_assignment = blogs.create_assignment(
        other_chapter, blogs.AssignmentSpec(title="Blog: what we see"), now
    )
    other_post = blogs.create_post(sam, other_assignment, "Colour", POST_BODY, [], True, now)
    other_comment = blogs.add_comment(sam, other_post, COMMENT_BODY, None, now)
    other_upload = blogs.save_upload(other.id, sam, io.BytesIO(PNG), "eye.png", folder, now)

    tokens = {role: accounts.create_api_token(user, now) for role, user in (users | others).items()}
    db.session.commit()
    return World(
        user_ids={role: user.id for role, user in users.items()},
        tokens=tokens,
        path={
            "course_id": course.id, "chapter_id": chapter.id, "topic_id": topic_ids[0],
            "video_id": video.id, "assignment_id": assignment.id, "post_id": post.id,
            "comment_id": reply.id, "user_id": student.id, "student_id": student.id,
            "filename": upload.filename,
        },
        foreign={
            "course_id": other.id, "chapter_id": other_chapter.id,
            "topic_id": other_chapter.topics[0].id, "video_id": other_video.id,
            "assignment_id": other_assignment.id, "post_id": other_post.id,
            "comment_id": other_comment.id, "user_id": sam.id, "student_id": sam.id,
            "filename": other_upload.filename,
        },
        topic_ids=topic_ids,
        fresh_assignment_id=fresh.id,
        spare_video_id=spare.id,
        empty_chapter_id=empty.id,
        draft_id=draft.id,
        classmate_comment_id=comment.id,
        foreign_join_code=other.join_code,
        foreign_topic_id=other_chapter.topics[0].id,
        foreign_video_id=other_video.id,
    )  # fmt: skip


# The world is built through the services once, then its rows are put back for each test:
# every test starts from empty tables, and rebuilding it 800 times would take minutes.
_BUILT: list[tuple[World, dict[str, list[tuple]]]] = []


@pytest.fixture
def world(app: Flask) -> World:
    if not _BUILT:
        built = build_world()
        _BUILT.append((built, snapshot()))
        return built
    built, rows = _BUILT[0]
    restore(rows)
    return built


def restore(rows: dict[str, list[tuple]]) -> None:
    """Insert a snapshot's rows into the emptied tables, with their ids, as they were."""
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            keys = [column.key for column in table.columns]
            records = [dict(zip(keys, row, strict=True)) for row in rows[table.name]]
            if not records:
                continue
            connection.execute(table.insert(), records)
            if connection.dialect.name == "postgresql" and "id" in keys:
                # Rows inserted with their ids leave the id sequence behind; catch it up.
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                    {"table": table.name, "last": max(record["id"] for record in records)},
                )
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    for upload in db.session.scalars(select(Upload)):
        if not (folder / upload.filename).exists():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / upload.filename).write_bytes(PNG)
    db.session.rollback()


# --- One valid request per route and method ----------------------------------------------

Spec = dict[str, Any]  # keyword arguments of the test client: data= (a form) or json=


def form(**fields: Any) -> Spec:
    return {"data": fields}


def body(**fields: Any) -> Spec:
    return {"json": fields}


def assignment_form(w: World, title: str) -> Spec:
    return form(
        title=title, prompt="Explain **one** structure.", topics=[str(t) for t in w.topic_ids],
        min_words="5", required_comments="2", comment_min_words="3", post_points="10",
        comment_points="5", late_penalty_percent="20",
    )  # fmt: skip


# Writes need a body a permitted role would send; a GET is sent plain. A write route
# missing here fails test_matrix_covers_every_endpoint.
REQUESTS: dict[tuple[str, str], Callable[[World, str], Spec]] = {
    ("accounts.login", "POST"): lambda w, r: form(username=w.username(r), password=PASSWORD),
    ("accounts.logout", "POST"): lambda w, r: form(),
    ("accounts.register", "POST"): lambda w, r: form(
        username="newcomer",
        display_name="New Comer",
        email="newcomer@example.org",
        password="a long enough password",
        confirm="a long enough password",
    ),  # fmt: skip
    ("accounts.change_password", "POST"): lambda w, r: form(
        current_password=PASSWORD,
        new_password="a brand new password",
        confirm="a brand new password",
    ),  # fmt: skip
    ("courses.new_course", "POST"): lambda w, r: form(
        code="BIO 1", title="Biology", description="", timezone="UTC"
    ),
    ("courses.join", "POST"): lambda w, r: form(join_code=w.foreign_join_code),
    ("courses.settings", "POST"): lambda w, r: form(
        code="NEURO 101", title="Neuroscience II", description="More brains.", timezone="UTC"
    ),
    ("courses.regenerate_join_code", "POST"): lambda w, r: form(),
    ("courses.change_role", "POST"): lambda w, r: form(role="ta"),
    ("courses.remove_member", "POST"): lambda w, r: form(),
    ("courses.new_chapter", "POST"): lambda w, r: form(
        number="5", title="Plasticity", summary="", topics="Learning\nMemory"
    ),
    ("courses.edit_chapter", "POST"): lambda w, r: form(number="4", title="Renamed", summary=""),
    ("courses.delete_chapter", "POST"): lambda w, r: form(),
    ("courses.delete_topic", "POST"): lambda w, r: form(),
    ("courses.delete_video", "POST"): lambda w, r: form(),
    ("blogs.delete_assignment", "POST"): lambda w, r: form(),
    ("courses.add_topic", "POST"): lambda w, r: form(name="Plasticity", description=""),
    ("courses.edit_topic", "POST"): lambda w, r: form(name="Anatomy", description="Renamed."),
    ("courses.new_video", "POST"): lambda w, r: form(
        title="Synapses",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        duration="30:00",
        segments="0:00 Welcome\n2:05 The synapse [Connections]",
    ),  # fmt: skip
    ("courses.edit_video", "POST"): lambda w, r: form(
        title="Synapses, retitled",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        duration="30:00",
        segments="0:00 Welcome",
    ),  # fmt: skip
    ("blogs.new_assignment", "POST"): lambda w, r: assignment_form(w, "Blog: plasticity"),
    ("blogs.edit_assignment", "POST"): lambda w, r: assignment_form(w, "Blog: renamed"),
    ("blogs.write", "POST"): lambda w, r: form(
        title="Wired", body=POST_BODY + " Rewritten.", topics=[str(w.topic_ids[0])], publish="1"
    ),
    ("blogs.preview", "POST"): lambda w, r: body(body="**Bold** words here."),
    ("blogs.upload", "POST"): lambda w, r: {
        "data": {"image": (io.BytesIO(PNG), "brain.png", "image/png")},
        "headers": {"Accept": "application/json"},
    },
    ("blogs.add_comment", "POST"): lambda w, r: form(body="A thoughtful comment here."),
    ("blogs.edit_comment", "POST"): lambda w, r: form(body="Thank you, Omar, really!"),
    ("blogs.delete_comment", "POST"): lambda w, r: form(),
    ("blogs.delete_post", "POST"): lambda w, r: form(),
    ("blogs.mark_read", "POST"): lambda w, r: form(),
    ("participation.grade", "POST"): lambda w, r: form(points="12", reason="Regraded"),
    ("participation.clear_override", "POST"): lambda w, r: form(),
    ("api.register", "POST"): lambda w, r: body(
        username="newcomer",
        email="newcomer@example.org",
        password="a long enough password",
        display_name="New Comer",
    ),  # fmt: skip
    ("api.create_token", "POST"): lambda w, r: body(username=w.username(r), password=PASSWORD),
    ("api.revoke_token", "DELETE"): lambda w, r: {},
    ("api.create_course", "POST"): lambda w, r: body(code="BIO 1", title="Biology"),
    ("api.join_course", "POST"): lambda w, r: body(join_code=w.foreign_join_code),
    ("api.update_course", "PATCH"): lambda w, r: body(title="Neuroscience II"),
    ("api.regenerate_join_code", "POST"): lambda w, r: {},
    ("api.set_role", "PUT"): lambda w, r: body(role="ta"),
    ("api.create_chapter", "POST"): lambda w, r: body(
        number=5, title="Plasticity", topics=["Learning", {"name": "Memory"}]
    ),
    ("api.update_chapter", "PATCH"): lambda w, r: body(title="Renamed"),
    ("api.add_topic", "POST"): lambda w, r: body(name="Plasticity"),
    ("api.create_video", "POST"): lambda w, r: body(
        title="Synapses",
        url="https://vimeo.com/76979871",
        duration_seconds=600,
        segments=[{"start_seconds": 0, "title": "Intro", "topic_id": w.topic_ids[1]}],
    ),  # fmt: skip
    ("api.create_assignment", "POST"): lambda w, r: body(
        title="Blog: plasticity",
        topic_ids=w.topic_ids,
        min_words=5,
        required_comments=2,
        comment_min_words=3,
        post_points=10,
        comment_points=5,
    ),  # fmt: skip
    ("api.update_assignment", "PATCH"): lambda w, r: body(title="Blog: renamed"),
    ("api.create_post", "POST"): lambda w, r: body(
        title="Second thoughts", body=POST_BODY, topic_ids=w.topic_ids[:1], status="published"
    ),
    ("api.update_post", "PATCH"): lambda w, r: body(title="Mirror neurons, revised"),
    ("api.delete_post", "DELETE"): lambda w, r: {},
    ("api.create_comment", "POST"): lambda w, r: body(body="A thoughtful comment here."),
    ("api.update_comment", "PATCH"): lambda w, r: body(body="Thank you, Omar, really!"),
    ("api.delete_comment", "DELETE"): lambda w, r: {},
    ("api.mark_notifications_read", "POST"): lambda w, r: body(),
    ("api.set_override", "PUT"): lambda w, r: body(points=12, reason="Regraded"),
    ("api.clear_override", "DELETE"): lambda w, r: {},
}

# Where a URL parameter is not the world's default object: the student already has a
# post in the main assignment (a second one is a 409), so they write in a fresh one.
PATH_OVERRIDES: dict[tuple[str, str], Callable[[World], dict[str, Any]]] = {
    ("api.create_post", "POST"): lambda w: {"assignment_id": w.fresh_assignment_id},
    # What nothing depends on, so that permitted deletions go through.
    ("courses.delete_chapter", "POST"): lambda w: {"chapter_id": w.empty_chapter_id},
    ("courses.delete_topic", "POST"): lambda w: {"topic_id": w.topic_ids[2]},
    ("courses.delete_video", "POST"): lambda w: {"video_id": w.spare_video_id},
    ("blogs.delete_assignment", "POST"): lambda w: {"assignment_id": w.fresh_assignment_id},
}

# Permitted writes that need not store anything. Everything else permitted must.
STORES_NOTHING: dict[tuple[str, str], set[str]] = {
    ("accounts.login", "POST"): set(ROLES),  # the session, not the database
    ("accounts.logout", "POST"): set(ROLES),
    ("accounts.register", "POST"): set(ROLES) - {"anonymous"},  # signed in: sent home
    ("blogs.preview", "POST"): set(ROLES),  # renders, stores nothing
    # Only the two students have notifications (a comment, a reply) to mark read.
    ("blogs.mark_read", "POST"): set(ROLES) - {"student", "other_student"},
    ("api.mark_notifications_read", "POST"): set(ROLES) - {"student", "other_student"},
}


# --- Sending a request and reading the answer --------------------------------------------


def routes(app: Flask) -> dict[tuple[str, str], Rule]:
    """(endpoint, method) -> rule, for every route the app serves."""
    return {
        (rule.endpoint, method): rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIPPED_ENDPOINTS
        for method in sorted((rule.methods or set()) - IGNORED_METHODS)
    }


def is_api(endpoint: str) -> bool:
    return endpoint.startswith("api.")


def browser(app: Flask, role: str) -> tuple[Any, str]:
    """A test client signed in as `role` (not at all for anonymous), and its CSRF token."""
    client = app.test_client()
    page = client.get("/accounts/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert match, "no CSRF token on the sign-in page"
    token = match[1]
    if role != "anonymous":
        username = (PEOPLE | OTHERS)[role][0]
        signed_in = client.post(
            "/accounts/login",
            data={"csrf_token": token, "username": username, "password": PASSWORD},
        )
        assert signed_in.status_code == 302, f"{role} could not sign in"
    return client, token


def send(
    app: Flask, w: World, role: str, method: str, url: str, spec: Spec, api: bool,
    csrf: bool = True,
) -> TestResponse:  # fmt: skip
    """Send one request as `role`: a bearer token for the API, a signed-in browser with
    the CSRF token for pages. An exception escaping the app (a 500 in production) fails."""
    kwargs = dict(spec)
    headers = dict(kwargs.pop("headers", {}))
    if api:
        client = app.test_client()
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {w.tokens[role]}"
    else:
        client, token = browser(app, role)
        if method != "GET" and csrf:
            if "json" in kwargs:
                headers["X-CSRFToken"] = token
            else:
                kwargs["data"] = {"csrf_token": token, **kwargs.get("data", {})}
    try:
        response = client.open(url, method=method, headers=headers, **kwargs)
    except Exception as error:  # noqa: BLE001 - any escape is the finding
        pytest.fail(f"{method} {url} as {role} raised {error!r}, a 500 in production")
    response.close()
    return response


def outcome(response: TestResponse, method: str, api: bool) -> str:
    """The answer's class: ok, login, forbidden, not_found, or what it was instead."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status in (403, 404):
        return FORBIDDEN if status == 403 else NOT_FOUND
    if api:
        if status == 401:
            return LOGIN
        return OK if status in (200, 201, 204) else f"status {status}"
    if status == 302:
        location = urlsplit(response.headers["Location"])
        signing_in = location.path == "/accounts/login" and "next" in parse_qs(location.query)
        return LOGIN if signing_in else OK
    if status == 200 and (method == "GET" or response.is_json):
        return OK
    if status == 201 and response.is_json:
        return OK
    # A page that answers a form with 200 HTML shows it again with errors.
    return f"status {status} (the form shown again?)"


def explain(response: TestResponse) -> str:
    """A short description of an answer, for failure messages."""
    text = f"{response.status_code}"
    if "Location" in response.headers:
        text += f" → {response.headers['Location']}"
    if response.is_json and isinstance(response.json, dict) and "error" in response.json:
        text += f": {response.json['error'].get('message')}"
    elif response.mimetype == "text/html":
        page = response.get_data(as_text=True)
        errors = re.findall(r'class="(?:error|errors|flash[^"]*)"[^>]*>\s*([^<]{1,120})', page)
        if errors:
            text += f": {errors[:2]}"
    return text


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, to tell whether a request wrote anything."""
    with db.engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def url_for_rule(app: Flask, endpoint: str, method: str, values: dict[str, Any]) -> str:
    rule = routes(app).get((endpoint, method))
    if rule is None:
        pytest.fail(f"{method} {endpoint} is in the policy but the app has no such route")
    arguments = {name: values[name] for name in rule.arguments}
    return app.url_map.bind("localhost").build(endpoint, arguments, method=method)


def path_values(w: World, endpoint: str, method: str) -> dict[str, Any]:
    """The world's objects for the URL's parameters, by name."""
    override = PATH_OVERRIDES.get((endpoint, method))
    return w.path | (override(w) if override else {})


def request_spec(w: World, endpoint: str, method: str, role: str) -> Spec:
    if method == "GET":
        return {}
    if (endpoint, method) not in REQUESTS:
        pytest.fail(f"no valid request for {method} {endpoint} in REQUESTS")
    return REQUESTS[(endpoint, method)](w, role)


def attempt(app: Flask, w: World, endpoint: str, method: str, role: str, values: dict):
    """Send the route's valid request as `role`; (outcome, response, tables changed)."""
    url = url_for_rule(app, endpoint, method, values)
    before = snapshot()
    response = send(
        app, w, role, method, url, request_spec(w, endpoint, method, role), is_api(endpoint)
    )
    changes = changed_tables(before, snapshot())
    return outcome(response, method, is_api(endpoint)), response, url, changes


# --- The matrix ---------------------------------------------------------------------------


def _bug(endpoint: str, method: str, role: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN_BUGS.get((endpoint, method, role))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


MATRIX = [
    pytest.param(
        endpoint, method, role, id=f"{endpoint}-{method}-{role}", marks=_bug(endpoint, method, role)
    )
    for (endpoint, method) in POLICY
    for role in ROLES
]

# Every route with ids in its URL is inside a course (test_every_url_with_ids_is_a_course_url).
COURSE_ROUTES = [
    pytest.param(
        endpoint, method, id=f"{endpoint}-{method}", marks=_bug(endpoint, method, "foreign")
    )
    for (endpoint, method), expected in POLICY.items()
    if expected["outsider"] == NOT_FOUND
]


@pytest.mark.parametrize(("endpoint", "method", "role"), MATRIX)
def test_access(app, world, endpoint, method, role):
    expected = POLICY[(endpoint, method)][role]
    values = path_values(world, endpoint, method)
    got, response, url, changes = attempt(app, world, endpoint, method, role, values)

    assert response.status_code < 500, f"{method} {url} as {role}: {explain(response)}"
    assert got == expected, (
        f"{method} {url} as {role}: expected {expected}, got {got} ({explain(response)})"
    )
    if method == "GET":
        assert not changes, f"GET {url} as {role} wrote to {changes}"
    elif expected in REFUSALS:
        assert not changes, f"{method} {url} as {role} was refused but wrote to {changes}"
    elif role not in STORES_NOTHING.get((endpoint, method), set()):
        assert changes, f"{method} {url} as {role} answered {explain(response)} but stored nothing"


@pytest.mark.parametrize(("endpoint", "method"), COURSE_ROUTES)
def test_another_courses_ids_are_not_found(app, world, endpoint, method):
    """Every id of the URL from the second course: 404 to all but that course's members."""
    wrong = []
    for role in ROLES:
        got, response, url, changes = attempt(app, world, endpoint, method, role, world.foreign)
        if got != FOREIGN[role] or changes:
            wrote = f", wrote to {changes}" if changes else ""
            wrong.append(
                f"{role}: expected {FOREIGN[role]}, got {got} ({explain(response)}){wrote}"
            )
    assert not wrong, f"{method} {url}:\n" + "\n".join(wrong)
    if method in ("GET", "DELETE"):  # no body that names the first course's objects
        # The ids are real: that course's instructor gets what an instructor gets.
        got, response, url, _ = attempt(
            app, world, endpoint, method, "foreign_instructor", world.foreign
        )
        expected = POLICY[(endpoint, method)]["instructor"]
        assert got == expected, f"{method} {url} as its instructor: {explain(response)}"


# --- Object-level rules beyond roles ------------------------------------------------------


def api(app: Flask, w: World, role: str, method: str, url: str, **spec: Any) -> TestResponse:
    return send(app, w, role, method, f"/api/v1{url}", spec, api=True)


def page(app: Flask, w: World, role: str, method: str, url: str, **spec: Any) -> TestResponse:
    return send(app, w, role, method, url, spec, api=False)


def test_a_classmates_draft_is_not_found_at_any_of_its_urls(app, world):
    """Only its author sees a draft; classmates and staff get 404, never 403."""
    draft = world.draft_id
    before = snapshot()
    for role in ("student", "ta", "instructor"):
        answers = {
            "api get": api(app, world, role, "GET", f"/posts/{draft}"),
            "api patch": api(app, world, role, "PATCH", f"/posts/{draft}", json={"title": "Mine"}),
            "api delete": api(app, world, role, "DELETE", f"/posts/{draft}"),
            "api revisions": api(app, world, role, "GET", f"/posts/{draft}/revisions"),
            "api comments": api(app, world, role, "GET", f"/posts/{draft}/comments"),
            "api comment": api(
                app, world, role, "POST", f"/posts/{draft}/comments", json={"body": "Hi there"}
            ),
            "page": page(app, world, role, "GET", f"/posts/{draft}"),
            "page revisions": page(app, world, role, "GET", f"/posts/{draft}/revisions"),
            "page delete": page(app, world, role, "POST", f"/posts/{draft}/delete", data={}),
            "page comment": page(
                app, world, role, "POST", f"/posts/{draft}/comments", data={"body": "Hi there"}
            ),
        }
        statuses = {name: response.status_code for name, response in answers.items()}
        assert statuses == dict.fromkeys(answers, 404), role
    assert changed_tables(before, snapshot()) == []
    assert api(app, world, "other_student", "GET", f"/posts/{draft}").status_code == 200


def test_a_classmate_cannot_edit_or_delete_anothers_comment(app, world):
    """The student on other_student's comment: 403, as other_student on the student's."""
    comment = world.classmate_comment_id
    before = snapshot()
    answers = {
        "api patch": api(
            app, world, "student", "PATCH", f"/comments/{comment}", json={"body": "Changed it"}
        ),
        "api delete": api(app, world, "student", "DELETE", f"/comments/{comment}"),
        "edit page": page(app, world, "student", "GET", f"/comments/{comment}/edit"),
        "edit form": page(
            app, world, "student", "POST", f"/comments/{comment}/edit", data={"body": "Changed"}
        ),
        "delete form": page(app, world, "student", "POST", f"/comments/{comment}/delete"),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 403)
    assert changed_tables(before, snapshot()) == []


def test_a_student_sees_only_their_own_participation(app, world):
    url = f"/assignments/{world.path['assignment_id']}/participation"
    for role in ("student", "other_student"):
        items = api(app, world, role, "GET", url).json["items"]
        assert [item["student"]["id"] for item in items] == [world.user_ids[role]], role
    staff_view = api(app, world, "ta", "GET", url).json["items"]
    students = {world.user_ids["student"], world.user_ids["other_student"]}
    assert {item["student"]["id"] for item in staff_view} == students
    # The staff pages about one student are staff pages, even for that student.
    own = f"{url}/{world.user_ids['student']}"
    assert page(app, world, "student", "GET", own).status_code == 403
    assert page(app, world, "student", "GET", url).status_code == 403


def test_topics_of_another_course_are_refused_in_bodies(app, world):
    """topic_ids and segment topics from the second course's chapter: 422, nothing stored."""
    foreign = [world.foreign_topic_id]
    chapter, assignment = world.path["chapter_id"], world.path["assignment_id"]
    post, fresh = world.path["post_id"], world.fresh_assignment_id
    before = snapshot()
    statuses = {
        "create assignment": api(
            app, world, "ta", "POST", f"/chapters/{chapter}/assignments",
            json={"title": "Blog: elsewhere", "topic_ids": foreign},
        ),
        "update assignment": api(
            app, world, "ta", "PATCH", f"/assignments/{assignment}", json={"topic_ids": foreign}
        ),
        "create post": api(
            app, world, "student", "POST", f"/assignments/{fresh}/posts",
            json={"title": "Elsewhere", "body": POST_BODY, "topic_ids": foreign},
        ),
        "update post": api(
            app, world, "student", "PATCH", f"/posts/{post}", json={"topic_ids": foreign}
        ),
        "create video": api(
            app, world, "ta", "POST", f"/chapters/{chapter}/videos",
            json={"title": "Elsewhere", "url": "https://vimeo.com/76979871",
                  "segments": [{"start_seconds": 0, "title": "Intro", "topic_id": foreign[0]}]},
        ),
    }  # fmt: skip
    assert {name: r.status_code for name, r in statuses.items()} == dict.fromkeys(statuses, 422)
    # The pages offer only the chapter's topics; another's is not a valid choice.
    fields = assignment_form(world, "Blog: elsewhere")["data"] | {"topics": [str(foreign[0])]}
    shown_again = {
        "assignment form": page(
            app, world, "ta", "POST", f"/chapters/{chapter}/assignments/new", data=fields
        ),
        "post editor": page(
            app, world, "student", "POST", f"/assignments/{assignment}/write",
            data={"title": "Elsewhere", "body": POST_BODY, "topics": [str(foreign[0])],
                  "publish": "1"},
        ),
    }  # fmt: skip
    assert {name: r.status_code for name, r in shown_again.items()} == dict.fromkeys(
        shown_again, 200
    )
    assert changed_tables(before, snapshot()) == []


def test_a_parent_comment_of_another_post_is_refused(app, world):
    """parent_id of a comment on the second course's post: 422 on the API, nothing stored."""
    post, foreign_comment = world.path["post_id"], world.foreign["comment_id"]
    before = snapshot()
    response = api(
        app, world, "other_student", "POST", f"/posts/{post}/comments",
        json={"body": "Misplaced reply", "parent_id": foreign_comment},
    )  # fmt: skip
    assert response.status_code == 422
    assert "parent_id" in response.json["error"]["fields"]
    answer = page(
        app, world, "other_student", "POST", f"/posts/{post}/comments",
        data={"body": "Misplaced reply", "parent_id": str(foreign_comment)},
    )  # fmt: skip
    assert answer.status_code == 200 and "You can only reply to a comment of this post." in (
        answer.get_data(as_text=True)
    )
    assert changed_tables(before, snapshot()) == []


def test_a_parent_comment_of_another_post_in_the_course_is_refused(app, world):
    """Even within the course, a reply joins only a comment of the same post."""
    student = db.session.get(User, world.user_ids["student"])
    classmate = db.session.get(User, world.user_ids["other_student"])
    fresh = db.session.get(Assignment, world.fresh_assignment_id)
    elsewhere = blogs.create_post(
        classmate, fresh, "Elsewhere", POST_BODY, world.topic_ids[:1], True, utcnow()
    )
    comment = blogs.add_comment(student, elsewhere, COMMENT_BODY, None, utcnow())
    db.session.commit()
    before = snapshot()
    response = api(
        app, world, "other_student", "POST", f"/posts/{world.path['post_id']}/comments",
        json={"body": "Misplaced reply", "parent_id": comment.id},
    )  # fmt: skip
    assert response.status_code == 422
    assert changed_tables(before, snapshot()) == []


def test_overrides_and_roles_for_another_courses_people_are_not_found(app, world):
    """The course's own ids, with a person from the second course (or staff): 404."""
    assignment, course = world.path["assignment_id"], world.path["course_id"]
    sam, ta = world.foreign["user_id"], world.user_ids["ta"]
    before = snapshot()
    statuses = {
        "api set override": api(
            app, world, "instructor", "PUT",
            f"/assignments/{assignment}/participation/{sam}/override",
            json={"points": 3, "reason": "Elsewhere"},
        ),
        "api set override for staff": api(
            app, world, "instructor", "PUT",
            f"/assignments/{assignment}/participation/{ta}/override",
            json={"points": 3, "reason": "Staff"},
        ),
        "api clear override": api(
            app, world, "instructor", "DELETE",
            f"/assignments/{assignment}/participation/{sam}/override",
        ),
        "api set role": api(
            app, world, "instructor", "PUT", f"/courses/{course}/members/{sam}",
            json={"role": "ta"},
        ),
        "grade page": page(
            app, world, "instructor", "GET", f"/assignments/{assignment}/participation/{sam}"
        ),
        "grade form": page(
            app, world, "instructor", "POST", f"/assignments/{assignment}/participation/{sam}",
            data={"points": "3", "reason": "Elsewhere"},
        ),
    }  # fmt: skip
    assert {name: r.status_code for name, r in statuses.items()} == dict.fromkeys(statuses, 404)
    # The roster's role form names the person in its URL; it reports the error on the roster.
    role_form = page(
        app, world, "instructor", "POST", f"/courses/{course}/people/{sam}/role",
        data={"role": "ta"},
    )  # fmt: skip
    assert role_form.status_code < 500
    assert changed_tables(before, snapshot()) == []


def test_clearing_an_override_for_another_courses_student_is_not_found(app, world):
    """The page's clear button, with a person not a student here: 404 as on the API."""
    assignment, sam = world.path["assignment_id"], world.foreign["user_id"]
    before = snapshot()
    response = page(
        app, world, "instructor", "POST",
        f"/assignments/{assignment}/participation/{sam}/clear", data={},
    )  # fmt: skip
    assert changed_tables(before, snapshot()) == []
    assert response.status_code == 404


def test_another_courses_upload_is_not_found_under_this_course(app, world):
    url = f"/courses/{world.path['course_id']}/uploads/{world.foreign['filename']}"
    for role in ("student", "instructor"):
        assert page(app, world, role, "GET", url).status_code == 404, role


def test_another_users_notifications_stay_unread(app, world):
    """Marking read with ids of someone else's notifications changes nothing."""
    theirs = db.session.scalars(
        select(Notification.id).where(Notification.user_id == world.user_ids["student"])
    ).all()
    assert theirs, "the student has notifications"
    before = snapshot()
    response = api(app, world, "other_student", "POST", "/notifications/read", json={"ids": theirs})
    assert response.status_code == 204
    response = page(app, world, "ta", "POST", "/notifications/read", data={"id": str(theirs[0])})
    assert response.status_code == 302
    assert changed_tables(before, snapshot()) == []


def test_citations_of_another_courses_video_do_not_resolve(app, world):
    """A post citing the second course's video neither links it nor leaks its title."""
    citation = f"[[video:{world.foreign_video_id}@0:10]]"
    response = api(
        app, world, "student", "POST", f"/assignments/{world.fresh_assignment_id}/posts",
        json={"title": "Citing", "body": f"{POST_BODY} {citation}",
              "topic_ids": world.topic_ids[:1], "status": "published"},
    )  # fmt: skip
    assert response.status_code == 201
    assert "Secret lecture" not in response.json["body_html"]
    cited = db.session.scalar(
        select(func.count()).select_from(VideoCitation).where(
            VideoCitation.video_id == world.foreign_video_id
        )
    )  # fmt: skip
    assert cited == 0
    preview = page(
        app, world, "student", "POST", f"/courses/{world.path['course_id']}/preview",
        json={"body": citation},
    )  # fmt: skip
    assert preview.status_code == 200
    assert "Secret lecture" not in preview.json["html"]


def test_post_first_hides_classmates_posts_until_the_student_publishes(app, world):
    """With post_before_viewing, a student without a published post gets 403 post_first."""
    assignment = db.session.get(Assignment, world.path["assignment_id"])
    assignment.post_before_viewing = True
    db.session.commit()
    # other_student has only a draft; the student's post is published.
    post = world.path["post_id"]
    before = snapshot()
    refusals = {
        "list": api(app, world, "other_student", "GET", f"/assignments/{assignment.id}/posts"),
        "post": api(app, world, "other_student", "GET", f"/posts/{post}"),
        "comments": api(app, world, "other_student", "GET", f"/posts/{post}/comments"),
        "comment": api(
            app, world, "other_student", "POST", f"/posts/{post}/comments",
            json={"body": "Sneaking a look"},
        ),
        "reply": api(app, world, "other_student", "GET", f"/comments/{world.path['comment_id']}"),
    }  # fmt: skip
    codes = {name: (r.status_code, r.json["error"]["code"]) for name, r in refusals.items()}
    assert codes == dict.fromkeys(refusals, (403, "post_first"))
    pages = {
        "post": page(app, world, "other_student", "GET", f"/posts/{post}"),
        "comment": page(
            app, world, "other_student", "POST", f"/posts/{post}/comments", data={"body": "Hi"}
        ),
    }
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(pages, 403)
    # Where the post would be listed, it is not: the assignment, its topic, the cited video.
    for url in (
        f"/assignments/{assignment.id}",
        f"/topics/{world.path['topic_id']}",
        f"/videos/{world.path['video_id']}",
    ):
        shown = page(app, world, "other_student", "GET", url)
        assert shown.status_code == 200, url
        assert "Mirror neurons" not in shown.get_data(as_text=True), url
        seen_by_author = page(app, world, "student", "GET", url).get_data(as_text=True)
        assert "Mirror neurons" in seen_by_author, url
    assert changed_tables(before, snapshot()) == []
    assert api(app, world, "ta", "GET", f"/posts/{post}").status_code == 200
    assert api(app, world, "student", "GET", f"/posts/{post}").status_code == 200


def test_join_codes_and_emails_are_for_staff(app, world):
    """Classmates see names and roles; staff also see emails and the join code."""
    course = world.path["course_id"]
    classmate_email = f"{PEOPLE['other_student'][0]}@example.org"
    for role in ("student", "other_student", "ta", "instructor"):
        staff = role in ("ta", "instructor")
        details = api(app, world, role, "GET", f"/courses/{course}").json
        assert ("join_code" in details) is staff, role
        members = api(app, world, role, "GET", f"/courses/{course}/members").json["items"]
        assert any("email" in member["user"] for member in members) is staff, role
        roster = page(app, world, role, "GET", f"/courses/{course}/people").get_data(as_text=True)
        assert (classmate_email in roster) is staff, role
        home = page(app, world, role, "GET", f"/courses/{course}").get_data(as_text=True)
        assert ("Students join with the code" in home) is staff, role


def test_people_outside_the_course_see_none_of_it_in_their_lists(app, world):
    """The admin and the outsider list no courses and no notifications of the course."""
    for role in ("outsider", "admin"):
        assert api(app, world, role, "GET", "/courses").json["total"] == 0, role
        assert api(app, world, role, "GET", "/notifications").json["total"] == 0, role
    own = api(app, world, "student", "GET", "/notifications").json["items"]
    assert len(own) == 1, "the student hears of the classmate's comment only"


def test_only_admins_create_courses_when_so_configured(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "COURSE_CREATION", "admins")
    new_course = REQUESTS[("api.create_course", "POST")](world, "admin")
    statuses = {
        role: api(app, world, role, "POST", "/courses", **new_course).status_code
        for role in ("outsider", "student", "instructor", "admin")
    }
    assert statuses == {"outsider": 403, "student": 403, "instructor": 403, "admin": 201}
    assert page(app, world, "instructor", "GET", "/courses/new").status_code == 403
    assert page(app, world, "admin", "GET", "/courses/new").status_code == 200


def test_registration_is_not_found_when_switched_off(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "SELF_REGISTRATION", False)
    new_user = REQUESTS[("api.register", "POST")](world, "anonymous")
    before = snapshot()
    assert api(app, world, "anonymous", "POST", "/users", **new_user).status_code == 404
    assert page(app, world, "anonymous", "GET", "/accounts/register").status_code == 404
    signup = REQUESTS[("accounts.register", "POST")](world, "anonymous")
    assert page(app, world, "anonymous", "POST", "/accounts/register", **signup).status_code == 404
    assert changed_tables(before, snapshot()) == []


PAGE_WRITES = [
    pytest.param(endpoint, method, id=f"{endpoint}-{method}")
    for (endpoint, method) in POLICY
    if method != "GET" and not is_api(endpoint)
]


@pytest.mark.parametrize(("endpoint", "method"), PAGE_WRITES)
def test_every_page_write_needs_the_csrf_token(app, world, endpoint, method):
    """A permitted role's valid form, without the token a page would carry: 400, no change."""
    allowed = POLICY[(endpoint, method)]
    role = next(r for r in ("instructor", "student", "outsider", "anonymous") if allowed[r] == OK)
    url = url_for_rule(app, endpoint, method, path_values(world, endpoint, method))
    spec = request_spec(world, endpoint, method, role)
    before = snapshot()
    response = send(app, world, role, method, url, spec, api=False, csrf=False)
    assert response.status_code == 400, f"{method} {url} as {role}: {explain(response)}"
    assert changed_tables(before, snapshot()) == []


def test_the_api_ignores_the_session_cookie(app, world):
    """A signed-in browser without a bearer token is anonymous to the API: 401."""
    client, _ = browser(app, "instructor")
    assert client.get("/api/v1/users/me").status_code == 401
    course = world.path["course_id"]
    assert client.get(f"/api/v1/courses/{course}").status_code == 401
    before = snapshot()
    response = client.patch(f"/api/v1/courses/{course}", json={"title": "Hijacked"})
    assert response.status_code == 401
    assert changed_tables(before, snapshot()) == []


# --- Coverage -----------------------------------------------------------------------------


def test_every_route_has_a_policy_entry(app):
    """A new route without an entry in tests/access_policy.py fails here."""
    missing = sorted(set(routes(app)) - set(POLICY))
    assert not missing, (
        "routes without an entry in tests/access_policy.py POLICY (say who may call them): "
        + ", ".join(f"{method} {endpoint}" for endpoint, method in missing)
    )


def test_every_policy_entry_names_a_route(app):
    stale = sorted(set(POLICY) - set(routes(app)))
    assert not stale, "policy entries for routes the app no longer has: " + ", ".join(
        f"{method} {endpoint}" for endpoint, method in stale
    )
    assert not set(REQUESTS) - set(routes(app)), "REQUESTS names routes the app lacks"
    for endpoint, method, _ in KNOWN_BUGS:
        assert (endpoint, method) in POLICY, f"KNOWN_BUGS names {method} {endpoint}"


def test_every_policy_entry_names_every_role():
    for pair, expected in POLICY.items():
        assert set(expected) == set(ROLES), pair
        assert set(expected.values()) <= {OK, LOGIN, FORBIDDEN, NOT_FOUND}, pair


def test_every_url_with_ids_is_a_course_url(app, world):
    """So that the another-course check reaches every URL that names an object."""
    outside = sorted(
        (endpoint, method)
        for (endpoint, method), rule in routes(app).items()
        if rule.arguments and POLICY.get((endpoint, method), {}).get("outsider") != NOT_FOUND
    )
    assert not outside, f"URLs with ids that outsiders may reach: {outside}"
    parameters = {name for rule in routes(app).values() for name in rule.arguments}
    assert parameters <= set(world.path) & set(world.foreign), "URL parameters nobody fills"


class _Summary:
    """Prints the matrix's size after the run, beside pytest's own summary."""

    def __init__(self, line: str) -> None:
        self.line = line

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.write_line(self.line)


def test_matrix_covers_every_endpoint(app, request):
    """Every route has a policy entry and, if it writes, a valid request; prints the size."""
    served = routes(app)
    covered = [pair for pair in served if pair in POLICY and (pair[1] == "GET" or pair in REQUESTS)]
    line = f"access matrix: {len(covered)} endpoint/method pairs × {len(ROLES)} roles"
    print(line)
    plugins = request.config.pluginmanager
    if not plugins.has_plugin("access-matrix-summary"):
        plugins.register(_Summary(line), "access-matrix-summary")
    uncovered = sorted(set(served) - set(covered))
    assert len(covered) / len(served) == 1.0, f"not covered: {uncovered}"
