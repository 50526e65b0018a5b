"""Reads for the gradebook's pictures."""

from datetime import date

from sqlalchemy import func, select

from coursehub.blogs.models import PUBLISHED, Assignment, Comment, Post
from coursehub.extensions import db


def activity_by_day(course_id: int) -> list[tuple[date, int, int]]:
    """(day, posts published, comments written) for each day with any, in UTC days."""
    post_day = func.date(Post.published_at)
    comment_day = func.date(Comment.created_at)
    posts = db.session.execute(
        select(post_day, func.count())
        .join(Assignment, Assignment.id == Post.assignment_id)
        .where(
            Assignment.course_id == course_id,
            Post.status == PUBLISHED,
            Post.deleted_at.is_(None),
        )
        .group_by(post_day)
    )
    comments = db.session.execute(
        select(comment_day, func.count())
        .join(Post, Post.id == Comment.post_id)
        .join(Assignment, Assignment.id == Post.assignment_id)
        .where(Assignment.course_id == course_id, Comment.deleted_at.is_(None))
        .group_by(comment_day)
    )
    days: dict[date, list[int]] = {}
    for day, count in posts:
        days.setdefault(_as_date(day), [0, 0])[0] = count
    for day, count in comments:
        days.setdefault(_as_date(day), [0, 0])[1] = count
    return [(day, *counts) for day, counts in sorted(days.items())]


def _as_date(value: date | str) -> date:
    # SQLite's date() answers text; PostgreSQL's a date.
    return value if isinstance(value, date) else date.fromisoformat(value)
