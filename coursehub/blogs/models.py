"""Blog assignments, student posts, threaded comments, citations, images, notifications."""

import enum
from datetime import datetime

from sqlalchemy import (
    Column,
    ColumnElement,
    Enum,
    Exists,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    exists,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from coursehub.accounts.models import User
from coursehub.courses.models import TITLE_MAX, Chapter, LectureVideo, Topic
from coursehub.db import utcnow
from coursehub.extensions import db

BODY_MAX = 100_000
COMMENT_MAX = 20_000
PROMPT_MAX = 50_000
# A comment thread shows replies this deep; deeper replies attach at this level.
MAX_DEPTH = 5
POINTS_MAX = 1000
WORDS_MAX = 100_000

assignment_topics = Table(
    "assignment_topics",
    db.metadata,
    Column("assignment_id", ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True),
)

post_topics = Table(
    "post_topics",
    db.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PostStatus(enum.StrEnum):
    draft = "draft"
    published = "published"


class Assignment(db.Model):
    """A blog topic set in a chapter, with its deadlines and credit rules."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapters.id", ondelete="CASCADE"), index=True
    )
    # The chapter's course, kept here because every access check starts from it;
    # a chapter never moves between courses.
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    prompt: Mapped[str] = mapped_column(Text, default="")
    prompt_html: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    comments_due_at: Mapped[datetime | None]
    min_words: Mapped[int] = mapped_column(default=0)
    required_comments: Mapped[int] = mapped_column(default=0)
    comment_min_words: Mapped[int] = mapped_column(default=0)
    post_points: Mapped[float] = mapped_column(default=0)
    comment_points: Mapped[float] = mapped_column(default=0)
    # None: late posts earn nothing.
    late_penalty_percent: Mapped[float | None]
    post_before_viewing: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    chapter: Mapped[Chapter] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=assignment_topics, order_by=Topic.id)

    @property
    def max_points(self) -> float:
        return self.post_points + self.comment_points


class Post(db.Model):
    """A student's blog post for an assignment: one per student per assignment."""

    __tablename__ = "posts"
    __table_args__ = (
        # One live post per student and assignment; a removed one stays beside it.
        Index(
            "uq_posts_live_author",
            "assignment_id",
            "author_id",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),  # fmt: skip
        # An assignment's published posts in reading order: a page of the list reads
        # only the rows it shows, where a sort would read every post of the assignment.
        Index(
            "ix_posts_published",
            "assignment_id",
            "published_at",
            "id",
            sqlite_where=text("status = 'published' AND deleted_at IS NULL"),
            postgresql_where=text("status = 'published' AND deleted_at IS NULL"),
        ),  # fmt: skip
        # Covers participation credit, so it never reads the (large) post rows. The id is
        # SQLite's rowid, in every index already; PostgreSQL needs it named to scan only
        # the index.
        Index(
            "ix_posts_credit",
            "assignment_id",
            "author_id",
            "status",
            "word_count",
            "published_at",
            "deleted_at",
            "id",
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[PostStatus] = mapped_column(Enum(PostStatus, native_enum=False, length=20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Replaced by a random value at every change to the post's comments: the cached
    # rendered thread is good only for the version it was rendered at.
    thread_version: Mapped[int] = mapped_column(default=0, server_default="0")

    assignment: Mapped[Assignment] = relationship()
    author: Mapped[User] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=post_topics, order_by=Topic.id)

    @property
    def is_published(self) -> bool:
        return self.status is PostStatus.published and self.deleted_at is None

    @property
    def is_late(self) -> bool:
        due = self.assignment.due_at
        return due is not None and self.published_at is not None and self.published_at > due

    @property
    def edited_after_due(self) -> bool:
        """Changed after the deadline: credit uses this text, so staff are told."""
        due = self.assignment.due_at
        return (
            due is not None
            and self.published_at is not None
            and self.published_at <= due < self.updated_at
        )


# "Published" in SQL, written into the statement rather than bound: SQLite prepares a
# statement again on every run when a bound value decides whether a partial index may
# serve it (ix_posts_published), which was most of the post page's lookup (0.14 of 0.16 ms).
PUBLISHED = literal(PostStatus.published, Post.status.type, literal_execute=True)


def published_post_exists(
    user_id: int | ColumnElement[int], assignment_id: int | ColumnElement[int]
) -> Exists:
    """Whether the user has a published, not removed post in the assignment: what
    post-before-viewing asks. Given `Post.assignment_id`, it is asked of the statement's
    post. Selecting the id keeps it to ix_posts_credit."""
    own = aliased(Post)
    return exists(
        select(own.id).where(
            own.assignment_id == assignment_id,
            own.author_id == user_id,
            own.status == PUBLISHED,
            own.deleted_at.is_(None),
        )
    )


class PostRevision(db.Model):
    """An earlier version of a post, kept whenever its author changes it."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[PostStatus] = mapped_column(Enum(PostStatus, native_enum=False, length=20))
    # When this version was replaced.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(db.Model):
    """A comment on a post, or a reply to another comment of the same post."""

    __tablename__ = "comments"
    # A post's thread in order; also covers counting qualifying comments.
    __table_args__ = (
        Index(
            "ix_comments_post_thread",
            "post_id",
            "created_at",
            "author_id",
            "word_count",
            "deleted_at",
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    # 1 for a top-level comment; never more than MAX_DEPTH.
    depth: Mapped[int] = mapped_column(default=1)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    post: Mapped[Post] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentRevision(db.Model):
    """An earlier version of a comment, kept whenever its author edits it."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VideoCitation(db.Model):
    """A post's `[[video:ID@MM:SS]]` reference to a moment of a lecture video."""

    __tablename__ = "video_citations"
    # A video's citations by moment: a page of them reads the rows it shows, where a sort
    # would read every citation of the video.
    __table_args__ = (Index("ix_video_citations_moment", "video_id", "seconds", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("lecture_videos.id", ondelete="CASCADE"))
    seconds: Mapped[int]

    post: Mapped[Post] = relationship()
    video: Mapped[LectureVideo] = relationship()


class Upload(db.Model):
    """An image a member uploaded, stored in the instance folder under `filename`."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationKind(enum.StrEnum):
    comment = "comment"  # someone commented on your post
    reply = "reply"  # someone replied to your comment


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        Enum(NotificationKind, native_enum=False, length=20)
    )
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    comment: Mapped[Comment] = relationship()
