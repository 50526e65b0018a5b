"""Form helpers shared by every feature."""
from flask_wtf import FlaskForm

from coursehub.exceptions import DomainError


class EmptyForm(FlaskForm):
    """Carries only the CSRF token, for buttons that post."""


def add_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or atop the form."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
