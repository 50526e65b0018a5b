"""Course rules: creating and joining courses, roles, chapters, topics and videos."""

import re
import secrets
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from coursehub.accounts.models import User
from coursehub.audit.services import record
from coursehub.courses.models import (
    JOIN_CODE_LENGTH,
    SECONDS_MAX,
    Chapter,
    Course,
    LectureVideo,
    Membership,
    Role,
    Segment,
    Topic,
)
from coursehub.courses.queries import membership_of_id
from coursehub.exceptions import Conflict, Invalid, NotFound
from coursehub.extensions import db
from coursehub.rendering import format_timestamp, video_source

TIMEZONES = sorted(zoneinfo.available_timezones())
# What the forms offer: "Area/City" names and UTC, not the names outside an area (W-SU,
# Zulu, localtime); a course already set to one keeps it.
_AREAS = (
    "Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/",
    "Europe/", "Indian/", "Pacific/",
)  # fmt: skip
LISTED_TIMEZONES = ["UTC", *(zone for zone in TIMEZONES if zone.startswith(_AREAS))]

# No 0/O or 1/I/L: join codes are read aloud and copied from slides.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    description: str = ""


@dataclass(frozen=True)
class SegmentSpec:
    start_seconds: int
    title: str
    topic_id: int | None = None


def create_course(
    user: User, code: str, title: str, description: str, now: datetime, timezone: str = "UTC"
) -> Course:
    """Create a course with a fresh join code; its creator becomes its instructor.

    Raises Invalid for a blank code or title or an unknown time zone.
    """
    course = Course(
        timezone=_checked_zone(timezone),
        code=_required(code, "Give the course a code, e.g. NEURO 101.", "code"),
        title=_required(title, "Give the course a title.", "title"),
        description=description.strip(),
        join_code=_new_join_code(),
        created_by_id=user.id,
        created_at=now,
    )
    db.session.add(course)
    db.session.add(Membership(course=course, user=user, role=Role.instructor, created_at=now))
    db.session.flush()
    return course


def update_course(
    course: Course, code: str, title: str, description: str, timezone: str | None = None
) -> None:
    """Change a course's details; a time zone of None keeps the current one. Raises
    Invalid as create_course does."""
    course.code = _required(code, "Give the course a code, e.g. NEURO 101.", "code")
    course.title = _required(title, "Give the course a title.", "title")
    course.description = description.strip()
    if timezone is not None:
        course.timezone = _checked_zone(timezone)


def _required(text: str, message: str, field: str) -> str:
    """`text` without surrounding spaces; Invalid with `message` if nothing is left."""
    if not text.strip():
        raise Invalid(message, field=field)
    return text.strip()


def _checked_zone(timezone: str) -> str:
    if timezone not in TIMEZONES:
        raise Invalid("Choose a time zone from the list, e.g. Europe/Berlin.", field="timezone")
    return timezone


def regenerate_join_code(course: Course) -> str:
    """Replace the join code, so the old one stops admitting anyone."""
    course.join_code = _new_join_code()
    return course.join_code


def join_course(user: User, join_code: str, now: datetime) -> Membership:
    """Enrol `user` as a student of the course with that code.

    Raises NotFound for an unknown code, Conflict when already a member.
    """
    normalized = normalize_join_code(join_code)
    course = db.session.scalar(select(Course).where(Course.join_code == normalized))
    if course is None:
        raise NotFound(
            "No course has that join code. Check it with your instructor.", field="join_code"
        )
    if membership_of_id(user.id, course.id) is not None:
        raise Conflict(f"You are already a member of {course.title}.", field="join_code")
    membership = Membership(course=course, user=user, role=Role.student, created_at=now)
    db.session.add(membership)
    db.session.flush()
    return membership


def set_role(course: Course, user_id: int, role: Role, actor: User, now: datetime) -> Membership:
    """Change a member's role, audited. Raises NotFound for a non-member and Invalid
    when it would leave the course without an instructor."""
    membership = _member(course, user_id)
    if membership.role is Role.instructor and role is not Role.instructor:
        _require_another_instructor(course)
    if membership.role is not role:
        # The member is named by id: the membership may be removed later.
        before = {"user_id": user_id, "role": membership.role.value}
        membership.role = role
        record(actor, course.id, "role.change", membership, now, before, {"role": role.value})
    return membership


def remove_member(course: Course, user_id: int, actor: User, now: datetime) -> User:
    """Take someone out of the course, audited: they lose access to it, and what they
    wrote stays. Raises NotFound and Invalid as set_role does."""
    membership = _member(course, user_id)
    if membership.role is Role.instructor:
        _require_another_instructor(course)
    before = {"user_id": user_id, "role": membership.role.value}
    record(actor, course.id, "member.remove", membership, now, before)
    db.session.delete(membership)
    return membership.user


def _member(course: Course, user_id: int) -> Membership:
    membership = membership_of_id(user_id, course.id)
    if membership is None:
        raise NotFound("That person is not a member of this course.")
    return membership


def _require_another_instructor(course: Course) -> None:
    instructors = db.session.scalar(
        select(func.count()).where(
            Membership.course_id == course.id, Membership.role == Role.instructor
        )
    )
    if instructors == 1:
        raise Invalid(
            "A course needs at least one instructor; appoint another first.", field="role"
        )


def create_chapter(
    course: Course, number: int, title: str, summary: str, topics: list[TopicSpec]
) -> Chapter:
    """Add a chapter and its topics. Raises Conflict when the number is taken, Invalid
    for a blank title."""
    _check_chapter_number(course.id, number, None)
    title = _required(title, "Give the chapter a title.", "title")
    chapter = Chapter(course=course, number=number, title=title, summary=summary.strip())
    db.session.add(chapter)
    for spec in topics:
        add_topic(chapter, spec.name, spec.description)
    db.session.flush()
    return chapter


def update_chapter(chapter: Chapter, number: int, title: str, summary: str) -> None:
    """Renumber or retitle a chapter. Raises as create_chapter does."""
    _check_chapter_number(chapter.course_id, number, chapter.id)
    title = _required(title, "Give the chapter a title.", "title")
    chapter.number, chapter.title, chapter.summary = number, title, summary.strip()


def add_topic(chapter: Chapter, name: str, description: str = "") -> Topic:
    """Add a topic. Raises Invalid when the chapter has one of that name already."""
    name = name.strip()
    slug = _topic_slug(chapter, name, "topics")
    topic = Topic(name=name, slug=slug, description=description.strip())
    chapter.topics.append(topic)
    return topic


def update_topic(topic: Topic, name: str, description: str = "") -> None:
    """Rename or describe a topic: its posts, assignments and segments follow. Raises
    Invalid as add_topic does."""
    name = name.strip()
    topic.slug = _topic_slug(topic.chapter, name, "name", renaming=topic)
    topic.name, topic.description = name, description.strip()


def _topic_slug(chapter: Chapter, name: str, field: str, renaming: Topic | None = None) -> str:
    slug = slugify(name)
    if not slug:
        raise Invalid("A topic name needs at least one letter or digit.", field=field)
    if any(topic.slug == slug and topic is not renaming for topic in chapter.topics):
        raise Invalid(f"This chapter already has a topic called “{name}”.", field=field)
    return slug


def create_video(
    chapter: Chapter,
    title: str,
    url: str,
    duration_seconds: int | None,
    segments: list[SegmentSpec],
) -> LectureVideo:
    """Add a lecture video with its segments.

    Raises Invalid for an empty title, a URL that is not https or names no video, a
    segment past the end of the video, or a segment topic from another chapter.
    """
    _check_video(chapter, title, url, duration_seconds, segments)
    video = LectureVideo(chapter=chapter)
    _apply_video(video, title, url, duration_seconds, segments)
    db.session.add(video)
    db.session.flush()
    return video


def update_video(
    video: LectureVideo,
    title: str,
    url: str,
    duration_seconds: int | None,
    segments: list[SegmentSpec],
    cited_until: int | None = None,
) -> LectureVideo:
    """Change a lecture video and replace its segments; raises Invalid as create_video
    does, and for a length that ends before `cited_until`, the latest moment a post
    cites. Posts that cite a moment of it keep their links."""
    _check_video(video.chapter, title, url, duration_seconds, segments)
    # A moment past any length a video may have holds nothing back.
    held = cited_until if cited_until is not None and cited_until <= SECONDS_MAX else None
    if duration_seconds is not None and held is not None and duration_seconds < held:
        raise Invalid(
            f"A post cites {format_timestamp(held)} of this video, so its length must be "
            "at least that.",
            field="duration_seconds",
        )
    _apply_video(video, title, url, duration_seconds, segments)
    db.session.flush()
    return video


def _check_video(
    chapter: Chapter,
    title: str,
    url: str,
    duration_seconds: int | None,
    segments: list[SegmentSpec],
) -> None:
    _required(title, "Give the video a title.", "title")
    try:
        video_source(url)
    except ValueError as error:
        raise Invalid(str(error), field="url") from None
    if duration_seconds is not None and not 0 <= duration_seconds <= SECONDS_MAX:
        raise Invalid("The length must be between 0 and 100 hours.", field="duration_seconds")
    topic_ids = {topic.id for topic in chapter.topics}
    starts: dict[int, str] = {}
    for spec in segments:
        if spec.start_seconds in starts:
            raise Invalid(
                f"“{starts[spec.start_seconds]}” and “{spec.title}” both start at "
                f"{format_timestamp(spec.start_seconds)}.",
                field="segments",
            )
        starts[spec.start_seconds] = spec.title
        if spec.start_seconds < 0:
            raise Invalid(f"“{spec.title}” cannot start before the video does.", field="segments")
        if spec.start_seconds > (SECONDS_MAX if duration_seconds is None else duration_seconds):
            raise Invalid(f"“{spec.title}” starts after the video ends.", field="segments")
        if spec.topic_id is not None and spec.topic_id not in topic_ids:
            raise Invalid(
                f"“{spec.title}” names a topic that is not in this chapter.", field="segments"
            )


def _apply_video(
    video: LectureVideo,
    title: str,
    url: str,
    duration_seconds: int | None,
    segments: list[SegmentSpec],
) -> None:
    video.title, video.url, video.duration_seconds = title.strip(), url.strip(), duration_seconds
    video.segments = [
        Segment(start_seconds=spec.start_seconds, title=spec.title.strip(), topic_id=spec.topic_id)
        for spec in segments
    ]


def normalize_join_code(join_code: str) -> str:
    return re.sub(r"[\s-]", "", join_code).upper()


def slugify(name: str) -> str:
    """A URL-friendly key that keeps letters of every script: "Neurons & Glia" -> "neurons-glia"."""
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", name).casefold()).strip("-")


def _new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalar(select(Course.id).where(Course.join_code == code)) is None:
            return code


def _check_chapter_number(course_id: int, number: int, chapter_id: int | None) -> None:
    taken = db.session.scalar(
        select(Chapter.id).where(Chapter.course_id == course_id, Chapter.number == number)
    )
    if taken is not None and taken != chapter_id:
        raise Conflict(f"This course already has a chapter {number}.", field="number")
