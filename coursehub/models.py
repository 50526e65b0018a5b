"""Every model, imported in one place so the metadata is complete for Alembic."""

from coursehub.accounts.models import ApiToken, User
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

__all__ = [
    "ApiToken", "Assignment", "Chapter", "Comment", "CommentRevision", "Course",
    "LectureVideo", "Membership", "Notification", "Post", "PostRevision", "Segment", "Topic",
    "Upload", "User", "VideoCitation",
]  # fmt: skip
