"""Models as the API's JSON resources (shared/API.md), each with its page's html_url."""

from collections.abc import Sequence
from typing import Any

from flask import url_for

from coursehub.accounts.models import User
from coursehub.api.parsing import Page
from coursehub.courses.models import Chapter, Course, LectureVideo, Membership, Segment, Topic
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
