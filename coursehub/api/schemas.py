"""Request bodies: the shape and limits of what clients send, as pydantic models.

Strict types, so "5" is not an integer; unknown fields are ignored, so clients
written against a later version keep working. Rules that need the database or
the clock are the services' (they raise Invalid, Conflict or NotFound).
"""

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
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

# Passwords are taken exactly as typed: stripping would lock out "pass " at sign-in.
Password = Annotated[str, StringConstraints(strip_whitespace=False)]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", str_strip_whitespace=True)

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

    @field_validator("*", mode="before")
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
