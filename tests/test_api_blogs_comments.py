"""API: threaded comments, notifications, who may reach what, and statement counts."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from coursehub.blogs.models import (
    COMMENT_MAX,
    MAX_DEPTH,
    Comment,
    CommentRevision,
    Notification,
    Post,
)
from coursehub.extensions import db
from tests import factories


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.token(user)}"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def assignment(chapter):
    return factories.assignment(chapter)


@pytest.fixture
def post(assignment, student):
    """Sofia's published post."""
    return factories.post(student, assignment)


def thread(client, post, user, query: str = "") -> dict:
    response = client.get(f"/api/v1/posts/{post.id}/comments{query}", headers=bearer(user))
    assert response.status_code == 200
    return response.get_json()


# --- writing comments --------------------------------------------------------------------


def test_a_classmate_comments_and_the_author_replies(client, post, student, other_student):
    comment = client.post(
        f"/api/v1/posts/{post.id}/comments",
        headers=bearer(other_student),
        json={"body": "Great *point* about mirror neurons."},
    )
    reply = client.post(
        f"/api/v1/posts/{post.id}/comments",
        headers=bearer(student),
        json={"body": "Thanks, Omar!", "parent_id": comment.get_json()["id"]},
    )

    assert comment.status_code == 201
    body = comment.get_json()
    assert body == {
        "id": body["id"],
        "post_id": post.id,
        "parent_id": None,
        "author": {"id": other_student.id, "username": "omar", "display_name": "Omar Other"},
        "body": "Great *point* about mirror neurons.",
        "body_html": "<p>Great <em>point</em> about mirror neurons.</p>",
        "created_at": body["created_at"],
        "edited_at": None,
        "deleted": False,
        "is_post_author": False,
        "replies": [],
        "html_url": f"/posts/{post.id}#comment-{body['id']}",
    }
    assert datetime.fromisoformat(body["created_at"]).utcoffset() == timedelta(0)
    assert reply.status_code == 201
    assert (reply.get_json()["parent_id"], reply.get_json()["is_post_author"]) == (body["id"], True)
    assert count(Comment) == 2


def test_staff_comment_on_a_post(client, post, ta):
    response = client.post(
        f"/api/v1/posts/{post.id}/comments", headers=bearer(ta), json={"body": "Well argued."}
    )

    assert response.status_code == 201


def test_commenting_on_a_draft_is_422(client, assignment, student):
    draft = factories.post(student, assignment, publish=False)

    response = client.post(
        f"/api/v1/posts/{draft.id}/comments", headers=bearer(student), json={"body": "Note."}
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["post"]
    assert count(Comment) == 0


def test_commenting_on_a_classmates_draft_is_404(client, assignment, student, other_student):
    draft = factories.post(student, assignment, publish=False)

    response = client.post(
        f"/api/v1/posts/{draft.id}/comments", headers=bearer(other_student), json={"body": "Hi."}
    )

    assert response.status_code == 404
    assert count(Comment) == 0


def test_commenting_on_another_courses_post_is_404(client, post, outsider):
    elsewhere = factories.course(outsider, title="Another course")
    factories.chapter(elsewhere)

    response = client.post(
        f"/api/v1/posts/{post.id}/comments", headers=bearer(outsider), json={"body": "Hello."}
    )

    assert response.status_code == 404
    assert count(Comment) == 0


@pytest.mark.parametrize("parent", ["other post", "missing", "zero"])
def test_a_parent_that_is_not_a_comment_of_this_post_is_422(
    client, assignment, post, other_student, parent
):
    other_post = factories.post(other_student, assignment, title="Omar's post")
    elsewhere = factories.comment(other_student, other_post, body="On another post entirely.")
    parent_id = {"other post": elsewhere.id, "missing": 2**31 - 1, "zero": 0}[parent]

    response = client.post(
        f"/api/v1/posts/{post.id}/comments",
        headers=bearer(other_student),
        json={"body": "A reply.", "parent_id": parent_id},
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["parent_id"]
    assert (count(Comment), count(Notification)) == (1, 0)


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"body": ""}, 422, "body"),
        ({"body": " \n\t "}, 422, "body"),
        ({"body": "x" * (COMMENT_MAX + 1)}, 422, "body"),
        ({}, 422, "body"),
        ({"body": 42}, 400, None),
        ({"body": "Fine.", "parent_id": "1"}, 400, None),
    ],
)
def test_create_comment_refuses_bad_input(client, post, other_student, body, status, field):
    response = client.post(
        f"/api/v1/posts/{post.id}/comments", headers=bearer(other_student), json=body
    )

    assert response.status_code == status
    assert list(response.get_json()["error"]["fields"]) == ([field] if field else [])
    assert (count(Comment), count(Notification)) == (0, 0)


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    ],
)
def test_script_payloads_in_comments_never_reach_body_html(client, post, other_student, payload):
    response = client.post(
        f"/api/v1/posts/{post.id}/comments",
        headers=bearer(other_student),
        json={"body": f"Look {payload} here"},
    )

    html = response.get_json()["body_html"].lower()
    assert response.status_code == 201
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html


# --- reading the discussion --------------------------------------------------------------


def test_thread_nests_replies_and_pages_count_top_level_threads(
    client, post, student, other_student, ta
):
    first = factories.comment(other_student, post, body="First thoughts on this.")
    reply = factories.comment(student, post, body="Thanks for reading it.", parent=first)
    factories.comment(other_student, post, body="You are welcome, truly.", parent=reply)
    second = factories.comment(ta, post, body="Consider the motor cortex too.")

    page_one = thread(client, post, other_student, "?per_page=1")
    page_two = thread(client, post, other_student, "?per_page=1&page=2")

    assert (page_one["total"], page_one["page"], page_one["per_page"]) == (4, 1, 1)
    [top] = page_one["items"]
    assert top["id"] == first.id
    assert [r["id"] for r in top["replies"]] == [reply.id]
    assert top["replies"][0]["is_post_author"] is True
    assert top["replies"][0]["replies"][0]["body"] == "You are welcome, truly."
    assert top["replies"][0]["replies"][0]["replies"] == []
    assert [c["id"] for c in page_two["items"]] == [second.id]
    assert page_two["total"] == 4


def test_a_deleted_comment_keeps_its_place_and_replies(client, post, student, other_student):
    first = factories.comment(other_student, post, body="Something I regret saying.")
    factories.comment(student, post, body="I disagree with this.", parent=first)
    factories.comment(other_student, post, body="A second, kinder comment.")

    deleted = client.delete(f"/api/v1/comments/{first.id}", headers=bearer(other_student))
    body = thread(client, post, student)
    single = client.get(f"/api/v1/comments/{first.id}", headers=bearer(student)).get_json()
    on_post = client.get(f"/api/v1/posts/{post.id}", headers=bearer(student)).get_json()

    assert deleted.status_code == 204
    top = body["items"][0]
    assert (top["id"], top["deleted"], top["body"], top["body_html"]) == (first.id, True, "", "")
    assert "regret" not in str(body)
    assert [r["body"] for r in top["replies"]] == ["I disagree with this."]
    assert len(body["items"]) == 2
    assert body["total"] == 2
    assert on_post["comment_count"] == 2
    assert (single["deleted"], single["body"], len(single["replies"])) == (True, "", 1)
    assert count(Comment) == 3


def test_replies_deeper_than_the_limit_join_the_deepest_level(client, post, student, other_student):
    parent = None
    chain = []
    for depth in range(1, MAX_DEPTH + 2):
        author = other_student if depth % 2 else student
        response = client.post(
            f"/api/v1/posts/{post.id}/comments",
            headers=bearer(author),
            json={"body": f"Level {depth} of the thread.", "parent_id": parent},
        )
        assert response.status_code == 201
        parent = response.get_json()["id"]
        chain.append(response.get_json())

    fifth, sixth = chain[MAX_DEPTH - 1], chain[MAX_DEPTH]
    node = thread(client, post, student)["items"][0]
    for _ in range(MAX_DEPTH - 2):
        [node] = node["replies"]

    assert sixth["parent_id"] == fifth["parent_id"] == node["id"]
    assert [r["id"] for r in node["replies"]] == [fifth["id"], sixth["id"]]
    assert [r["replies"] for r in node["replies"]] == [[], []]


def test_get_comment_answers_it_with_its_replies(client, post, student, other_student):
    comment = factories.comment(other_student, post, body="What about empathy?")
    factories.comment(student, post, body="Good question, see section two.", parent=comment)

    response = client.get(f"/api/v1/comments/{comment.id}", headers=bearer(student))

    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["body"], body["is_post_author"]) == (
        comment.id,
        "What about empathy?",
        False,
    )
    assert [(r["body"], r["is_post_author"]) for r in body["replies"]] == [
        ("Good question, see section two.", True)
    ]


# --- changing and deleting comments ------------------------------------------------------


def test_author_edits_a_comment(client, post, other_student):
    comment = factories.comment(other_student, post, body="Frist comment.")

    response = client.patch(
        f"/api/v1/comments/{comment.id}",
        headers=bearer(other_student),
        json={"body": "First **comment**."},
    )

    assert response.status_code == 200
    body = response.get_json()
    assert (body["body"], body["body_html"]) == (
        "First **comment**.",
        "<p>First <strong>comment</strong>.</p>",
    )
    assert body["edited_at"] is not None
    revision = db.session.scalars(select(CommentRevision)).one()
    assert revision.body == "Frist comment."


@pytest.mark.parametrize(
    "body, status",
    [({"body": ""}, 422), ({"body": "   "}, 422), ({"body": "x" * (COMMENT_MAX + 1)}, 422)],
)
def test_patch_comment_refusal_changes_nothing(client, post, other_student, body, status):
    comment = factories.comment(other_student, post, body="Kept as it was.")

    response = client.patch(
        f"/api/v1/comments/{comment.id}", headers=bearer(other_student), json=body
    )

    assert response.status_code == status
    db.session.refresh(comment)
    assert (comment.body, comment.edited_at) == ("Kept as it was.", None)
    assert count(CommentRevision) == 0


@pytest.mark.parametrize("editor", ["student", "ta", "instructor"])
def test_only_the_author_edits_a_comment(client, request, post, other_student, editor):
    comment = factories.comment(other_student, post, body="Mine to change.")

    response = client.patch(
        f"/api/v1/comments/{comment.id}",
        headers=bearer(request.getfixturevalue(editor)),
        json={"body": "Changed by someone else."},
    )

    assert response.status_code == 403
    db.session.refresh(comment)
    assert comment.body == "Mine to change."


def test_a_deleted_comment_cannot_be_edited(client, post, other_student):
    comment = factories.comment(other_student, post, body="Soon gone.")
    client.delete(f"/api/v1/comments/{comment.id}", headers=bearer(other_student))

    response = client.patch(
        f"/api/v1/comments/{comment.id}", headers=bearer(other_student), json={"body": "Back!"}
    )

    assert response.status_code == 403


@pytest.mark.parametrize("deleter", ["other_student", "ta", "instructor"])
def test_author_or_staff_delete_a_comment(client, request, post, other_student, deleter):
    comment = factories.comment(other_student, post, body="Moderate me.")
    person = request.getfixturevalue(deleter)

    response = client.delete(f"/api/v1/comments/{comment.id}", headers=bearer(person))

    assert response.status_code == 204
    db.session.refresh(comment)
    assert comment.deleted_at is not None
    assert comment.deleted_by_id == person.id


def test_a_classmate_cannot_delete_a_comment(client, post, student, other_student):
    comment = factories.comment(other_student, post, body="Not yours to delete.")

    response = client.delete(f"/api/v1/comments/{comment.id}", headers=bearer(student))
    twice = [
        client.delete(f"/api/v1/comments/{comment.id}", headers=bearer(other_student)).status_code
        for _ in range(2)
    ]

    assert response.status_code == 403
    assert twice == [204, 403]


# --- notifications -----------------------------------------------------------------------


def test_post_and_parent_authors_are_notified_and_mark_them_read(
    client, post, student, other_student, ta
):
    comment = factories.comment(other_student, post, body="A comment for Sofia.")
    reply = factories.comment(ta, post, body="A reply for Omar.", parent=comment)
    factories.comment(student, post, body="My own reply tells nobody but Omar.", parent=comment)

    sofia = client.get("/api/v1/notifications", headers=bearer(student)).get_json()
    omar = client.get("/api/v1/notifications", headers=bearer(other_student)).get_json()

    assert [(n["kind"], n["comment"]["id"]) for n in sofia["items"]] == [
        ("comment", reply.id),
        ("comment", comment.id),
    ]
    assert sofia["total"] == 2
    first = sofia["items"][1]
    assert first == {
        "id": first["id"],
        "kind": "comment",
        "comment": {
            "id": comment.id,
            "parent_id": None,
            "author": {"id": other_student.id, "username": "omar", "display_name": "Omar Other"},
            "deleted": False,
            "html_url": f"/posts/{post.id}#comment-{comment.id}",
        },
        "post_id": post.id,
        "created_at": first["created_at"],
        "read": False,
    }
    assert [n["kind"] for n in omar["items"]] == ["reply", "reply"]

    one = client.post(
        "/api/v1/notifications/read", headers=bearer(student), json={"ids": [first["id"]]}
    )
    foreign = client.post(
        "/api/v1/notifications/read",
        headers=bearer(other_student),
        json={"ids": [sofia["items"][0]["id"]]},
    )
    after_one = client.get("/api/v1/notifications", headers=bearer(student)).get_json()
    everything = client.post("/api/v1/notifications/read", headers=bearer(student), json={})
    after_all = client.get("/api/v1/notifications", headers=bearer(student)).get_json()
    omar_after = client.get("/api/v1/notifications", headers=bearer(other_student)).get_json()

    assert (one.status_code, foreign.status_code, everything.status_code) == (204, 204, 204)
    assert [n["read"] for n in after_one["items"]] == [False, True]
    assert [n["read"] for n in after_all["items"]] == [True, True]
    assert [n["read"] for n in omar_after["items"]] == [False, False]


def test_notifications_are_paginated_newest_first(client, post, student, other_student):
    comments = [
        factories.comment(other_student, post, body=f"Comment number {n}.") for n in range(3)
    ]

    body = client.get("/api/v1/notifications?per_page=2&page=2", headers=bearer(student)).get_json()

    assert (body["total"], body["page"], body["per_page"]) == (3, 2, 2)
    assert [n["comment"]["id"] for n in body["items"]] == [comments[0].id]


def test_notification_ids_must_be_a_list_of_ids(client, student):
    response = client.post(
        "/api/v1/notifications/read", headers=bearer(student), json={"ids": "all"}
    )

    assert response.status_code == 400


# --- who may reach what ------------------------------------------------------------------


@pytest.fixture
def every_path(chapter, assignment, post, other_student):
    comment = factories.comment(other_student, post, body="A comment to reach.")
    new_post = {"title": "T", "body": "B", "topic_ids": [assignment.topics[0].id]}
    return [
        ("POST", f"/api/v1/chapters/{chapter.id}/assignments", {"title": "Blog"}),
        ("GET", f"/api/v1/courses/{chapter.course_id}/assignments", None),
        ("GET", f"/api/v1/assignments/{assignment.id}", None),
        ("PATCH", f"/api/v1/assignments/{assignment.id}", {"title": "Blog"}),
        ("POST", f"/api/v1/assignments/{assignment.id}/posts", new_post),
        ("GET", f"/api/v1/assignments/{assignment.id}/posts", None),
        ("GET", f"/api/v1/posts/{post.id}", None),
        ("PATCH", f"/api/v1/posts/{post.id}", {"title": "T"}),
        ("DELETE", f"/api/v1/posts/{post.id}", None),
        ("GET", f"/api/v1/posts/{post.id}/revisions", None),
        ("POST", f"/api/v1/posts/{post.id}/comments", {"body": "Hello there."}),
        ("GET", f"/api/v1/posts/{post.id}/comments", None),
        ("GET", f"/api/v1/comments/{comment.id}", None),
        ("PATCH", f"/api/v1/comments/{comment.id}", {"body": "Changed."}),
        ("DELETE", f"/api/v1/comments/{comment.id}", None),
    ]


def test_a_non_member_gets_404_on_every_blog_path(client, every_path, outsider):
    headers = bearer(outsider)

    statuses = [
        client.open(path, method=method, headers=headers, json=body).status_code
        for method, path, body in every_path
    ]

    assert statuses == [404] * len(every_path)
    assert (count(Comment), count(Notification)) == (1, 1)
    assert count(Post) == 1


def test_without_a_token_every_blog_path_is_401(client, every_path):
    statuses = {
        client.open(path, method=method, json=body).status_code
        for method, path, body in [*every_path, ("GET", "/api/v1/notifications", None)]
    }

    assert statuses == {401}


def test_access_matrix_for_a_classmate(client, every_path, student, other_student):
    # Omar reads Sofia's post and comments on it; he may not change or delete it,
    # nor see its earlier versions, nor set assignments. He wrote the comment.
    headers = bearer(other_student)

    statuses = [
        client.open(path, method=method, headers=headers, json=body).status_code
        for method, path, body in every_path
    ]

    assert statuses == [403, 200, 200, 403, 201, 200, 200, 403, 403, 403, 201, 200, 200, 200, 204]


def test_every_blog_route_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    assert set(paths["/api/v1/posts/{post_id}"]) == {"get", "patch", "delete"}
    assert "201" in paths["/api/v1/assignments/{assignment_id}/posts"]["post"]["responses"]
    assert "409" in paths["/api/v1/assignments/{assignment_id}/posts"]["post"]["responses"]
    assert "204" in paths["/api/v1/comments/{comment_id}"]["delete"]["responses"]
    assert "204" in paths["/api/v1/notifications/read"]["post"]["responses"]
    new_post = paths["/api/v1/assignments/{assignment_id}/posts"]["post"]
    assert new_post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/NewPost"
    )


# --- statements per list, independent of the number of rows ------------------------------


def _grow(course, assignment, posts: int) -> None:
    """`posts` published posts, each with a comment, a reply and topics."""
    for n in range(posts):
        author = factories.member(course, f"writer{n}", "student")
        written = factories.post(author, assignment, title=f"Post {n}")
        comment = factories.comment(author, written, body=f"A note on post {n}.")
        factories.comment(author, written, body="And a reply to it.", parent=comment)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/assignments/{assignment}/posts",
        "/api/v1/courses/{course}/assignments",
        "/api/v1/posts/{post}/comments",
        "/api/v1/notifications",
    ],
)
def test_list_statement_counts_do_not_grow_with_rows(
    client, course, chapter, assignment, post, student, path
):
    headers = bearer(student)

    def run() -> int:
        url = path.format(assignment=assignment.id, course=course.id, post=post.id)
        with statements() as seen:
            response = client.get(url, headers=headers)
        assert response.status_code == 200
        return len(seen)

    factories.comment(student, post, body="My own first note.")
    small = run()
    _grow(course, assignment, 8)
    for n in range(8):
        factories.assignment(chapter, title=f"Extra {n}")
        commenter = factories.member(course, f"reader{n}", "student")
        first = factories.comment(commenter, post, body=f"Comment {n} on Sofia's post.")
        factories.comment(commenter, post, body="Replying to myself.", parent=first)
    large = run()

    assert small == large


def test_comments_after_the_deadline_still_post(client, chapter, student, other_student):
    assignment = factories.assignment(
        chapter, comments_due_at=datetime.now(UTC) - timedelta(days=1)
    )
    post = factories.post(student, assignment)

    response = client.post(
        f"/api/v1/posts/{post.id}/comments", headers=bearer(other_student), json={"body": "Late."}
    )

    assert response.status_code == 201
