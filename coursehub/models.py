"""Every model, imported in one place so the metadata is complete for Alembic."""

from coursehub.accounts.models import ApiToken, User
from coursehub.audit.models import AuditEvent
from coursehub.blogs.models import (
    Assignment,
    Comment,
    CommentRevision,
    Notification,
    Post,
    PostRevision,
    Upload,
    VideoCitation,
)
from coursehub.courses.models import Chapter, Course, LectureVideo, Membership, Segment, Topic
from coursehub.participation.models import ParticipationOverride

__all__ = [
    "ApiToken", "Assignment", "AuditEvent", "Chapter", "Comment", "CommentRevision", "Course",
    "LectureVideo", "Membership", "Notification", "ParticipationOverride", "Post",
    "PostRevision", "Segment", "Topic", "Upload", "User", "VideoCitation",
]  # fmt: skip
