"""Override form."""

from wtforms import FloatField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from coursehub.forms import Form
from coursehub.participation.models import REASON_MAX


class OverrideForm(Form):
    points = FloatField(
        "Points",
        validators=[InputRequired(message="Enter the points as a number."), NumberRange(0)],
    )
    reason = StringField(
        "Reason", validators=[InputRequired(message="Say why."), Length(max=REASON_MAX)],
        description="Shown to staff and kept in the audit log.",
    )  # fmt: skip
