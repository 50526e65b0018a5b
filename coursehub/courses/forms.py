"""Course forms. Shape only; rules that need the database live in services."""

import re

from wtforms import IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from coursehub.courses.models import (
    CHAPTER_NUMBER_MAX,
    CHAPTER_NUMBER_MIN,
    COURSE_CODE_MAX,
    DESCRIPTION_MAX,
    JOIN_CODE_LENGTH,
    MAX_SEGMENTS,
    MAX_TOPICS,
    TITLE_MAX,
    TOPIC_NAME_MAX,
    URL_MAX,
    LectureVideo,
    Role,
)
from coursehub.courses.services import LISTED_TIMEZONES, SegmentSpec
from coursehub.forms import Form
from coursehub.rendering import format_timestamp

_SEGMENT_LINE = re.compile(r"^(\S+)\s+(.+?)(?:\s*\[([^\]]+)\])?$")


class CourseForm(Form):
    code = StringField(
        "Course code",
        validators=[InputRequired(), Length(max=COURSE_CODE_MAX)],
        description="As in the timetable, e.g. NEURO 101.",
    )
    title = StringField("Title", validators=[InputRequired(), Length(max=TITLE_MAX)])
    description = TextAreaField("Description", validators=[Length(max=DESCRIPTION_MAX)])
    timezone = SelectField(
        "Time zone",
        default="UTC",
        description="Deadlines are entered in this zone; everyone sees them in their own.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        listed = LISTED_TIMEZONES
        if self.timezone.object_data not in (None, *listed):
            listed = [self.timezone.object_data, *listed]  # set through the API: kept
        self.timezone.choices = [SelectChoice(zone, zone) for zone in listed]


class JoinForm(Form):
    join_code = StringField(
        "Join code",
        validators=[InputRequired(), Length(max=JOIN_CODE_LENGTH + 4)],
        description="Your instructor gives you this code, e.g. K7QX3M9P.",
    )


class RoleForm(Form):
    role = SelectField("Role", choices=[SelectChoice(role.value, role.label) for role in Role])


class ChapterForm(Form):
    number = IntegerField(
        "Number", validators=[InputRequired(), NumberRange(CHAPTER_NUMBER_MIN, CHAPTER_NUMBER_MAX)]
    )
    title = StringField("Title", validators=[InputRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField("Summary", validators=[Length(max=DESCRIPTION_MAX)])


class NewChapterForm(ChapterForm):
    topics = TextAreaField(
        "Topics",
        description="One topic per line, e.g. Structures.",
        validators=[Length(max=MAX_TOPICS * (TOPIC_NAME_MAX + 2))],
    )

    def topic_names(self) -> list[str]:
        return _lines(self.topics.data)

    def validate_topics(self, field: TextAreaField) -> None:
        names = _lines(field.data)
        if len(names) > MAX_TOPICS:
            raise ValidationError(f"A chapter can have at most {MAX_TOPICS} topics.")
        for name in names:
            if len(name) > TOPIC_NAME_MAX:
                raise ValidationError(f"“{name[:30]}…” is longer than {TOPIC_NAME_MAX} characters.")


class TopicForm(Form):
    name = StringField("Topic name", validators=[InputRequired(), Length(max=TOPIC_NAME_MAX)])
    description = TextAreaField("Description", validators=[Length(max=DESCRIPTION_MAX)])


class VideoForm(Form):
    title = StringField("Title", validators=[InputRequired(), Length(max=TITLE_MAX)])
    url = URLField(
        "Video link",
        validators=[InputRequired(), Length(max=URL_MAX)],
        description="A YouTube or Vimeo link, or an https link to a video file.",
    )
    duration = StringField(
        "Length", validators=[Optional(), Length(max=10)], description="MM:SS or H:MM:SS; optional."
    )
    segments = TextAreaField(
        "Segments",
        validators=[Length(max=MAX_SEGMENTS * 120)],
        description="One per line: start time, title, and optionally a topic in brackets, "
        "e.g. 12:30 The synapse [Connections].",
    )

    @staticmethod
    def data_of(video: LectureVideo) -> dict[str, str]:
        """The form's fields as the video has them, to edit it."""
        lines = [
            f"{format_timestamp(segment.start_seconds)} {segment.title}"
            + (f" [{segment.topic.name}]" if segment.topic else "")
            for segment in video.segments
        ]
        duration = video.duration_seconds
        return {
            "title": video.title,
            "url": video.url,
            "duration": "" if duration is None else format_timestamp(duration),
            "segments": "\n".join(lines),
        }

    def duration_seconds(self) -> int | None:
        return parse_timestamp(self.duration.data) if self.duration.data else None

    def validate_duration(self, field: StringField) -> None:
        if field.data and parse_timestamp(field.data) is None:
            raise ValidationError("Write the length as MM:SS or H:MM:SS, e.g. 48:10.")

    def validate_segments(self, field: TextAreaField) -> None:
        lines = _lines(field.data)
        if len(lines) > MAX_SEGMENTS:
            raise ValidationError(f"A video can have at most {MAX_SEGMENTS} segments.")
        for number, line in enumerate(lines, 1):
            segment = parse_segment(line)
            if segment is None:
                raise ValidationError(
                    f"Line {number} should look like “12:30 The synapse”: a time, then a title."
                )
            if len(segment[1]) > TITLE_MAX:
                raise ValidationError(f"Line {number}: the title is over {TITLE_MAX} characters.")

    def segment_specs(self, topic_ids_by_name: dict[str, int]) -> list[SegmentSpec]:
        """The segments typed, with bracketed topic names resolved to ids.

        Raises ValidationError for a topic the chapter does not have.
        """
        specs = []
        for start, title, topic in filter(None, map(parse_segment, _lines(self.segments.data))):
            topic_id = topic_ids_by_name.get(topic.casefold()) if topic else None
            if topic and topic_id is None:
                raise ValidationError(f"This chapter has no topic called “{topic}”.")
            specs.append(SegmentSpec(start, title, topic_id))
        return specs


def parse_segment(line: str) -> tuple[int, str, str | None] | None:
    """(start seconds, title, topic name or None) from "12:30 Title [Topic]", else None."""
    match = _SEGMENT_LINE.match(line.strip())
    start = parse_timestamp(match[1]) if match else None
    if start is None:
        return None
    return start, match[2], match[3].strip() if match[3] else None


def parse_timestamp(text: str) -> int | None:
    """Seconds in "MM:SS" or "H:MM:SS", or None when it is neither."""
    match = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match[3]) > 59 or (match[1] and int(match[2]) > 59):
        return None
    return int(match[1] or 0) * 3600 + int(match[2]) * 60 + int(match[3])


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
