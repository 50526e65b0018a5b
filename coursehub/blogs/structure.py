"""Deleting a course's chapters, topics, videos and assignments, audited.

Each goes only while no student work depends on it: a post and the credit its comments
earn, a citation of a lecture moment, an override. `*_in_use` says what stands in the
way, in words for the edit page, before anyone presses Delete; `delete_*` raises
Conflict with the same words. Nothing here commits.
"""

from datetime import datetime

from sqlalchemy import func, select

from coursehub.accounts.models import User
from coursehub.audit.services import record
from coursehub.blogs.models import Assignment, Post, VideoCitation, post_topics
from coursehub.courses.models import Chapter, LectureVideo, Topic
from coursehub.exceptions import Conflict
from coursehub.extensions import db
from coursehub.participation.models import ParticipationOverride


def topic_in_use(topic: Topic) -> str | None:
    """Posts on the topic (drafts too) keep it; removed posts do not."""
    posts = _count(
        select(func.count())
        .select_from(post_topics)
        .join(Post, Post.id == post_topics.c.post_id)
        .where(post_topics.c.topic_id == topic.id, Post.deleted_at.is_(None))
    )
    if posts:
        on = _plural(posts, "A post is", "posts are")
        return f"{on} on this topic, so it stays. You can rename it instead."
    return None


def delete_topic(topic: Topic, actor: User, now: datetime) -> None:
    """Assignments offering it and video segments on it let it go."""
    _refuse_if(topic_in_use(topic))
    record(actor, topic.chapter.course_id, "topic.delete", topic, now, {"name": topic.name})
    db.session.delete(topic)


def video_in_use(video: LectureVideo) -> str | None:
    """Posts citing a moment of it keep it: their links would lead nowhere."""
    posts = _count(
        select(func.count(func.distinct(VideoCitation.post_id)))
        .join(Post, Post.id == VideoCitation.post_id)
        .where(VideoCitation.video_id == video.id, Post.deleted_at.is_(None))
    )
    if posts:
        cite = _plural(posts, "A post cites", "posts cite")
        return f"{cite} this video, so it stays. You can edit it instead."
    return None


def delete_video(video: LectureVideo, actor: User, now: datetime) -> None:
    """Its segments go with it."""
    _refuse_if(video_in_use(video))
    record(actor, video.chapter.course_id, "video.delete", video, now, {"title": video.title})
    db.session.delete(video)


def assignment_in_use(assignment: Assignment) -> str | None:
    """Any post keeps it, a removed one too: comments on it still earn credit. So does an
    override, which is a grade."""
    posts = _count(select(func.count()).where(Post.assignment_id == assignment.id))
    if posts:
        return f"Students have written {_plural(posts, 'a post', 'posts')} for it, so it stays."
    overrides = _count(
        select(func.count()).where(ParticipationOverride.assignment_id == assignment.id)
    )
    if overrides:
        return "It has participation overrides, so it stays."
    return None


def delete_assignment(assignment: Assignment, actor: User, now: datetime) -> None:
    _refuse_if(assignment_in_use(assignment))
    before = {"title": assignment.title}
    record(actor, assignment.course_id, "assignment.delete", assignment, now, before)
    db.session.delete(assignment)


def chapter_in_use(chapter: Chapter) -> str | None:
    """Its assignments and videos keep it; each can be deleted first. Its topics go with
    it: only its own assignments' posts can be on them."""
    assignments = _count(select(func.count()).where(Assignment.chapter_id == chapter.id))
    videos = _count(select(func.count()).where(LectureVideo.chapter_id == chapter.id))
    held = [
        _plural(assignments, "an assignment", "assignments"),
        _plural(videos, "a lecture video", "lecture videos"),
    ]
    if held := [words for words in held if words]:
        return f"It still has {' and '.join(held)}; delete those first."
    return None


def delete_chapter(chapter: Chapter, actor: User, now: datetime) -> None:
    _refuse_if(chapter_in_use(chapter))
    before = {"title": chapter.heading}
    record(actor, chapter.course_id, "chapter.delete", chapter, now, before)
    for topic in chapter.topics:
        db.session.delete(topic)
    db.session.delete(chapter)


def _refuse_if(reason: str | None) -> None:
    if reason:
        raise Conflict(reason)


def _count(statement) -> int:
    return db.session.scalar(statement) or 0


def _plural(count: int, one: str, many: str) -> str:
    """Nothing for none, `one` for one, else the count and `many`."""
    return "" if not count else one if count == 1 else f"{count} {many}"
