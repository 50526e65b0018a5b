"""Models as the API's JSON resources (shared/API.md), each with its page's html_url."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask import url_for

from coursehub.accounts.models import User
from coursehub.api.parsing import Page
from coursehub.blogs.models import Assignment, Comment, Notification, Post, PostRevision
from coursehub.blogs.queries import ThreadNode
from coursehub.courses.models import Chapter, Course, LectureVideo, Membership, Segment, Topic
from coursehub.participation.services import Credit
from coursehub.permissions import can_see_join_code
from coursehub.rendering import video_source

JSON = dict[str, Any]


def page_of(items: Sequence[JSON], page: Page, total: int) -> JSON:
    return {"items": list(items), "page": page.number, "per_page": page.size, "total": total}


def user_json(user: User, *, with_email: bool = False) -> JSON:
    """How a person appears to others; staff of a shared course also see the email."""
    data: JSON = {"id": user.id, "username": user.username, "display_name": user.display_name}
    if with_email:
        data["email"] = user.email
    return data


def own_user_json(user: User) -> JSON:
    """The caller's own account."""
    return {**user_json(user, with_email=True), "is_admin": user.is_admin}


def member_json(membership: Membership, *, with_email: bool) -> JSON:
    return {
        "user": user_json(membership.user, with_email=with_email),
        "role": membership.role.value,
    }


def course_json(course: Course, membership: Membership) -> JSON:
    """The course as the member `membership` sees it: the join code is for staff only."""
    data: JSON = {
        "id": course.id,
        "code": course.code,
        "title": course.title,
        "description": course.description,
        "role": membership.role.value,
        "html_url": url_for("courses.course", course_id=course.id),
    }
    if can_see_join_code(membership):
        data["join_code"] = course.join_code
    return data


def topic_json(topic: Topic) -> JSON:
    return {
        "id": topic.id,
        "name": topic.name,
        "slug": topic.slug,
        "description": topic.description,
    }


def chapter_json(chapter: Chapter) -> JSON:
    return {
        "id": chapter.id,
        "course_id": chapter.course_id,
        "number": chapter.number,
        "title": chapter.title,
        "summary": chapter.summary,
        "topics": [topic_json(topic) for topic in chapter.topics],
        "html_url": url_for("courses.chapter", chapter_id=chapter.id),
    }


def segment_json(segment: Segment) -> JSON:
    return {
        "id": segment.id,
        "start_seconds": segment.start_seconds,
        "title": segment.title,
        "topic_id": segment.topic_id,
    }


def video_json(video: LectureVideo) -> JSON:
    return {
        "id": video.id,
        "chapter_id": video.chapter_id,
        "title": video.title,
        "url": video.url,
        "embed_url": video_source(video.url).embed_url,
        "duration_seconds": video.duration_seconds,
        "segments": [segment_json(segment) for segment in video.segments],
        "html_url": url_for("courses.video", video_id=video.id),
    }


def time_json(value: datetime | None) -> str | None:
    """ISO 8601 with the UTC offset, as the API takes times in."""
    return value.isoformat() if value is not None else None


def assignment_json(assignment: Assignment) -> JSON:
    return {
        "id": assignment.id,
        "chapter_id": assignment.chapter_id,
        "course_id": assignment.course_id,
        "title": assignment.title,
        "prompt": assignment.prompt,
        "prompt_html": assignment.prompt_html,
        "topic_ids": [topic.id for topic in assignment.topics],
        "opens_at": time_json(assignment.opens_at),
        "due_at": time_json(assignment.due_at),
        "comments_due_at": time_json(assignment.comments_due_at),
        "min_words": assignment.min_words,
        "required_comments": assignment.required_comments,
        "comment_min_words": assignment.comment_min_words,
        "post_points": assignment.post_points,
        "comment_points": assignment.comment_points,
        "late_penalty_percent": assignment.late_penalty_percent,
        "post_before_viewing": assignment.post_before_viewing,
        "max_points": assignment.max_points,
        "html_url": url_for("blogs.assignment", assignment_id=assignment.id),
    }


def post_json(post: Post, comment_count: int) -> JSON:
    """A post; `comment_count` counts its comments not deleted."""
    return {
        "id": post.id,
        "assignment_id": post.assignment_id,
        "author": user_json(post.author),
        "title": post.title,
        "body": post.body,
        "body_html": post.body_html,
        "topic_ids": [topic.id for topic in post.topics],
        "status": post.status.value,
        "created_at": time_json(post.created_at),
        "published_at": time_json(post.published_at),
        "updated_at": time_json(post.updated_at),
        "word_count": post.word_count,
        "is_late": post.is_late,
        "edited_after_due": post.edited_after_due,
        "comment_count": comment_count,
        "html_url": url_for("blogs.post", post_id=post.id),
    }


def revision_json(revision: PostRevision) -> JSON:
    """An earlier version of a post; `created_at` is when it was replaced."""
    return {
        "id": revision.id,
        "title": revision.title,
        "body": revision.body,
        "body_html": revision.body_html,
        "status": revision.status.value,
        "created_at": time_json(revision.created_at),
    }


def comment_url(comment: Comment) -> str:
    return url_for("blogs.post", post_id=comment.post_id, _anchor=f"comment-{comment.id}")


def comment_json(comment: Comment, post_author_id: int, replies: Sequence[ThreadNode] = ()) -> JSON:
    """A comment with its replies nested; a deleted one keeps its place but not its text."""
    return {
        "id": comment.id,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "author": user_json(comment.author),
        "body": "" if comment.is_deleted else comment.body,
        "body_html": "" if comment.is_deleted else comment.body_html,
        "created_at": time_json(comment.created_at),
        "edited_at": time_json(comment.edited_at),
        "deleted": comment.is_deleted,
        "is_post_author": comment.author_id == post_author_id,
        "replies": [thread_json(node, post_author_id) for node in replies],
        "html_url": comment_url(comment),
    }


def thread_json(node: ThreadNode, post_author_id: int) -> JSON:
    return comment_json(node.comment, post_author_id, node.replies)


def notification_json(notification: Notification) -> JSON:
    comment = notification.comment
    return {
        "id": notification.id,
        "kind": notification.kind.value,
        "comment": {
            "id": comment.id,
            "parent_id": comment.parent_id,
            "author": user_json(comment.author),
            "deleted": comment.is_deleted,
            "html_url": comment_url(comment),
        },
        "post_id": comment.post_id,
        "created_at": time_json(notification.created_at),
        "read": notification.read_at is not None,
    }


def participation_json(credit: Credit) -> JSON:
    """One student's standing in one assignment, as the credit engine computed it."""
    post = credit.post
    return {
        "student": user_json(credit.student),
        "post": None
        if post is None
        else {
            "id": post.id,
            "status": post.status.value,
            "word_count": post.word_count,
            "is_late": post.is_late,
            "qualifies": post.qualifies,
            "html_url": url_for("blogs.post", post_id=post.id),
        },
        "qualifying_comments": credit.qualifying_comments,
        "required_comments": credit.required_comments,
        "post_points_earned": credit.post_points_earned,
        "comment_points_earned": credit.comment_points_earned,
        "total": credit.total,
        "max_points": credit.max_points,
        "override": None
        if credit.override is None
        else {"points": credit.override.points, "reason": credit.override.reason},
    }
