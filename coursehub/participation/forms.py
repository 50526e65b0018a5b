"""Override form."""

from wtforms import FloatField, StringField
from wtforms.validators import InputRequired, Length

from coursehub.forms import Form
from coursehub.participation.models import REASON_MAX

NOT_A_NUMBER = "Enter the points as a number."


class PointsField(FloatField):
    """Points as a teacher writes them: 15 rather than 15.0, and a plain message for what
    is not a number."""

    def _value(self) -> str:
        if not self.raw_data and isinstance(self.data, float) and self.data.is_integer():
            return str(int(self.data))
        return super()._value()

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
