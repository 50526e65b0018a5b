"""Blog forms: assignments, posts, comments, image uploads."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coursehub.blogs.models import (
    BODY_MAX,
    COMMENT_MAX,
    POINTS_MAX,
    PROMPT_MAX,
    WORDS_MAX,
    Assignment,
)
from coursehub.blogs.services import AssignmentSpec
from coursehub.courses.models import TITLE_MAX, Topic
from coursehub.forms import Form, WholeFloatField
from coursehub.urls import row_id


class TopicChoices(SelectMultipleField):
    """Topics as a list of checkboxes, valued by topic id."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs) -> None:
        # The ids must be ints when the submitted values are read, in the constructor.
        super().__init__(*args, coerce=int, **kwargs)

    def set_topics(self, topics: list[Topic]) -> None:
        self.choices = [(topic.id, topic.name) for topic in topics]


def _count(label: str, description: str = "") -> IntegerField:
    return IntegerField(
        label, validators=[InputRequired(), NumberRange(0, WORDS_MAX)], default=0,
        description=description,
    )  # fmt: skip


def _points(label: str) -> WholeFloatField:
    return WholeFloatField(
        label, validators=[InputRequired(), NumberRange(0, POINTS_MAX)], default=0
    )


def _when(label: str, description: str = "") -> DateTimeLocalField:
    return DateTimeLocalField(
        label, format="%Y-%m-%dT%H:%M", validators=[Optional()], description=description
    )


class AssignmentForm(Form):
    title = StringField("Title", validators=[InputRequired(), Length(max=TITLE_MAX)])
    prompt = TextAreaField(
        "Prompt", validators=[Length(max=PROMPT_MAX)],
        description="What students should write about. Markdown works here.",
    )  # fmt: skip
    topics = TopicChoices(
        "Topics students choose from", validators=[Optional()],
        description="Leave all unchecked to let posts go without a topic.",
    )  # fmt: skip
    opens_at = _when("Opens", "Students can post from then on. Empty: open now.")
    due_at = _when("Posts due", "Later posts are marked late.")
    comments_due_at = _when("Comments due", "Later comments earn no credit. Empty: no limit.")
    min_words = _count("Minimum words per post")
    required_comments = _count(
        "Classmates' posts to comment on", "0 means comments are not graded."
    )
    comment_min_words = _count("Minimum words per comment")
    post_points = _points("Points for the post")
    comment_points = _points("Points for the comments")
    late_penalty_percent = WholeFloatField(
        "Late penalty (%)", validators=[Optional(), NumberRange(0, 100)],
        description="Taken off a late post's points. Empty: late posts earn nothing.",
    )  # fmt: skip
    post_before_viewing = BooleanField("Students must publish before they see classmates' posts")

    def spec(self, timezone: str, current: Assignment | None = None) -> AssignmentSpec:
        """The assignment as typed, with times read in the course's time zone. The inputs
        show minutes: a time of `current` left as shown keeps its seconds."""
        zone = ZoneInfo(timezone)

        def aware(name: str) -> datetime | None:
            typed = getattr(self, name).data
            if typed is None:
                return None
            kept = getattr(current, name, None)
            if kept is not None:
                # Compared as the form showed it, wall-clock minutes: an hour the clocks
                # repeat in autumn is not read as its other instance.
                shown = kept.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
                if typed == shown:
                    return kept
            return typed.replace(tzinfo=zone)

        return AssignmentSpec(
            title=self.title.data,
            prompt=self.prompt.data or "",
            topic_ids=tuple(self.topics.data or ()),
            opens_at=aware("opens_at"),
            due_at=aware("due_at"),
            comments_due_at=aware("comments_due_at"),
            min_words=self.min_words.data,
            required_comments=self.required_comments.data,
            comment_min_words=self.comment_min_words.data,
            post_points=self.post_points.data,
            comment_points=self.comment_points.data,
            late_penalty_percent=self.late_penalty_percent.data,
            post_before_viewing=self.post_before_viewing.data,
        )


class PostForm(Form):
    title = StringField("Title", validators=[InputRequired(), Length(max=TITLE_MAX)])
    topics = TopicChoices("Topics your post discusses", validators=[Optional()])
    body = TextAreaField(
        "Your post",
        validators=[InputRequired(), Length(max=BODY_MAX)],
        description="Markdown: **bold**, *italic*, ## headings, [links](https://…), "
        "footnotes[^1] for references, a YouTube or Vimeo link alone on a line "
        "to embed it, [[video:ID@MM:SS]] to cite a lecture moment.",
    )

    def validate_body(self, field: TextAreaField) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Write something before saving.")

    def validate_title(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Give your post a title.")


class CommentForm(Form):
    body = TextAreaField(
        "Comment", validators=[InputRequired(), Length(max=COMMENT_MAX)],
        description="Markdown works here.",
    )  # fmt: skip
    parent_id = HiddenField()

    def validate_body(self, field: TextAreaField) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Write something before posting.")

    def validate_parent_id(self, field: HiddenField) -> None:
        if field.data and row_id(field.data) is None:
            raise ValidationError("You can only reply to a comment of this post.")

    def parent(self) -> int | None:
        """The comment replied to, if the form names one."""
        return row_id(self.parent_id.data)


class UploadForm(Form):
    image = FileField(
        "Image", validators=[FileRequired("Choose an image to upload.")],
        description="PNG, JPEG, GIF or WebP, up to 5 MB.",
    )  # fmt: skip
