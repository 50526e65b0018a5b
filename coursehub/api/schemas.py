"""Request bodies: the shape and limits of what clients send, as pydantic models.

Strict types, so "5" is not an integer; unknown fields are ignored, so clients
written against a later version keep working. Rules that need the database or
the clock are the services' (they raise Invalid, Conflict or NotFound).
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from coursehub.accounts.models import (
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    EMAIL_PATTERN,
    PASSWORD_MAX,
    PASSWORD_MIN,
    USERNAME_MAX,
    USERNAME_MIN,
    USERNAME_PATTERN,
)
from coursehub.blogs.models import (
    BODY_MAX,
    COMMENT_MAX,
    POINTS_MAX,
    PROMPT_MAX,
    WORDS_MAX,
    PostStatus,
)
from coursehub.courses.models import (
    CHAPTER_NUMBER_MAX,
    CHAPTER_NUMBER_MIN,
    COURSE_CODE_MAX,
    DESCRIPTION_MAX,
    JOIN_CODE_LENGTH,
    MAX_SEGMENTS,
    MAX_TOPICS,
    SECONDS_MAX,
    TITLE_MAX,
    TOPIC_NAME_MAX,
    URL_MAX,
    Role,
)
from coursehub.participation.models import REASON_MAX
from coursehub.urls import ID_MAX

# Passwords are taken exactly as typed: stripping would lock out "pass " at sign-in.
Password = Annotated[str, StringConstraints(strip_whitespace=False)]

# A row id in a body: what the URLs' id converter admits, so no id overflows a column.
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "This field cannot be empty.")
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError("datetime_range", "This time is out of range.") from None


# Markdown is kept as typed: leading spaces can start a code block.
Markdown = Annotated[str, StringConstraints(strip_whitespace=False)]
MarkdownBody = Annotated[Markdown, AfterValidator(_not_blank)]
# A time without a UTC offset is ambiguous (whose 9 o'clock?), so it is refused.
Time = Annotated[AwareDatetime, AfterValidator(_in_utc)]


class Body(BaseModel):
    # defer_build: a schema is built on first use, not at every start of a worker.
    model_config = ConfigDict(
        strict=True, extra="ignore", str_strip_whitespace=True, defer_build=True
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL cannot store NUL in text; refuse it here rather than fail there.
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("nul_character", "Text cannot contain NUL characters.")
        return value


class Changes(Body):
    """A partial update: a field left out keeps its value. Null is refused rather
    than guessed at (clear it? keep it?)."""

    # After validation, not before: a before-validator hands strict fields a Python
    # value, and strict mode takes a datetime or an enum from JSON text only.
    @field_validator("*", mode="after")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError(
                "null_forbidden", "cannot be null; leave the field out to keep its value"
            )
        return value


class NewUser(Body):
    username: str = Field(
        min_length=USERNAME_MIN,
        max_length=USERNAME_MAX,
        pattern=USERNAME_PATTERN,
        description="Letters, digits, dots, dashes and underscores; "
        "starting with a letter or digit.",
    )
    email: str = Field(
        max_length=EMAIL_MAX,
        pattern=EMAIL_PATTERN,
        description="An email address like name@example.org.",
    )
    password: Password = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)
    display_name: str = Field(
        "", max_length=DISPLAY_NAME_MAX, description="Shown to classmates; the username if empty."
    )


class Credentials(Body):
    username: str = Field(min_length=1, max_length=USERNAME_MAX)
    password: Password = Field(min_length=1, max_length=PASSWORD_MAX)


class NewCourse(Body):
    code: str = Field(min_length=1, max_length=COURSE_CODE_MAX, description="e.g. NEURO 101")
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX)


class CourseChanges(Changes):
    code: str | None = Field(None, min_length=1, max_length=COURSE_CODE_MAX)
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=DESCRIPTION_MAX)


class JoinRequest(Body):
    join_code: str = Field(
        min_length=1,
        max_length=JOIN_CODE_LENGTH + 4,
        description="As the instructor gave it, e.g. K7QX-3M9P; "
        "case, spaces and dashes do not matter.",
    )


class RoleChange(Body):
    role: Role


class NewTopic(Body):
    name: str = Field(min_length=1, max_length=TOPIC_NAME_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX)


class ChapterTopic(NewTopic):
    """A topic given with a new chapter: its name alone, or {name, description}."""

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class NewChapter(Body):
    number: int = Field(ge=CHAPTER_NUMBER_MIN, le=CHAPTER_NUMBER_MAX)
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    summary: str = Field("", max_length=DESCRIPTION_MAX)
    topics: list[ChapterTopic] = Field([], max_length=MAX_TOPICS)


class ChapterChanges(Changes):
    number: int | None = Field(None, ge=CHAPTER_NUMBER_MIN, le=CHAPTER_NUMBER_MAX)
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    summary: str | None = Field(None, max_length=DESCRIPTION_MAX)


class NewSegment(Body):
    start_seconds: int = Field(ge=0, le=SECONDS_MAX)
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    topic_id: int | None = Field(None, ge=1, description="A topic of the video's chapter.")


class NewVideo(Body):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    url: str = Field(
        min_length=1,
        max_length=URL_MAX,
        description="https only: a YouTube or Vimeo link, or a link to a video file.",
    )
    duration_seconds: int | None = Field(None, ge=0, le=SECONDS_MAX)
    segments: list[NewSegment] = Field([], max_length=MAX_SEGMENTS)


# --- blogs ---------------------------------------------------------------------------------

_TIME = "ISO 8601 with a UTC offset, e.g. 2025-03-07T23:59:00+01:00."
_COUNT = Field(0, ge=0, le=WORDS_MAX)
_POINTS = Field(0, ge=0, le=POINTS_MAX)
_CLEARABLE = {"opens_at", "due_at", "comments_due_at", "late_penalty_percent"}


class NewAssignment(Body):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    prompt: Markdown = Field("", max_length=PROMPT_MAX, description="Markdown.")
    topic_ids: list[Id] = Field(
        [],
        max_length=MAX_TOPICS,
        description="Topics of the chapter a post chooses from; none lets posts go without one.",
    )
    opens_at: Time | None = Field(None, description=f"Posting opens; null: now. {_TIME}")
    due_at: Time | None = Field(None, description=f"Later posts are late. {_TIME}")
    comments_due_at: Time | None = Field(
        None, description=f"Later comments earn no credit; null: no limit. {_TIME}"
    )
    min_words: int = _COUNT
    required_comments: int = Field(0, ge=0, le=WORDS_MAX, description="0: comments are not graded.")
    comment_min_words: int = _COUNT
    post_points: float = _POINTS
    comment_points: float = Field(
        0, ge=0, le=POINTS_MAX, description="Must be 0 when required_comments is 0."
    )
    late_penalty_percent: float | None = Field(
        None, ge=0, le=100, description="Taken off a late post's points; null: late posts earn 0."
    )
    post_before_viewing: bool = Field(
        False, description="Students see classmates' posts only after publishing their own."
    )


class AssignmentChanges(Changes):
    """A partial update of an assignment. Null clears a time or the late penalty."""

    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    prompt: Markdown | None = Field(None, max_length=PROMPT_MAX)
    topic_ids: list[Id] | None = Field(None, max_length=MAX_TOPICS)
    opens_at: Time | None = Field(None, description=_TIME)
    due_at: Time | None = Field(None, description=_TIME)
    comments_due_at: Time | None = Field(None, description=_TIME)
    min_words: int | None = Field(None, ge=0, le=WORDS_MAX)
    required_comments: int | None = Field(None, ge=0, le=WORDS_MAX)
    comment_min_words: int | None = Field(None, ge=0, le=WORDS_MAX)
    post_points: float | None = Field(None, ge=0, le=POINTS_MAX)
    comment_points: float | None = Field(None, ge=0, le=POINTS_MAX)
    late_penalty_percent: float | None = Field(None, ge=0, le=100)
    post_before_viewing: bool | None = None

    @field_validator("*", mode="after")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in _CLEARABLE:
            raise PydanticCustomError(
                "null_forbidden", "cannot be null; leave the field out to keep its value"
            )
        return value


class NewPost(Body):
    title: str = Field(min_length=1, max_length=TITLE_MAX, description="Plain text.")
    body: MarkdownBody = Field(min_length=1, max_length=BODY_MAX, description="Markdown.")
    topic_ids: list[Id] = Field(
        [],
        max_length=MAX_TOPICS,
        description="One or more of the assignment's topics, when it offers any.",
    )
    status: PostStatus = Field(
        PostStatus.draft, description="A draft is seen by its author only until published."
    )


class PostChanges(Changes):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    body: MarkdownBody | None = Field(None, min_length=1, max_length=BODY_MAX)
    topic_ids: list[Id] | None = Field(None, max_length=MAX_TOPICS)
    status: PostStatus | None = Field(
        None, description="A draft may be published; a published post stays published."
    )


class NewComment(Body):
    body: MarkdownBody = Field(min_length=1, max_length=COMMENT_MAX, description="Markdown.")
    parent_id: Id | None = Field(None, description="The comment of the same post replied to.")


class CommentChanges(Changes):
    body: MarkdownBody | None = Field(None, min_length=1, max_length=COMMENT_MAX)


class NotificationsRead(Body):
    ids: list[Id] | None = Field(
        None, max_length=1000, description="The notifications to mark read; left out: all."
    )


# --- participation -------------------------------------------------------------------------


class NewOverride(Body):
    """A staff override of one student's participation total in one assignment."""

    points: float = Field(
        ge=0,
        allow_inf_nan=False,
        description="Replaces the computed total: 0 to twice the assignment's max_points.",
    )
    reason: str = Field(
        min_length=1,
        max_length=REASON_MAX,
        description="Why the total is overridden; shown to staff and kept in the audit log.",
    )
