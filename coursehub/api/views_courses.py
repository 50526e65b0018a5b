"""API: courses, joining, members, chapters, topics and lecture videos.

Every course-scoped lookup goes through a *_for_member query, so a course the
caller is not in answers 404 exactly like one that does not exist.
"""

from typing import TypeVar

from flask import current_app
from flask.typing import ResponseReturnValue

from coursehub.accounts.models import User
from coursehub.api.auth import require
from coursehub.api.parsing import page_args, parse
from coursehub.api.routing import route
from coursehub.api.schemas import (
    ChapterChanges,
    CourseChanges,
    JoinRequest,
    NewChapter,
    NewCourse,
    NewTopic,
    NewVideo,
    RoleChange,
)
from coursehub.api.serializers import (
    chapter_json,
    course_json,
    member_json,
    page_of,
    topic_json,
    video_json,
)
from coursehub.blogs import queries as blog_queries
from coursehub.courses import queries, services
from coursehub.courses.services import SegmentSpec, TopicSpec
from coursehub.db import utcnow
from coursehub.exceptions import Invalid
from coursehub.extensions import db
from coursehub.permissions import (
    can_create_course,
    can_edit_content,
    can_edit_course,
    can_manage_roles,
    can_see_emails,
)

T = TypeVar("T")

STAFF_ONLY = "Only the course's instructors and teaching assistants can do that."
INSTRUCTORS_ONLY = "Only the course's instructors can do that."


def _keep(new: T | None, current: T) -> T:
    """A partial update's value: what was sent, else what is there."""
    return current if new is None else new


@route("POST", "/courses", status=201, body=NewCourse, errors=(403,))
def create_course(user: User) -> ResponseReturnValue:
    """Create a course; the caller becomes its instructor."""
    require(
        can_create_course(user, current_app.config["COURSE_CREATION"]),
        "On this site only administrators can create courses.",
    )
    body = parse(NewCourse)
    created = services.create_course(user, body.code, body.title, body.description, utcnow())
    db.session.commit()
    course, membership = queries.course_for_member(user, created.id)
    return course_json(course, membership), 201


@route("GET", "/courses", paginated=True)
def list_courses(user: User) -> ResponseReturnValue:
    """The caller's courses, newest first."""
    page = page_args()
    memberships = queries.memberships_of(user, page.offset, page.size)
    return page_of(
        [course_json(m.course, m) for m in memberships], page, queries.membership_count(user)
    )


@route("POST", "/courses/join", status=201, body=JoinRequest, errors=(404, 409))
def join_course(user: User) -> ResponseReturnValue:
    """Join a course as a student with its join code."""
    body = parse(JoinRequest)
    membership = services.join_course(user, body.join_code, utcnow())
    db.session.commit()
    return {
        "course": course_json(membership.course, membership),
        "role": membership.role.value,
    }, 201


@route("GET", "/courses/<id:course_id>")
def get_course(user: User, course_id: int) -> ResponseReturnValue:
    """A course the caller is a member of."""
    course, membership = queries.course_for_member(user, course_id)
    return course_json(course, membership)


@route("PATCH", "/courses/<id:course_id>", body=CourseChanges, errors=(403,))
def update_course(user: User, course_id: int) -> ResponseReturnValue:
    """Change a course's code, title or description (instructors)."""
    course, membership = queries.course_for_member(user, course_id)
    require(can_edit_course(membership), INSTRUCTORS_ONLY)
    body = parse(CourseChanges)
    services.update_course(
        course,
        _keep(body.code, course.code),
        _keep(body.title, course.title),
        _keep(body.description, course.description),
    )
    db.session.commit()
    return course_json(course, membership)


@route("POST", "/courses/<id:course_id>/join-code", errors=(403,))
def regenerate_join_code(user: User, course_id: int) -> ResponseReturnValue:
    """Replace the join code, so the old one admits nobody (instructors); answers the course."""
    course, membership = queries.course_for_member(user, course_id)
    require(can_edit_course(membership), INSTRUCTORS_ONLY)
    services.regenerate_join_code(course)
    db.session.commit()
    return course_json(course, membership)


@route("GET", "/courses/<id:course_id>/members", paginated=True)
def list_members(user: User, course_id: int) -> ResponseReturnValue:
    """The course's members with their roles, staff first; staff also see emails."""
    course, membership = queries.course_for_member(user, course_id)
    page = page_args()
    with_email = can_see_emails(membership)
    members = queries.roster(course.id, page.offset, page.size)
    return page_of(
        [member_json(m, with_email=with_email) for m in members],
        page,
        queries.member_count(course.id),
    )


@route("PUT", "/courses/<id:course_id>/members/<id:user_id>", body=RoleChange, errors=(403,))
def set_role(user: User, course_id: int, user_id: int) -> ResponseReturnValue:
    """Make a member instructor, TA or student (instructors).

    422 when it would leave the course without an instructor.
    """
    course, membership = queries.course_for_member(user, course_id)
    require(can_manage_roles(membership), INSTRUCTORS_ONLY)
    body = parse(RoleChange)
    changed = services.set_role(course, user_id, body.role, user, utcnow())
    db.session.commit()
    return member_json(changed, with_email=can_see_emails(membership))


@route("POST", "/courses/<id:course_id>/chapters", status=201, body=NewChapter, errors=(403, 409))
def create_chapter(user: User, course_id: int) -> ResponseReturnValue:
    """Add a chapter with its topics (staff); 409 when the number is taken."""
    course, membership = queries.course_for_member(user, course_id)
    require(can_edit_content(membership), STAFF_ONLY)
    body = parse(NewChapter)
    chapter = services.create_chapter(
        course,
        body.number,
        body.title,
        body.summary,
        [TopicSpec(topic.name, topic.description) for topic in body.topics],
    )
    db.session.commit()
    return chapter_json(chapter), 201


@route("GET", "/courses/<id:course_id>/chapters", paginated=True)
def list_chapters(user: User, course_id: int) -> ResponseReturnValue:
    """The course's chapters in order of their numbers."""
    course, _ = queries.course_for_member(user, course_id)
    page = page_args()
    chapters = queries.chapters_of(course.id, page.offset, page.size)
    return page_of(
        [chapter_json(chapter) for chapter in chapters], page, queries.chapter_count(course.id)
    )


@route("GET", "/chapters/<id:chapter_id>")
def get_chapter(user: User, chapter_id: int) -> ResponseReturnValue:
    """A chapter with its topics."""
    chapter, _ = queries.chapter_for_member(user, chapter_id)
    return chapter_json(chapter)


@route("PATCH", "/chapters/<id:chapter_id>", body=ChapterChanges, errors=(403, 409))
def update_chapter(user: User, chapter_id: int) -> ResponseReturnValue:
    """Renumber or retitle a chapter (staff); 409 when the number is taken."""
    chapter, membership = queries.chapter_for_member(user, chapter_id)
    require(can_edit_content(membership), STAFF_ONLY)
    body = parse(ChapterChanges)
    services.update_chapter(
        chapter,
        _keep(body.number, chapter.number),
        _keep(body.title, chapter.title),
        _keep(body.summary, chapter.summary),
    )
    db.session.commit()
    return chapter_json(chapter)


@route("POST", "/chapters/<id:chapter_id>/topics", status=201, body=NewTopic, errors=(403,))
def add_topic(user: User, chapter_id: int) -> ResponseReturnValue:
    """Add a topic to a chapter (staff)."""
    chapter, membership = queries.chapter_for_member(user, chapter_id)
    require(can_edit_content(membership), STAFF_ONLY)
    body = parse(NewTopic)
    try:
        topic = services.add_topic(chapter, body.name, body.description)
    except Invalid as error:
        # The service speaks of the chapter form's "topics"; this body calls it "name".
        raise Invalid(error.message, field="name") from None
    db.session.commit()
    return topic_json(topic), 201


@route("POST", "/chapters/<id:chapter_id>/videos", status=201, body=NewVideo, errors=(403,))
def create_video(user: User, chapter_id: int) -> ResponseReturnValue:
    """Add a lecture video with its segments (staff).

    422 for a URL that is not https or names no video, and for a segment that starts
    after the video ends or names a topic of another chapter.
    """
    chapter, membership = queries.chapter_for_member(user, chapter_id)
    require(can_edit_content(membership), STAFF_ONLY)
    body = parse(NewVideo)
    video = services.create_video(
        chapter,
        body.title,
        body.url,
        body.duration_seconds,
        [SegmentSpec(s.start_seconds, s.title, s.topic_id) for s in body.segments],
    )
    db.session.commit()
    return video_json(video), 201


@route("GET", "/chapters/<id:chapter_id>/videos", paginated=True)
def list_videos(user: User, chapter_id: int) -> ResponseReturnValue:
    """The chapter's lecture videos with their segments, oldest first."""
    chapter, _ = queries.chapter_for_member(user, chapter_id)
    page = page_args()
    # chapter_for_member loads a chapter's few videos and segments in one statement each.
    videos = chapter.videos[page.offset : page.offset + page.size]
    return page_of([video_json(video) for video in videos], page, len(chapter.videos))


@route("GET", "/videos/<id:video_id>")
def get_video(user: User, video_id: int) -> ResponseReturnValue:
    """A lecture video with its segments and the posts that cite it."""
    video, membership = queries.video_for_member(user, video_id)
    citations = blog_queries.video_citation_moments(membership, video.id)
    return {
        **video_json(video),
        "citations": [{"post_id": post_id, "seconds": seconds} for post_id, seconds in citations],
    }
