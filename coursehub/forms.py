"""Form helpers shared by every feature."""

from flask_wtf import FlaskForm
from wtforms import FloatField

from coursehub.exceptions import DomainError


class Form(FlaskForm):
    """The base of every form: text loses NUL characters, which nobody types and
    PostgreSQL cannot store; the CSRF field has no id, as pages hold several forms; a
    value that cannot be read ("lots" for a number) says only that."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            unread = list(field.process_errors)
            # Kept by the validators (not cleared by Optional, not replaced by
            # InputRequired): then a range check after it saw no number adds nothing.
            if unread and field.errors[: len(unread)] == unread:
                field.errors = unread
        return valid

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), _strip_nul]
            return unbound_field.bind(form=form, filters=filters, **options)

        def render_field(self, field, render_kw):
            if field.type == "CSRFTokenField":
                render_kw = {**render_kw, "id": False}  # False leaves the attribute out
            return super().render_field(field, render_kw)


class WholeFloatField(FloatField):
    """A number as a teacher writes it: 15 rather than 15.0."""

    def _value(self) -> str:
        if not self.raw_data and isinstance(self.data, float) and self.data.is_integer():
            return str(int(self.data))
        return super()._value()


class EmptyForm(Form):
    """Carries only the CSRF token, for buttons that post."""


def _strip_nul(value: object) -> object:
    return value.replace("\x00", "") if isinstance(value, str) else value


def add_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or atop the form."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
