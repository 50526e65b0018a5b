"""Courses, memberships, chapters, topics and lecture videos."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from coursehub.accounts.models import User
from coursehub.db import utcnow
from coursehub.extensions import db

COURSE_CODE_MAX = 32
TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
TOPIC_NAME_MAX = 80
URL_MAX = 2000
JOIN_CODE_LENGTH = 8
CHAPTER_NUMBER_MIN, CHAPTER_NUMBER_MAX = 0, 999
MAX_TOPICS = 30
MAX_SEGMENTS = 200
# No lecture runs 100 hours; the bound also keeps times inside an INTEGER column.
SECONDS_MAX = 100 * 3600


class Role(enum.StrEnum):
    instructor = "instructor"
    ta = "ta"
    student = "student"

    @property
    def label(self) -> str:
        return {"instructor": "Instructor", "ta": "Teaching assistant", "student": "Student"}[self]

    @property
    def a_label(self) -> str:
        """The label after "is now": "a teaching assistant"."""
        return {
            "instructor": "an instructor",
            "ta": "a teaching assistant",
            "student": "a student",
        }[self]

    @property
    def is_staff(self) -> bool:
        return self is not Role.student


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(COURSE_CODE_MAX))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    join_code: Mapped[str] = mapped_column(String(JOIN_CODE_LENGTH), unique=True)
    # Deadlines are entered in this zone (an IANA name); pages also show the viewer's own.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: WriteOnlyMapped["Membership"] = relationship(back_populates="course")
    chapters: Mapped[list["Chapter"]] = relationship(
        back_populates="course", order_by="Chapter.number"
    )


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Chapter(db.Model):
    __tablename__ = "chapters"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(Text, default="")

    course: Mapped[Course] = relationship(back_populates="chapters")
    topics: Mapped[list["Topic"]] = relationship(back_populates="chapter", order_by="Topic.id")
    videos: Mapped[list["LectureVideo"]] = relationship(
        back_populates="chapter", order_by="LectureVideo.id"
    )

    @property
    def heading(self) -> str:
        return f"Chapter {self.number}: {self.title}"


class Topic(db.Model):
    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("chapter_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(TOPIC_NAME_MAX))
    slug: Mapped[str] = mapped_column(String(TOPIC_NAME_MAX))
    description: Mapped[str] = mapped_column(Text, default="")

    chapter: Mapped[Chapter] = relationship(back_populates="topics")


class LectureVideo(db.Model):
    __tablename__ = "lecture_videos"

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapters.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    url: Mapped[str] = mapped_column(String(URL_MAX))
    duration_seconds: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    chapter: Mapped[Chapter] = relationship(back_populates="videos")
    # Editing a video replaces its segments: the ones left out are deleted.
    segments: Mapped[list["Segment"]] = relationship(
        back_populates="video", order_by="Segment.start_seconds", cascade="all, delete-orphan"
    )


class Segment(db.Model):
    """A titled stretch of a lecture video, starting at `start_seconds`."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(
        ForeignKey("lecture_videos.id", ondelete="CASCADE"), index=True
    )
    start_seconds: Mapped[int]
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL"), index=True
    )

    video: Mapped[LectureVideo] = relationship(back_populates="segments")
    topic: Mapped[Topic | None] = relationship()
