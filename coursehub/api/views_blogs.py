"""API: blog assignments, posts and their revisions, threaded comments, notifications.

Every lookup goes through a *_for_member query (404 outside the course), then a
post the caller may not see answers 404 (a classmate's draft) or 403 post_first.
"""

from dataclasses import fields, replace

from flask import abort
from flask.typing import ResponseReturnValue

from coursehub.accounts.models import User
from coursehub.api.auth import require
from coursehub.api.parsing import page_args, parse
from coursehub.api.routing import route
from coursehub.api.schemas import (
    AssignmentChanges,
    CommentChanges,
    NewAssignment,
    NewComment,
    NewPost,
    NotificationsRead,
    PostChanges,
)
from coursehub.api.serializers import (
    assignment_json,
    comment_json,
    notification_json,
    page_of,
    post_json,
    revision_json,
    thread_json,
)
from coursehub.blogs import queries, services
from coursehub.blogs.models import Assignment, Post, PostStatus
from coursehub.blogs.services import AssignmentSpec
from coursehub.courses import queries as course_queries
from coursehub.courses.models import Membership
from coursehub.db import utcnow
from coursehub.exceptions import Invalid, PostFirst
from coursehub.extensions import db
from coursehub.permissions import (
    can_delete_comment,
    can_delete_post,
    can_edit_assignments,
    can_edit_comment,
    can_edit_post,
    can_view_post,
    can_view_revisions,
    can_write_post,
    must_post_first,
)
from coursehub.security import limit

STAFF_ONLY = "Only the course's instructors and teaching assistants can do that."
POST_FIRST = (
    "Publish your own post for this assignment first; then you can read and discuss "
    "your classmates' posts."
)


def _spec_of(assignment: Assignment) -> AssignmentSpec:
    """The assignment's current rules, which a partial update starts from."""
    current = {
        spec_field.name: getattr(assignment, spec_field.name)
        for spec_field in fields(AssignmentSpec)
        if spec_field.name != "topic_ids"
    }
    return AssignmentSpec(**current, topic_ids=tuple(topic.id for topic in assignment.topics))


def _require_visible(membership: Membership, post: Post, published: bool) -> None:
    """Answer 403 post_first while the caller must publish first, 404 for a post they
    may not see at all (a classmate's draft)."""
    if not can_view_post(membership, post, published):
        if must_post_first(membership, post.assignment, published):
            raise PostFirst(POST_FIRST)
        abort(404)


def _comment_count(post: Post) -> int:
    return queries.comment_counts([post.id]).get(post.id, 0)


# --- assignments -------------------------------------------------------------------------


@route(
    "POST", "/chapters/<id:chapter_id>/assignments", status=201, body=NewAssignment, errors=(403,)
)
def create_assignment(user: User, chapter_id: int) -> ResponseReturnValue:
    """Set a blog assignment in a chapter (staff).

    422 for topics of another chapter, comment points without required comments,
    or a due time before the assignment opens.
    """
    chapter, membership = course_queries.chapter_for_member(user, chapter_id)
    require(can_edit_assignments(membership), STAFF_ONLY)
    body = parse(NewAssignment)
    spec = AssignmentSpec(**{**body.model_dump(), "topic_ids": tuple(body.topic_ids)})
    assignment = services.create_assignment(chapter, spec, utcnow())
    db.session.commit()
    return assignment_json(assignment), 201


@route("GET", "/courses/<id:course_id>/assignments", paginated=True)
def list_assignments(user: User, course_id: int) -> ResponseReturnValue:
    """The course's assignments, by chapter, then by due time."""
    course, _ = course_queries.course_for_member(user, course_id)
    page = page_args()
    assignments = queries.course_assignments(course.id, page.offset, page.size)
    return page_of(
        [assignment_json(assignment) for assignment in assignments],
        page,
        queries.course_assignment_count(course.id),
    )


@route("GET", "/assignments/<id:assignment_id>")
def get_assignment(user: User, assignment_id: int) -> ResponseReturnValue:
    """An assignment with its rules and deadlines."""
    assignment, _ = queries.assignment_for_member(user, assignment_id)
    return assignment_json(assignment)


@route("PATCH", "/assignments/<id:assignment_id>", body=AssignmentChanges, errors=(403,))
def update_assignment(user: User, assignment_id: int) -> ResponseReturnValue:
    """Change an assignment (staff); fields left out keep their value, null clears a time.

    Credit follows the new rules. 422 as for creating one.
    """
    assignment, membership = queries.assignment_for_member(user, assignment_id)
    require(can_edit_assignments(membership), STAFF_ONLY)
    body = parse(AssignmentChanges)
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    if body.topic_ids is not None:
        changes["topic_ids"] = tuple(body.topic_ids)
    services.update_assignment(user, assignment, replace(_spec_of(assignment), **changes), utcnow())
    db.session.commit()
    return assignment_json(assignment)


# --- posts -------------------------------------------------------------------------------


@route(
    "POST",
    "/assignments/<id:assignment_id>/posts",
    status=201,
    body=NewPost,
    errors=(403, 409, 429),
)
@limit("POSTING")
def create_post(user: User, assignment_id: int) -> ResponseReturnValue:
    """Write the caller's post for an assignment, as a draft or published (students).

    409 when they already have one; 422 for topics the assignment does not offer,
    none when it offers some, or an assignment not open yet.
    """
    assignment, membership = queries.assignment_for_member(user, assignment_id)
    require(can_write_post(membership), "Only the course's students write posts.")
    body = parse(NewPost)
    post = services.create_post(
        user,
        assignment,
        body.title,
        body.body,
        body.topic_ids,
        body.status is PostStatus.published,
        utcnow(),
    )
    db.session.commit()
    return post_json(post, comment_count=0), 201


@route("GET", "/assignments/<id:assignment_id>/posts", paginated=True, errors=(403,))
def list_posts(user: User, assignment_id: int) -> ResponseReturnValue:
    """The assignment's published posts, oldest first, after the caller's own draft.

    403 post_first for a student who has not published when the assignment has
    post_before_viewing.
    """
    assignment, membership = queries.assignment_for_member(user, assignment_id)
    if must_post_first(membership, assignment, queries.has_published(user.id, assignment.id)):
        raise PostFirst(POST_FIRST)
    page = page_args()
    posts = queries.visible_posts(assignment.id, user.id, page.offset, page.size)
    counts = queries.comment_counts([post.id for post in posts])
    return page_of(
        [post_json(post, counts.get(post.id, 0)) for post in posts],
        page,
        queries.visible_post_count(assignment.id, user.id),
    )


@route("GET", "/posts/<id:post_id>", errors=(403,))
def get_post(user: User, post_id: int) -> ResponseReturnValue:
    """A post; a draft only for its author (404 for others); 403 post_first."""
    post, membership, published = queries.post_for_member(user, post_id)
    _require_visible(membership, post, published)
    return post_json(post, _comment_count(post))


@route("PATCH", "/posts/<id:post_id>", body=PostChanges, errors=(403, 429))
@limit("POSTING")
def update_post(user: User, post_id: int) -> ResponseReturnValue:
    """Change the caller's own post; fields left out keep their value (author).

    A draft may be published; a published post stays published (422 for "draft").
    The version replaced is kept as a revision.
    """
    post, membership, published = queries.post_for_member(user, post_id)
    _require_visible(membership, post, published)
    require(can_edit_post(membership, post), "Only its author can edit a post.")
    body = parse(PostChanges)
    if body.status is PostStatus.draft and post.is_published:
        # The service keeps a published post published; "draft" cannot be honoured.
        raise Invalid("A published post cannot go back to draft.", field="status")
    services.update_post(
        post,
        body.title if body.title is not None else post.title,
        body.body if body.body is not None else post.body,
        body.topic_ids if body.topic_ids is not None else [t.id for t in post.topics],
        body.status is PostStatus.published,
        utcnow(),
    )
    db.session.commit()
    return post_json(post, _comment_count(post))


@route("DELETE", "/posts/<id:post_id>", status=204, errors=(403,))
def delete_post(user: User, post_id: int) -> ResponseReturnValue:
    """Remove a post (its author, or staff); its comments keep counting for their authors."""
    post, membership, published = queries.post_for_member(user, post_id)
    _require_visible(membership, post, published)
    require(
        can_delete_post(membership, post),
        "Only its author or the course's staff can delete a post.",
    )
    services.delete_post(post, user, utcnow())
    db.session.commit()
    return "", 204


@route("GET", "/posts/<id:post_id>/revisions", paginated=True, errors=(403,))
def list_revisions(user: User, post_id: int) -> ResponseReturnValue:
    """Earlier versions of a post, newest first (its author and staff)."""
    post, membership, published = queries.post_for_member(user, post_id)
    _require_visible(membership, post, published)
    require(
        can_view_revisions(membership, post),
        "Only its author and the course's staff see a post's earlier versions.",
    )
    page = page_args()
    revisions = queries.post_revisions(post.id, page.offset, page.size)
    return page_of(
        [revision_json(revision) for revision in revisions],
        page,
        queries.post_revision_count(post.id),
    )


# --- comments ----------------------------------------------------------------------------


@route("POST", "/posts/<id:post_id>/comments", status=201, body=NewComment, errors=(403, 429))
@limit("COMMENTING")
def create_comment(user: User, post_id: int) -> ResponseReturnValue:
    """Comment on a published post, or reply to one of its comments with parent_id.

    A reply to a comment 5 levels deep joins that comment's thread at the same level.
    422 for a draft, or a parent_id that is not a comment of this post; 403 post_first.
    """
    post, membership, published = queries.post_for_member(user, post_id)
    # Visible and published is can_comment; the service refuses a draft with a 422.
    _require_visible(membership, post, published)
    body = parse(NewComment)
    comment = services.add_comment(user, post, body.body, body.parent_id, utcnow())
    db.session.commit()
    return comment_json(comment, post.author_id), 201


@route("GET", "/posts/<id:post_id>/comments", paginated=True, errors=(403,))
def list_comments(user: User, post_id: int) -> ResponseReturnValue:
    """A post's discussion: top-level comments, oldest first, with their replies nested.

    Pages count top-level threads; `total` counts every comment and reply not deleted.
    """
    post, membership, published = queries.post_for_member(user, post_id)
    _require_visible(membership, post, published)
    page = page_args()
    threads, total = queries.thread_page(post.id, page.offset, page.size)
    return page_of([thread_json(node, post.author_id) for node in threads], page, total)


@route("GET", "/comments/<id:comment_id>", errors=(403,))
def get_comment(user: User, comment_id: int) -> ResponseReturnValue:
    """A comment with its replies; a deleted one answers without its text."""
    comment, membership, published = queries.comment_for_member(user, comment_id)
    _require_visible(membership, comment.post, published)
    return thread_json(queries.comment_with_replies(comment), comment.post.author_id)


@route("PATCH", "/comments/<id:comment_id>", body=CommentChanges, errors=(403, 429))
@limit("COMMENTING")
def update_comment(user: User, comment_id: int) -> ResponseReturnValue:
    """Change the text of the caller's own comment (author, until deleted).

    The text replaced is kept as a revision.
    """
    comment, membership, published = queries.comment_for_member(user, comment_id)
    _require_visible(membership, comment.post, published)
    require(
        can_edit_comment(membership, comment),
        "Only its author can edit a comment, and not once it is deleted.",
    )
    body = parse(CommentChanges)
    services.edit_comment(comment, body.body if body.body is not None else comment.body, utcnow())
    db.session.commit()
    return thread_json(queries.comment_with_replies(comment), comment.post.author_id)


@route("DELETE", "/comments/<id:comment_id>", status=204, errors=(403,))
def delete_comment(user: User, comment_id: int) -> ResponseReturnValue:
    """Delete a comment (its author, or staff); a placeholder keeps its place and replies."""
    comment, membership, published = queries.comment_for_member(user, comment_id)
    _require_visible(membership, comment.post, published)
    require(
        can_delete_comment(membership, comment),
        "Only its author or the course's staff can delete a comment, and only once.",
    )
    services.delete_comment(comment, user, utcnow())
    db.session.commit()
    return "", 204


# --- notifications -----------------------------------------------------------------------


@route("GET", "/notifications", paginated=True)
def list_notifications(user: User) -> ResponseReturnValue:
    """The caller's notifications, newest first.

    "comment": someone commented on the caller's post; "reply": someone replied to
    the caller's comment.
    """
    page = page_args()
    notifications = queries.notifications(user.id, limit=page.size, offset=page.offset)
    return page_of(
        [notification_json(notification) for notification in notifications],
        page,
        queries.notification_count(user.id),
    )


@route("POST", "/notifications/read", status=204, body=NotificationsRead)
def mark_notifications_read(user: User) -> ResponseReturnValue:
    """Mark the caller's notifications read: those in `ids`, or all of them."""
    body = parse(NotificationsRead)
    services.mark_read(user, utcnow(), body.ids)
    db.session.commit()
    return "", 204
