"""API: participation credit, staff overrides and the gradebook CSV, against the engine."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coursehub.audit.models import AuditEvent
from coursehub.blogs import services as blogs
from coursehub.extensions import db
from coursehub.participation import services as credit
from coursehub.participation.models import REASON_MAX, ParticipationOverride
from tests import factories
from tests.sql import count_statements

DUE = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
BEFORE = DUE - timedelta(days=1)
LATE = DUE + timedelta(hours=1)
AFTER_COMMENTS_DUE = DUE + timedelta(days=3)
WORDS = "one two three four five six"  # 6 words
SHORT = "too short"  # 2 words
COMMENT = "this is a fair point"  # 5 words


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.token(user)}"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Role changes, deletions and moderation are audited too; these tests are about overrides.
OVERRIDE_EVENTS = AuditEvent.action.startswith("override.")


def count_audited() -> int:
    """Override events in the audit log."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(OVERRIDE_EVENTS))


def write(author, assignment, body=WORDS, at=BEFORE, publish=True):
    post = blogs.create_post(
        author, assignment, f"Post by {author.username}", body, [], publish, at
    )
    db.session.commit()
    return post


def say(author, post, body=COMMENT, at=BEFORE):
    comment = blogs.add_comment(author, post, body, None, at)
    db.session.commit()
    return comment


def participation_url(assignment) -> str:
    return f"/api/v1/assignments/{assignment.id}/participation"


def override_url(assignment, person) -> str:
    return f"/api/v1/assignments/{assignment.id}/participation/{person.id}/override"


@pytest.fixture
def tara(course):
    return factories.member(course, "tara", "student", display_name="Tara Third")


@pytest.fixture
def blog(chapter):
    """10 post points (20% off when late), 5 for comments on 2 classmates' posts."""
    return factories.assignment(
        chapter, title="Blog A", topic_ids=(), opens_at=DUE - timedelta(days=7), due_at=DUE,
        comments_due_at=DUE + timedelta(days=2), min_words=5, required_comments=2,
        comment_min_words=3, post_points=10, comment_points=5, late_penalty_percent=20,
    )  # fmt: skip


@pytest.fixture
def second_blog(chapter):
    """4 post points (a late post earns none), 2 for a comment on 1 classmate's post."""
    return factories.assignment(
        chapter, title="Blog B", topic_ids=(), opens_at=DUE - timedelta(days=7), due_at=DUE,
        min_words=5, required_comments=1, comment_min_words=3, post_points=4, comment_points=2,
        late_penalty_percent=None,
    )  # fmt: skip


@pytest.fixture
def scenario(blog, second_blog, instructor, student, other_student, tara):
    """Three students in two assignments: on time, late, short, and one override.

    Blog A: Sofia on time with comments on 2 posts = 10 + 5 = 15; Omar late (8) with
    1 comment = 10.5; Tara short, one comment too short and one after comments were
    due = 0, overridden to 6. Blog B: Sofia late without a penalty rule = 0 + 2; Omar
    no post, 1 comment = 2; Tara on time, 1 comment = 4 + 2 = 6.
    """
    sofia_a, omar_a = write(student, blog), write(other_student, blog, at=LATE)
    tara_a = write(tara, blog, body=SHORT)
    say(student, omar_a)
    say(student, tara_a)
    say(other_student, sofia_a)
    say(tara, sofia_a, body=SHORT)
    say(tara, omar_a, at=AFTER_COMMENTS_DUE)
    credit.set_override(instructor, blog, tara.id, 6, "Posted on paper in class", LATE)
    db.session.commit()
    sofia_b, tara_b = write(student, second_blog, at=LATE), write(tara, second_blog)
    say(other_student, tara_b)
    say(student, tara_b)
    say(tara, sofia_b)
    return {
        "sofia_a": sofia_a,
        "omar_a": omar_a,
        "tara_a": tara_a,
        "sofia_b": sofia_b,
        "tara_b": tara_b,
    }


def person(user) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name}


def post_of(post, *, is_late=False, qualifies=True, status="published") -> dict:
    return {
        "id": post.id,
        "status": status,
        "word_count": post.word_count,
        "is_late": is_late,
        "qualifies": qualifies,
        "html_url": f"/posts/{post.id}",
    }


def item(
    student, post, comments, required, post_points, comment_points, total, maximum, override=None
) -> dict:
    return {
        "student": person(student),
        "post": post,
        "qualifying_comments": comments,
        "required_comments": required,
        "post_points_earned": post_points,
        "comment_points_earned": comment_points,
        "total": total,
        "max_points": maximum,
        "override": override,
    }


NUMBERS = (
    "qualifying_comments",
    "required_comments",
    "post_points_earned",
    "comment_points_earned",
    "total",
    "max_points",
)
POST_FIELDS = ("id", "status", "word_count", "is_late", "qualifies")


def engine_item(c: credit.Credit) -> dict:
    """The engine's numbers in the API's field names."""
    post = None
    if c.post is not None:
        post = (c.post.id, c.post.status.value, c.post.word_count, c.post.is_late, c.post.qualifies)
    return {
        "student_id": c.student.id,
        "post": post,
        **{key: getattr(c, key) for key in NUMBERS},
        "override": None if c.override is None else (c.override.points, c.override.reason),
    }


def api_item(data: dict) -> dict:
    """An API item in the same shape as engine_item."""
    post, override = data["post"], data["override"]
    return {
        "student_id": data["student"]["id"],
        "post": None if post is None else tuple(post[key] for key in POST_FIELDS),
        **{key: data[key] for key in NUMBERS},
        "override": None if override is None else (override["points"], override["reason"]),
    }


# --- reading credit ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["instructor", "ta"])
def test_staff_see_every_student_by_name_with_hand_computed_numbers(
    client, request, scenario, blog, second_blog, student, other_student, tara, role
):
    staff = request.getfixturevalue(role)

    first = client.get(participation_url(blog), headers=bearer(staff))
    second = client.get(participation_url(second_blog), headers=bearer(staff))

    assert first.status_code == second.status_code == 200
    assert first.get_json() == {
        "items": [
            item(other_student, post_of(scenario["omar_a"], is_late=True), 1, 2, 8, 2.5, 10.5, 15),
            item(student, post_of(scenario["sofia_a"]), 2, 2, 10, 5, 15, 15),
            item(tara, post_of(scenario["tara_a"], qualifies=False), 0, 2, 0, 0, 6, 15,
                 {"points": 6, "reason": "Posted on paper in class"}),
        ]
    }  # fmt: skip
    assert second.get_json() == {
        "items": [
            item(other_student, None, 1, 1, 0, 2, 2, 6),
            item(student, post_of(scenario["sofia_b"], is_late=True), 1, 1, 0, 2, 2, 6),
            item(tara, post_of(scenario["tara_b"]), 1, 1, 4, 2, 6, 6),
        ]
    }


def test_api_numbers_equal_the_credit_engine(client, scenario, blog, second_blog, instructor):
    for assignment in (blog, second_blog):
        response = client.get(participation_url(assignment), headers=bearer(instructor))

        engine = [engine_item(c) for c in credit.assignment_credit(assignment)]
        assert [api_item(data) for data in response.get_json()["items"]] == engine
        assert len(engine) == 3


def test_a_student_sees_only_their_own_row(client, scenario, blog, second_blog, student, tara):
    mine = client.get(participation_url(blog), headers=bearer(student))
    theirs = client.get(participation_url(blog), headers=bearer(tara))

    assert mine.status_code == 200
    assert mine.get_json() == {
        "items": [item(student, post_of(scenario["sofia_a"]), 2, 2, 10, 5, 15, 15)]
    }
    [tara_row] = theirs.get_json()["items"]
    assert tara_row["student"]["id"] == tara.id
    assert tara_row["total"] == 6
    assert tara_row["override"] == {"points": 6, "reason": "Posted on paper in class"}
    assert api_item(tara_row) == engine_item(credit.student_credits([blog], tara)[0])


def test_a_student_without_a_post_gets_a_row_of_zeros(client, blog, student, other_student):
    response = client.get(participation_url(blog), headers=bearer(student))

    assert response.get_json() == {"items": [item(student, None, 0, 2, 0, 0, 0, 15)]}


def test_a_draft_is_reported_as_a_draft_that_does_not_qualify(client, blog, student):
    draft = write(student, blog, publish=False)

    [row] = client.get(participation_url(blog), headers=bearer(student)).get_json()["items"]

    assert row["post"] == post_of(draft, status="draft", qualifies=False)
    assert row["total"] == 0


def test_staff_get_every_student_in_one_unpaginated_answer(client, course, blog, instructor):
    for n in range(120):
        factories.member(course, f"learner{n:03}", "student")

    response = client.get(f"{participation_url(blog)}?per_page=10", headers=bearer(instructor))

    assert set(response.get_json()) == {"items"}
    assert len(response.get_json()["items"]) == 120


def test_staff_with_no_students_get_an_empty_list(client, blog, ta):
    response = client.get(participation_url(blog), headers=bearer(ta))

    assert response.status_code == 200
    assert response.get_json() == {"items": []}


def test_participation_is_for_members_only(client, blog, outsider, student):
    stranger = client.get(participation_url(blog), headers=bearer(outsider))
    unknown = client.get("/api/v1/assignments/999999/participation", headers=bearer(student))
    anonymous = client.get(participation_url(blog))

    assert stranger.status_code == unknown.status_code == 404
    assert stranger.get_json()["error"]["code"] == "not_found"
    assert anonymous.status_code == 401


def test_reading_credit_costs_the_same_statements_for_any_class_size(
    client, course, blog, instructor, student, other_student
):
    omar_post = write(other_student, blog)
    say(student, omar_post)
    headers = bearer(instructor)
    urls = (participation_url(blog), f"/api/v1/courses/{course.id}/gradebook.csv")
    small = [count_statements(lambda url=url: client.get(url, headers=headers)) for url in urls]
    for n in range(12):
        person = factories.member(course, f"extra{n}", "student")
        say(student, write(person, blog))
        say(person, omar_post)
    large = [count_statements(lambda url=url: client.get(url, headers=headers)) for url in urls]

    assert small == large
    assert min(small) > 0


# --- overrides ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["instructor", "ta"])
def test_staff_override_answers_the_students_updated_item(
    client, request, scenario, blog, student, role
):
    staff = request.getfixturevalue(role)

    response = client.put(
        override_url(blog, student),
        headers=bearer(staff),
        json={"points": 12.5, "reason": "  Extra work for the class  "},
    )

    assert response.status_code == 200
    assert response.get_json() == item(
        student, post_of(scenario["sofia_a"]), 2, 2, 10, 5, 12.5, 15,
        {"points": 12.5, "reason": "Extra work for the class"},
    )  # fmt: skip
    saved = db.session.scalar(
        select(ParticipationOverride).where(ParticipationOverride.student_id == student.id)
    )
    assert (saved.points, saved.reason, saved.by_id) == (12.5, "Extra work for the class", staff.id)
    engine = next(c for c in credit.assignment_credit(blog) if c.student.id == student.id)
    assert (engine.total, engine.computed_total) == (12.5, 15)


def test_an_override_is_audited_with_before_and_after(client, blog, instructor, ta, student):
    client.put(
        override_url(blog, student),
        headers=bearer(instructor),
        json={"points": 7, "reason": "Missed a week, ill"},
    )
    client.put(
        override_url(blog, student),
        headers=bearer(ta),
        json={"points": 9.5, "reason": "Doctor's note"},
    )

    events = db.session.scalars(
        select(AuditEvent).where(OVERRIDE_EVENTS).order_by(AuditEvent.id)
    ).all()
    first = {
        "assignment_id": blog.id,
        "student_id": student.id,
        "points": 7,
        "reason": "Missed a week, ill",
    }
    second = {**first, "points": 9.5, "reason": "Doctor's note"}
    assert [(e.action, e.actor_id, e.course_id, e.before, e.after) for e in events] == [
        ("override.set", instructor.id, blog.course_id, None, first),
        ("override.set", ta.id, blog.course_id, first, second),
    ]
    assert count(ParticipationOverride) == 1


@pytest.mark.parametrize("points", [0, 30, 29.99, 7.25])
def test_points_from_zero_to_twice_the_maximum_are_accepted(client, blog, ta, student, points):
    response = client.put(
        override_url(blog, student), headers=bearer(ta), json={"points": points, "reason": "x"}
    )

    assert response.status_code == 200
    assert response.get_json()["total"] == points
    assert db.session.scalar(select(ParticipationOverride.points)) == points


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"points": "5", "reason": "x"}, 400, None),
        ({"points": True, "reason": "x"}, 400, None),
        ({"points": None, "reason": "x"}, 400, None),
        ({"points": 5, "reason": 5}, 400, None),
        ({"points": -0.5, "reason": "x"}, 422, "points"),
        ({"points": 30.01, "reason": "x"}, 422, "points"),
        ({"points": 1000, "reason": "x"}, 422, "points"),
        ({"reason": "x"}, 422, "points"),
        ({"points": 5, "reason": ""}, 422, "reason"),
        ({"points": 5, "reason": " \t\n "}, 422, "reason"),
        ({"points": 5}, 422, "reason"),
        ({"points": 5, "reason": "r" * (REASON_MAX + 1)}, 422, "reason"),
    ],
)
def test_a_refused_override_changes_nothing(
    client, scenario, blog, instructor, tara, body, status, field
):
    before = (count(ParticipationOverride), count_audited())

    response = client.put(override_url(blog, tara), headers=bearer(instructor), json=body)

    assert response.status_code == status
    error = response.get_json()["error"]
    assert list(error["fields"]) == ([field] if field else [])
    assert (count(ParticipationOverride), count_audited()) == before
    kept = db.session.scalar(select(ParticipationOverride))
    assert (kept.points, kept.reason) == (6, "Posted on paper in class")


def test_points_above_twice_the_maximum_name_the_limit(client, blog, instructor, student):
    response = client.put(
        override_url(blog, student), headers=bearer(instructor), json={"points": 31, "reason": "x"}
    )

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "points": [
            "Points must be between 0 and 30: up to twice the assignment's 15, for extra credit."
        ]
    }


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        ("{not json", {"Content-Type": "application/json"}),
        ('[5, "x"]', {"Content-Type": "application/json"}),
        ("points=5&reason=x", {"Content-Type": "application/x-www-form-urlencoded"}),
    ],
)
def test_a_malformed_override_body_is_400(client, blog, instructor, student, data, headers):
    response = client.put(
        override_url(blog, student), headers={**bearer(instructor), **headers}, data=data
    )

    assert response.status_code == 400
    assert count(ParticipationOverride) == count_audited() == 0


@pytest.mark.parametrize("target", ["ta", "instructor", "outsider", "elsewhere", "unknown"])
def test_an_override_for_someone_not_a_student_of_the_course_is_404(
    client, request, instructor, blog, student, target
):
    if target == "elsewhere":
        other_course = factories.course(factories.user("olivia"), title="Another course")
        person_id = factories.member(other_course, "olga", "student").id
    elif target == "unknown":
        person_id = 999_999
    else:
        person_id = request.getfixturevalue(target).id
    url = f"/api/v1/assignments/{blog.id}/participation/{person_id}/override"

    put = client.put(url, headers=bearer(instructor), json={"points": 5, "reason": "x"})
    delete = client.delete(url, headers=bearer(instructor))

    assert put.status_code == delete.status_code == 404
    assert put.get_json()["error"]["code"] == "not_found"
    assert count(ParticipationOverride) == count_audited() == 0


def test_students_cannot_override(client, scenario, blog, student, tara):
    own = client.put(
        override_url(blog, student),
        headers=bearer(student),
        json={"points": 30, "reason": "I deserve it"},
    )
    other = client.put(
        override_url(blog, tara), headers=bearer(student), json={"points": 0, "reason": "Spite"}
    )
    clear = client.delete(override_url(blog, tara), headers=bearer(student))

    assert own.status_code == other.status_code == clear.status_code == 403
    assert own.get_json()["error"]["code"] == "forbidden"
    assert (count(ParticipationOverride), count_audited()) == (1, 1)


def test_outsiders_and_anonymous_callers_cannot_override(client, blog, outsider, student):
    stranger = client.put(
        override_url(blog, student), headers=bearer(outsider), json={"points": 5, "reason": "x"}
    )
    anonymous = client.put(override_url(blog, student), json={"points": 5, "reason": "x"})
    stranger_clear = client.delete(override_url(blog, student), headers=bearer(outsider))

    assert stranger.status_code == stranger_clear.status_code == 404
    assert anonymous.status_code == 401
    assert count(ParticipationOverride) == count_audited() == 0


def test_delete_clears_the_override_and_is_audited(client, scenario, blog, ta, tara):
    response = client.delete(override_url(blog, tara), headers=bearer(ta))

    assert response.status_code == 204
    assert response.get_data() == b""
    assert count(ParticipationOverride) == 0
    rows = client.get(participation_url(blog), headers=bearer(ta)).get_json()["items"]
    tara_row = next(row for row in rows if row["student"]["id"] == tara.id)
    assert (tara_row["total"], tara_row["override"]) == (0, None)
    cleared = db.session.scalars(
        select(AuditEvent).where(OVERRIDE_EVENTS).order_by(AuditEvent.id.desc())
    ).first()
    assert (cleared.action, cleared.actor_id, cleared.after) == ("override.clear", ta.id, None)
    assert cleared.before == {
        "assignment_id": blog.id,
        "student_id": tara.id,
        "points": 6,
        "reason": "Posted on paper in class",
    }


def test_delete_without_an_override_is_204_and_records_nothing(client, blog, ta, student):
    response = client.delete(override_url(blog, student), headers=bearer(ta))

    assert response.status_code == 204
    assert count_audited() == 0


def test_an_override_touches_only_its_assignment_and_student(
    client, scenario, blog, second_blog, instructor, student
):
    before = [engine_item(c) for c in credit.assignment_credit(second_blog)]

    client.put(
        override_url(blog, student), headers=bearer(instructor), json={"points": 1, "reason": "x"}
    )

    assert [engine_item(c) for c in credit.assignment_credit(second_blog)] == before
    rows = client.get(participation_url(blog), headers=bearer(instructor)).get_json()["items"]
    assert [row["total"] for row in rows] == [10.5, 1, 6]


# --- the gradebook CSV -------------------------------------------------------------------


def gradebook_url(course, fmt: str | None = None) -> str:
    url = f"/api/v1/courses/{course.id}/gradebook.csv"
    return f"{url}?format={fmt}" if fmt else url


@pytest.mark.parametrize("fmt", ["canvas", "moodle"])
def test_gradebook_csv_is_the_same_file_as_the_pages_download(
    client, app, scenario, course, instructor, fmt
):
    api = client.get(gradebook_url(course, fmt), headers=bearer(instructor))
    browser = app.test_client()
    browser.sign_in("ines")
    page = browser.get(f"/courses/{course.id}/gradebook.csv?format={fmt}")

    assert api.status_code == page.status_code == 200
    assert api.content_type == "text/csv; charset=utf-8"
    assert (
        api.headers["Content-Disposition"] == f'attachment; filename="NEURO-101-{fmt}-grades.csv"'
    )
    assert api.headers["Content-Disposition"] == page.headers["Content-Disposition"]
    assert api.get_data() == page.get_data()
    assert len(api.get_data().decode("utf-8").splitlines()) == (5 if fmt == "canvas" else 4)


def test_gradebook_csv_defaults_to_canvas(client, scenario, course, ta):
    default = client.get(gradebook_url(course), headers=bearer(ta))
    canvas = client.get(gradebook_url(course, "canvas"), headers=bearer(ta))

    assert default.status_code == 200
    assert default.get_data() == canvas.get_data()
    assert default.get_data().startswith(b"Student,ID,SIS User ID,SIS Login ID,Section,")


def test_gradebook_csv_holds_the_engines_totals(client, scenario, course, blog, second_blog, ta):
    text = client.get(gradebook_url(course), headers=bearer(ta)).get_data(as_text=True)

    assert text.splitlines()[2:] == [
        f"Omar Other,{scenario['omar_a'].author_id},,omar,,10.5,2",
        f"Sofia Student,{scenario['sofia_a'].author_id},,sofia,,15,2",
        f"Tara Third,{scenario['tara_a'].author_id},,tara,,6,6",
    ]


@pytest.mark.parametrize("fmt", ["excel", "CANVAS", ""])
def test_an_unknown_gradebook_format_is_400_with_a_clear_message(client, course, ta, fmt):
    response = client.get(
        f"/api/v1/courses/{course.id}/gradebook.csv?format={fmt}", headers=bearer(ta)
    )

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert "format=canvas" in error["message"] and "format=moodle" in error["message"]


def test_gradebook_csv_is_for_staff_only(client, course, student, outsider):
    as_student = client.get(gradebook_url(course, "canvas"), headers=bearer(student))
    as_outsider = client.get(gradebook_url(course, "canvas"), headers=bearer(outsider))
    unknown = client.get("/api/v1/courses/999999/gradebook.csv", headers=bearer(student))
    anonymous = client.get(gradebook_url(course, "canvas"))

    assert as_student.status_code == 403
    assert as_student.get_json()["error"]["code"] == "forbidden"
    assert as_outsider.status_code == unknown.status_code == 404
    assert anonymous.status_code == 401


# --- the OpenAPI document ------------------------------------------------------------------


def test_openapi_describes_the_participation_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    listing = paths["/api/v1/assignments/{assignment_id}/participation"]
    override = paths["/api/v1/assignments/{assignment_id}/participation/{user_id}/override"]
    csv_file = paths["/api/v1/courses/{course_id}/gradebook.csv"]
    assert set(listing) == {"get"} and set(csv_file) == {"get"}
    assert set(override) == {"put", "delete"}
    assert {"200", "400", "401", "403", "404", "422"} <= set(override["put"]["responses"])
    assert {"204", "401", "403", "404"} <= set(override["delete"]["responses"])
    assert {"200", "400", "401", "403", "404"} <= set(csv_file["get"]["responses"])
    ref = override["put"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/NewOverride")


def test_comments_keep_counting_when_the_author_removes_their_post_and_starts_again(
    client, blog, student, other_student
):
    removed = write(other_student, blog)
    say(student, removed)
    blogs.delete_post(removed, other_student, BEFORE)
    db.session.commit()
    write(other_student, blog, body="A fresh start", at=BEFORE, publish=False)

    [row] = client.get(participation_url(blog), headers=bearer(student)).get_json()["items"]

    assert row["qualifying_comments"] == 1
    assert row["comment_points_earned"] == 2.5
