"""Override form."""

from wtforms import StringField
from wtforms.validators import InputRequired, Length

from coursehub.forms import Form, WholeFloatField
from coursehub.participation.models import REASON_MAX

NOT_A_NUMBER = "Enter the points as a number."


class PointsField(WholeFloatField):
    """Points, with a plain message for what is not a number."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(NOT_A_NUMBER) from error


class OverrideForm(Form):
    points = PointsField(
        "Points",
        validators=[InputRequired(message=NOT_A_NUMBER)],  # the range is the service's
    )
    reason = StringField(
        "Reason", validators=[InputRequired(message="Say why."), Length(max=REASON_MAX)],
        description="Shown to staff and kept in the audit log.",
    )  # fmt: skip
