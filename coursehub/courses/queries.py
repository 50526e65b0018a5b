"""Loading what course pages and API answers show, in a fixed number of statements."""

from flask import abort
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from coursehub.accounts.models import User
from coursehub.courses.models import Chapter, Course, LectureVideo, Membership, Role, Segment
from coursehub.extensions import db


def membership_of_id(user_id: int, course_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.course_id == course_id)
    )


def course_for_member(user: User, course_id: int) -> tuple[Course, Membership]:
    """The course and the user's membership; 404 when either is missing, so a
    non-member cannot tell a hidden course from one that does not exist."""
    row = db.session.execute(
        select(Course, Membership)
        .join(Membership, Membership.course_id == Course.id)
        .where(Course.id == course_id, Membership.user_id == user.id)
    ).first()
    if row is None:
        abort(404)
    return row.Course, row.Membership


def chapter_for_member(user: User, chapter_id: int) -> tuple[Chapter, Membership]:
    """A chapter with its topics and videos, and the user's membership (404 otherwise)."""
    row = db.session.execute(
        select(Chapter, Membership)
        .join(Membership, Membership.course_id == Chapter.course_id)
        .where(Chapter.id == chapter_id, Membership.user_id == user.id)
        .options(
            joinedload(Chapter.course),
            selectinload(Chapter.topics),
            selectinload(Chapter.videos).selectinload(LectureVideo.segments),
        )
    ).first()
    if row is None:
        abort(404)
    return row.Chapter, row.Membership


def video_for_member(user: User, video_id: int) -> tuple[LectureVideo, Membership]:
    """A video with its chapter, course and segments, and the user's membership (404 otherwise)."""
    row = db.session.execute(
        select(LectureVideo, Membership)
        .join(Chapter, Chapter.id == LectureVideo.chapter_id)
        .join(Membership, Membership.course_id == Chapter.course_id)
        .where(LectureVideo.id == video_id, Membership.user_id == user.id)
        .options(
            joinedload(LectureVideo.chapter).joinedload(Chapter.course),
            selectinload(LectureVideo.segments).joinedload(Segment.topic),
        )
    ).first()
    if row is None:
        abort(404)
    return row.LectureVideo, row.Membership


def roster(course_id: int, offset: int = 0, limit: int | None = None) -> list[Membership]:
    """Members with their users: staff first, then by name."""
    role_order = case({Role.instructor: 0, Role.ta: 1}, value=Membership.role, else_=2)
    query = (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.course_id == course_id)
        .options(joinedload(Membership.user))
        .order_by(
            role_order,
            func.lower(User.display_name),
            User.id,
        )
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def member_count(course_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership).where(Membership.course_id == course_id)
    )


def memberships_of(user: User, offset: int = 0, limit: int | None = None) -> list[Membership]:
    """The user's memberships with their courses, newest course first."""
    query = (
        select(Membership)
        .join(Course, Course.id == Membership.course_id)
        .where(Membership.user_id == user.id)
        .options(joinedload(Membership.course))
        .order_by(Course.created_at.desc(), Course.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def membership_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership).where(Membership.user_id == user.id)
    )


def chapters_of(course_id: int, offset: int = 0, limit: int | None = None) -> list[Chapter]:
    """A course's chapters in order, with their topics and videos."""
    query = (
        select(Chapter)
        .where(Chapter.course_id == course_id)
        .options(selectinload(Chapter.topics), selectinload(Chapter.videos))
        .order_by(Chapter.number)
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def chapter_count(course_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Chapter).where(Chapter.course_id == course_id)
    )


def next_chapter_number(course_id: int) -> int:
    """One past the course's highest chapter number: what a new chapter most likely is."""
    last = db.session.scalar(select(func.max(Chapter.number)).where(Chapter.course_id == course_id))
    return (last or 0) + 1
