"""Every model, imported in one place so the metadata is complete for Alembic."""

from coursehub.accounts.models import ApiToken, User
from coursehub.courses.models import Chapter, Course, LectureVideo, Membership, Segment, Topic

__all__ = [
    "ApiToken",
    "Chapter",
    "Course",
    "LectureVideo",
    "Membership",
    "Segment",
    "Topic",
    "User",
]
