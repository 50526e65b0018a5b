"""API: blog assignments and posts, their revisions, and post-before-viewing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coursehub.blogs.models import (
    BODY_MAX,
    POINTS_MAX,
    PROMPT_MAX,
    WORDS_MAX,
    Assignment,
    Post,
    PostRevision,
    PostStatus,
)
from coursehub.extensions import db
from tests import factories


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.token(user)}"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def assignment(chapter):
    return factories.assignment(chapter)


def new_post(assignment, **overrides) -> dict:
    return {
        "title": "Mirror neurons",
        "body": "Mirror neurons fire when we act and when we watch others act.",
        "topic_ids": [assignment.topics[0].id],
        "status": "published",
        **overrides,
    }


# --- assignments -------------------------------------------------------------------------


def test_create_assignment_answers_it_with_times_in_utc(client, chapter, ta):
    structures, connections = chapter.topics[0], chapter.topics[1]

    response = client.post(
        f"/api/v1/chapters/{chapter.id}/assignments",
        headers=bearer(ta),
        json={
            "title": "  Blog: wiring  ",
            "prompt": "Pick a **structure**.",
            "topic_ids": [connections.id, structures.id, connections.id],
            "opens_at": "2025-03-01T09:00:00+01:00",
            "due_at": "2025-03-07T23:59:00-05:00",
            "comments_due_at": "2025-03-14T12:00:00Z",
            "min_words": 300,
            "required_comments": 2,
            "comment_min_words": 40,
            "post_points": 10,
            "comment_points": 2.5,
            "late_penalty_percent": 20,
            "post_before_viewing": True,
        },
    )

    assert response.status_code == 201
    body = response.get_json()
    assert body == {
        "id": body["id"],
        "chapter_id": chapter.id,
        "course_id": chapter.course_id,
        "title": "Blog: wiring",
        "prompt": "Pick a **structure**.",
        "prompt_html": "<p>Pick a <strong>structure</strong>.</p>",
        "topic_ids": [structures.id, connections.id],
        "opens_at": "2025-03-01T08:00:00+00:00",
        "due_at": "2025-03-08T04:59:00+00:00",
        "comments_due_at": "2025-03-14T12:00:00+00:00",
        "min_words": 300,
        "required_comments": 2,
        "comment_min_words": 40,
        "post_points": 10,
        "comment_points": 2.5,
        "late_penalty_percent": 20,
        "post_before_viewing": True,
        "max_points": 12.5,
        "html_url": f"/assignments/{body['id']}",
    }
    saved = db.session.get(Assignment, body["id"])
    assert saved.due_at == datetime(2025, 3, 8, 4, 59, tzinfo=UTC)
    assert {topic.id for topic in saved.topics} == {structures.id, connections.id}


def test_create_assignment_with_a_title_only_takes_the_defaults(client, chapter, instructor):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/assignments",
        headers=bearer(instructor),
        json={"title": "Free writing"},
    )

    assert response.status_code == 201
    body = response.get_json()
    assert (body["prompt"], body["prompt_html"], body["topic_ids"]) == ("", "", [])
    assert (body["opens_at"], body["due_at"], body["comments_due_at"]) == (None, None, None)
    assert (body["late_penalty_percent"], body["post_before_viewing"]) == (None, False)
    assert body["max_points"] == 0


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"title": ""}, 422, "title"),
        ({"title": "   "}, 422, "title"),
        ({"title": "T" * 201}, 422, "title"),
        ({"prompt": "p" * (PROMPT_MAX + 1)}, 422, "prompt"),
        ({"min_words": -1}, 422, "min_words"),
        ({"comment_min_words": WORDS_MAX + 1}, 422, "comment_min_words"),
        ({"post_points": POINTS_MAX + 1}, 422, "post_points"),
        ({"post_points": -0.5}, 422, "post_points"),
        ({"late_penalty_percent": 100.5}, 422, "late_penalty_percent"),
        ({"due_at": "2025-03-07T23:59:00"}, 422, "due_at"),
        ({"due_at": "2025-03-07"}, 422, "due_at"),
        ({"due_at": "next Friday"}, 422, "due_at"),
        ({"due_at": "9999-12-31T23:00:00-05:00"}, 422, "due_at"),
        ({"topic_ids": [2**40]}, 422, "topic_ids.0"),
        ({"required_comments": 0, "comment_points": 5}, 422, "comment_points"),
        (
            {"opens_at": "2025-03-07T00:00:00Z", "due_at": "2025-03-06T00:00:00Z"},
            422,
            "due_at",
        ),
        ({"due_at": 1741391940}, 400, None),
        ({"post_points": "10"}, 400, None),
        ({"min_words": 2.5}, 400, None),
        ({"post_before_viewing": "yes"}, 400, None),
        ({"topic_ids": "1"}, 400, None),
    ],
)
def test_create_assignment_refuses_bad_input(client, chapter, ta, changes, status, field):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/assignments",
        headers=bearer(ta),
        json={"title": "Blog", "required_comments": 1, **changes},
    )

    assert response.status_code == status
    assert list(response.get_json()["error"]["fields"]) == ([field] if field else [])
    assert count(Assignment) == 0


def test_a_time_without_offset_is_refused_as_ambiguous(client, chapter, ta):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/assignments",
        headers=bearer(ta),
        json={"title": "Blog", "due_at": "2025-03-07T23:59:00"},
    )

    assert "ambiguous" in response.get_json()["error"]["fields"]["due_at"][0]


def test_create_assignment_with_topics_of_another_chapter_is_422(client, course, chapter, ta):
    elsewhere = factories.chapter(course, number=5).topics[0]

    response = client.post(
        f"/api/v1/chapters/{chapter.id}/assignments",
        headers=bearer(ta),
        json={"title": "Blog", "topic_ids": [chapter.topics[0].id, elsewhere.id]},
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["topic_ids"]
    assert count(Assignment) == 0


def test_create_assignment_is_for_staff_only(client, chapter, student, outsider):
    as_student = client.post(
        f"/api/v1/chapters/{chapter.id}/assignments",
        headers=bearer(student),
        json={"title": "Blog"},
    )
    as_outsider = client.post(
        f"/api/v1/chapters/{chapter.id}/assignments",
        headers=bearer(outsider),
        json={"title": "Blog"},
    )

    assert as_student.status_code == 403
    assert as_student.get_json()["error"]["code"] == "forbidden"
    assert as_outsider.status_code == 404
    assert count(Assignment) == 0


def test_list_assignments_by_chapter_then_due_time(client, course, chapter, student):
    later = factories.chapter(course, number=5)
    factories.assignment(later, title="Chapter 5 blog")
    factories.assignment(chapter, title="Due later", due_at=datetime(2025, 5, 1, tzinfo=UTC))
    factories.assignment(chapter, title="Due sooner", due_at=datetime(2025, 4, 1, tzinfo=UTC))

    first = client.get(
        f"/api/v1/courses/{course.id}/assignments?per_page=2", headers=bearer(student)
    ).get_json()
    second = client.get(
        f"/api/v1/courses/{course.id}/assignments?per_page=2&page=2", headers=bearer(student)
    ).get_json()

    assert (first["total"], first["page"], first["per_page"]) == (3, 1, 2)
    assert [a["title"] for a in first["items"] + second["items"]] == [
        "Due sooner",
        "Due later",
        "Chapter 5 blog",
    ]
    assert first["items"][0]["due_at"] == "2025-04-01T00:00:00+00:00"


def test_get_assignment(client, assignment, student):
    response = client.get(f"/api/v1/assignments/{assignment.id}", headers=bearer(student))

    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "Blog: how the brain is wired"
    assert body["topic_ids"] == [topic.id for topic in assignment.topics]
    assert (body["post_points"], body["comment_points"], body["max_points"]) == (10, 5, 15)


def test_patch_assignment_changes_only_what_is_sent(client, assignment, ta):
    topics = [topic.id for topic in assignment.topics]

    response = client.patch(
        f"/api/v1/assignments/{assignment.id}",
        headers=bearer(ta),
        json={"title": "Wiring, revisited", "due_at": "2025-04-01T12:00:00+02:00"},
    )

    assert response.status_code == 200
    body = response.get_json()
    assert (body["title"], body["due_at"]) == ("Wiring, revisited", "2025-04-01T10:00:00+00:00")
    assert body["topic_ids"] == topics
    assert (body["min_words"], body["required_comments"], body["post_points"]) == (5, 2, 10)
    assert body["prompt"].startswith("Pick a **structure**")


def test_patch_assignment_audits_a_new_due_time_in_utc_and_not_the_same_one_restated(
    client, chapter, ta
):
    from coursehub.audit.models import AuditEvent

    assignment = factories.assignment(chapter, due_at=datetime(2025, 4, 1, 10, tzinfo=UTC))
    url, headers = f"/api/v1/assignments/{assignment.id}", bearer(ta)

    changes = select(AuditEvent).where(AuditEvent.action == "assignment.change")

    client.patch(url, headers=headers, json={"due_at": "2025-04-01T12:00:00+02:00"})
    assert db.session.scalars(changes).all() == [], "the same instant, restated"
    client.patch(url, headers=headers, json={"due_at": "2025-04-02T12:00:00+02:00"})
    event = db.session.scalars(changes).one()
    assert (event.before, event.after) == (
        {"due_at": "2025-04-01T10:00:00+00:00"},
        {"due_at": "2025-04-02T10:00:00+00:00"},
    )


def test_patch_assignment_null_clears_a_time_but_not_a_title(client, chapter, ta):
    assignment = factories.assignment(
        chapter, due_at=datetime(2025, 4, 1, tzinfo=UTC), late_penalty_percent=10
    )

    cleared = client.patch(
        f"/api/v1/assignments/{assignment.id}",
        headers=bearer(ta),
        json={"due_at": None, "late_penalty_percent": None},
    )
    null_title = client.patch(
        f"/api/v1/assignments/{assignment.id}", headers=bearer(ta), json={"title": None}
    )

    assert cleared.status_code == 200
    assert (cleared.get_json()["due_at"], cleared.get_json()["late_penalty_percent"]) == (
        None,
        None,
    )
    assert null_title.status_code == 400
    assert "title cannot be null" in null_title.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"required_comments": 0}, "comment_points"),
        ({"title": "  "}, "title"),
        ({"topic_ids": [2**31 - 1]}, "topic_ids"),
        ({"due_at": "2025-04-01T12:00:00"}, "due_at"),
    ],
)
def test_patch_assignment_refusal_changes_nothing(client, assignment, ta, changes, field):
    response = client.patch(
        f"/api/v1/assignments/{assignment.id}", headers=bearer(ta), json=changes
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == [field]
    db.session.refresh(assignment)
    assert (assignment.title, assignment.required_comments) == ("Blog: how the brain is wired", 2)
    assert len(assignment.topics) == 3


def test_patch_assignment_is_for_staff_only(client, assignment, student):
    response = client.patch(
        f"/api/v1/assignments/{assignment.id}", headers=bearer(student), json={"title": "Mine"}
    )

    assert response.status_code == 403
    db.session.refresh(assignment)
    assert assignment.title == "Blog: how the brain is wired"


# --- writing posts -----------------------------------------------------------------------


def test_student_publishes_a_post(client, assignment, student):
    topic = assignment.topics[1]

    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(student),
        json=new_post(assignment, title=" Mirror neurons ", topic_ids=[topic.id]),
    )

    assert response.status_code == 201
    body = response.get_json()
    assert body == {
        "id": body["id"],
        "assignment_id": assignment.id,
        "author": {"id": student.id, "username": "sofia", "display_name": "Sofia Student"},
        "title": "Mirror neurons",
        "body": "Mirror neurons fire when we act and when we watch others act.",
        "body_html": "<p>Mirror neurons fire when we act and when we watch others act.</p>",
        "topic_ids": [topic.id],
        "status": "published",
        "created_at": body["created_at"],
        "published_at": body["published_at"],
        "updated_at": body["updated_at"],
        "word_count": 12,
        "is_late": False,
        "edited_after_due": False,
        "comment_count": 0,
        "html_url": f"/posts/{body['id']}",
    }
    published = datetime.fromisoformat(body["published_at"])
    assert published.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - published) < timedelta(minutes=1)
    assert count(Post) == 1


def test_a_post_is_a_draft_unless_published(client, assignment, student):
    body = new_post(assignment)
    del body["status"]

    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts", headers=bearer(student), json=body
    )

    assert response.status_code == 201
    assert (response.get_json()["status"], response.get_json()["published_at"]) == ("draft", None)


def test_markdown_body_is_kept_as_typed(client, assignment, student):
    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(student),
        json=new_post(assignment, body="    indented code\n\nThen prose.\n"),
    )

    assert response.get_json()["body"] == "    indented code\n\nThen prose.\n"
    assert "<pre><code>indented code" in response.get_json()["body_html"]


def test_a_body_of_exactly_the_maximum_is_accepted(client, assignment, student):
    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(student),
        json=new_post(assignment, body="word " * (BODY_MAX // 5)),
    )

    assert response.status_code == 201
    assert response.get_json()["word_count"] == BODY_MAX // 5


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"title": ""}, 422, "title"),
        ({"title": " \t "}, 422, "title"),
        ({"title": "T" * 201}, 422, "title"),
        ({"body": ""}, 422, "body"),
        ({"body": "  \n\t  "}, 422, "body"),
        ({"body": "x" * (BODY_MAX + 1)}, 422, "body"),
        ({"body": "NUL\u0000"}, 422, "body"),
        ({"topic_ids": []}, 422, "topic_ids"),
        ({"topic_ids": [2**31 - 1]}, 422, "topic_ids"),
        ({"topic_ids": [0]}, 422, "topic_ids.0"),
        ({"status": "archived"}, 422, "status"),
        ({"status": 1}, 400, None),
        ({"title": ["Mirror"]}, 400, None),
        ({"topic_ids": ["1"]}, 400, None),
    ],
)
def test_create_post_refuses_bad_input(client, assignment, student, changes, status, field):
    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(student),
        json=new_post(assignment, **changes),
    )

    assert response.status_code == status
    assert list(response.get_json()["error"]["fields"]) == ([field] if field else [])
    assert (count(Post), count(PostRevision)) == (0, 0)


def test_create_post_with_a_topic_of_another_chapter_is_422(client, course, assignment, student):
    elsewhere = factories.chapter(course, number=5).topics[0]

    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(student),
        json=new_post(assignment, topic_ids=[elsewhere.id]),
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["topic_ids"]
    assert count(Post) == 0


def test_a_malformed_body_is_400(client, assignment, student):
    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers={**bearer(student), "Content-Type": "application/json"},
        data='{"title": "Mirror", "body": ',
    )

    assert response.status_code == 400
    assert count(Post) == 0


def test_a_second_post_is_409(client, assignment, student):
    factories.post(student, assignment)

    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(student),
        json=new_post(assignment, title="Another"),
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert count(Post) == 1


@pytest.mark.parametrize("role", ["instructor", "ta"])
def test_staff_do_not_write_posts(client, assignment, instructor, ta, role):
    staff = {"instructor": instructor, "ta": ta}[role]

    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(staff),
        json=new_post(assignment),
    )

    assert response.status_code == 403
    assert count(Post) == 0


def test_a_post_before_the_assignment_opens_is_422(client, chapter, student):
    assignment = factories.assignment(chapter, opens_at=datetime.now(UTC) + timedelta(days=1))

    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(student),
        json=new_post(assignment),
    )

    assert response.status_code == 422
    assert count(Post) == 0


def test_a_late_post_is_flagged(client, chapter, student):
    assignment = factories.assignment(chapter, due_at=datetime.now(UTC) - timedelta(days=1))

    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts",
        headers=bearer(student),
        json=new_post(assignment),
    )

    assert response.get_json()["is_late"] is True


@pytest.mark.parametrize(
    "field, payload",
    [
        ("body", "<script>alert(1)</script>"),
        ("body", '<img src=x onerror="alert(1)">'),
        ("body", "[click me](javascript:alert(1))"),
        ("body", '<a href="javascript:alert(1)">x</a><iframe src="https://evil.example"></iframe>'),
        ("body", "<svg onload=alert(1)>"),
        ("title", "<script>alert(1)</script>"),
    ],
)
def test_script_payloads_never_reach_body_html(client, assignment, student, field, payload):
    body = new_post(assignment, **{field: f"Hello {payload} world"})

    response = client.post(
        f"/api/v1/assignments/{assignment.id}/posts", headers=bearer(student), json=body
    )

    assert response.status_code == 201
    html = response.get_json()["body_html"].lower()
    assert "<script" not in html
    assert "onerror" not in html
    assert "onload" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    # The title is plain text: returned as typed, for the client to escape.
    assert response.get_json()["title"] == body["title"].strip()


# --- reading posts -----------------------------------------------------------------------


def test_list_posts_shows_published_posts_and_the_callers_own_draft(
    client, course, assignment, student, other_student
):
    third = factories.member(course, "tara", "student")
    first = factories.post(other_student, assignment, title="Omar's")
    second = factories.post(third, assignment, title="Tara's")
    draft = factories.post(student, assignment, title="Sofia's draft", publish=False)

    as_author = client.get(
        f"/api/v1/assignments/{assignment.id}/posts", headers=bearer(student)
    ).get_json()
    as_classmate = client.get(
        f"/api/v1/assignments/{assignment.id}/posts", headers=bearer(other_student)
    ).get_json()
    second_page = client.get(
        f"/api/v1/assignments/{assignment.id}/posts?per_page=2&page=2", headers=bearer(student)
    ).get_json()

    assert [p["id"] for p in as_author["items"]] == [draft.id, first.id, second.id]
    assert as_author["total"] == 3
    assert as_author["items"][0]["status"] == "draft"
    assert [p["id"] for p in as_classmate["items"]] == [first.id, second.id]
    assert as_classmate["total"] == 2
    assert ([p["id"] for p in second_page["items"]], second_page["total"]) == ([second.id], 3)


def test_list_posts_counts_comments_not_deleted(client, assignment, student, other_student):
    post = factories.post(other_student, assignment)
    factories.comment(student, post)
    gone = factories.comment(student, post, body="I take that back entirely.")
    client.delete(f"/api/v1/comments/{gone.id}", headers=bearer(student))

    items = client.get(
        f"/api/v1/assignments/{assignment.id}/posts", headers=bearer(student)
    ).get_json()["items"]

    assert [p["comment_count"] for p in items] == [1]


def test_a_draft_is_visible_to_its_author_only(
    client, assignment, student, other_student, ta, instructor
):
    draft = factories.post(student, assignment, publish=False)

    mine = client.get(f"/api/v1/posts/{draft.id}", headers=bearer(student))
    others = [
        client.get(f"/api/v1/posts/{draft.id}", headers=bearer(person)).status_code
        for person in (other_student, ta, instructor)
    ]

    assert mine.status_code == 200
    assert mine.get_json()["status"] == "draft"
    assert others == [404, 404, 404]


def test_get_post_counts_its_comments(client, assignment, student, other_student):
    post = factories.post(student, assignment)
    factories.comment(other_student, post)

    response = client.get(f"/api/v1/posts/{post.id}", headers=bearer(other_student))

    assert response.status_code == 200
    assert (response.get_json()["title"], response.get_json()["comment_count"]) == (
        "Mirror neurons",
        1,
    )


# --- changing and deleting posts ---------------------------------------------------------


def test_author_edits_a_published_post_and_the_old_version_is_kept(client, assignment, student):
    post = factories.post(student, assignment)

    response = client.patch(
        f"/api/v1/posts/{post.id}",
        headers=bearer(student),
        json={"title": "Mirror neurons, revised"},
    )

    assert response.status_code == 200
    body = response.get_json()
    assert (body["title"], body["status"]) == ("Mirror neurons, revised", "published")
    assert body["body"] == "Mirror neurons fire when we act and when we watch others act."
    assert body["topic_ids"] == [assignment.topics[0].id]
    revision = db.session.scalars(select(PostRevision)).one()
    assert (revision.post_id, revision.title) == (post.id, "Mirror neurons")


def test_author_publishes_a_draft(client, assignment, student):
    draft = factories.post(student, assignment, publish=False)

    response = client.patch(
        f"/api/v1/posts/{draft.id}", headers=bearer(student), json={"status": "published"}
    )

    assert response.status_code == 200
    assert response.get_json()["status"] == "published"
    assert response.get_json()["published_at"] is not None


def test_a_published_post_cannot_go_back_to_draft(client, assignment, student):
    post = factories.post(student, assignment)

    response = client.patch(
        f"/api/v1/posts/{post.id}",
        headers=bearer(student),
        json={"status": "draft", "title": "Hidden again"},
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["status"]
    db.session.refresh(post)
    assert (post.status, post.title) == (PostStatus.published, "Mirror neurons")
    assert count(PostRevision) == 0


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"title": "  "}, 422, "title"),
        ({"body": "\n\n"}, 422, "body"),
        ({"body": "x" * (BODY_MAX + 1)}, 422, "body"),
        ({"topic_ids": []}, 422, "topic_ids"),
        ({"topic_ids": [2**31 - 1]}, 422, "topic_ids"),
        ({"body": None}, 400, None),
    ],
)
def test_patch_post_refusal_changes_nothing(client, assignment, student, changes, status, field):
    post = factories.post(student, assignment)

    response = client.patch(f"/api/v1/posts/{post.id}", headers=bearer(student), json=changes)

    assert response.status_code == status
    assert list(response.get_json()["error"]["fields"]) == ([field] if field else [])
    db.session.refresh(post)
    assert post.body == "Mirror neurons fire when we act and when we watch others act."
    assert [topic.id for topic in post.topics] == [assignment.topics[0].id]
    assert count(PostRevision) == 0


@pytest.mark.parametrize("editor", ["other_student", "ta", "instructor"])
def test_only_the_author_edits_a_post(client, request, assignment, student, editor):
    post = factories.post(student, assignment)

    response = client.patch(
        f"/api/v1/posts/{post.id}",
        headers=bearer(request.getfixturevalue(editor)),
        json={"title": "Taken over"},
    )

    assert response.status_code == 403
    db.session.refresh(post)
    assert post.title == "Mirror neurons"


@pytest.mark.parametrize("deleter", ["student", "ta", "instructor"])
def test_author_or_staff_delete_a_post_softly(client, request, assignment, student, deleter):
    post = factories.post(student, assignment)

    response = client.delete(
        f"/api/v1/posts/{post.id}", headers=bearer(request.getfixturevalue(deleter))
    )
    after = client.get(f"/api/v1/posts/{post.id}", headers=bearer(student))
    listed = client.get(f"/api/v1/assignments/{assignment.id}/posts", headers=bearer(student))

    assert response.status_code == 204
    assert response.get_data() == b""
    assert after.status_code == 404
    assert listed.get_json()["total"] == 0
    assert count(Post) == 1


def test_a_classmate_cannot_delete_a_post(client, assignment, student, other_student):
    post = factories.post(student, assignment)

    response = client.delete(f"/api/v1/posts/{post.id}", headers=bearer(other_student))

    assert response.status_code == 403
    db.session.refresh(post)
    assert post.deleted_at is None


# --- revisions ---------------------------------------------------------------------------


def test_revisions_newest_first_for_author_and_staff(
    client, assignment, student, other_student, ta
):
    post = factories.post(student, assignment, title="First")
    headers = bearer(student)
    client.patch(f"/api/v1/posts/{post.id}", headers=headers, json={"title": "Second"})
    client.patch(f"/api/v1/posts/{post.id}", headers=headers, json={"body": "Third body, longer."})

    as_author = client.get(f"/api/v1/posts/{post.id}/revisions", headers=headers)
    as_ta = client.get(f"/api/v1/posts/{post.id}/revisions?per_page=1", headers=bearer(ta))
    as_classmate = client.get(f"/api/v1/posts/{post.id}/revisions", headers=bearer(other_student))

    assert as_author.status_code == 200
    body = as_author.get_json()
    assert body["total"] == 2
    assert [r["title"] for r in body["items"]] == ["Second", "First"]
    assert set(body["items"][0]) == {"id", "title", "body", "body_html", "status", "created_at"}
    assert body["items"][1]["body_html"].startswith("<p>Mirror neurons")
    assert [r["title"] for r in as_ta.get_json()["items"]] == ["Second"]
    assert as_ta.get_json()["total"] == 2
    assert as_classmate.status_code == 403


# --- post before viewing -----------------------------------------------------------------


@pytest.fixture
def post_first(chapter):
    return factories.assignment(chapter, post_before_viewing=True)


def test_post_first_hides_classmates_posts_until_the_student_publishes(
    client, post_first, student, other_student
):
    theirs = factories.post(other_student, post_first)
    comment = factories.comment(other_student, theirs, body="Adding a note to my own post.")
    headers = bearer(student)
    paths = [
        ("GET", f"/api/v1/assignments/{post_first.id}/posts"),
        ("GET", f"/api/v1/posts/{theirs.id}"),
        ("GET", f"/api/v1/posts/{theirs.id}/comments"),
        ("GET", f"/api/v1/comments/{comment.id}"),
        ("POST", f"/api/v1/posts/{theirs.id}/comments"),
    ]

    def statuses():
        return [
            client.open(path, method=method, headers=headers, json={"body": "Nice work here!"})
            for method, path in paths
        ]

    before = statuses()
    draft = factories.post(student, post_first, publish=False)
    with_draft = statuses()
    client.patch(f"/api/v1/posts/{draft.id}", headers=headers, json={"status": "published"})
    after = statuses()

    assert [r.status_code for r in before] == [403] * 5
    assert {r.get_json()["error"]["code"] for r in before} == {"post_first"}
    assert [r.status_code for r in with_draft] == [403] * 5
    assert [r.status_code for r in after] == [200, 200, 200, 200, 201]
    assert after[0].get_json()["total"] == 2
    assert count(Post) == 2


def test_post_first_does_not_apply_to_staff(client, post_first, other_student, ta):
    theirs = factories.post(other_student, post_first)

    listed = client.get(f"/api/v1/assignments/{post_first.id}/posts", headers=bearer(ta))
    single = client.get(f"/api/v1/posts/{theirs.id}", headers=bearer(ta))

    assert (listed.status_code, single.status_code) == (200, 200)
