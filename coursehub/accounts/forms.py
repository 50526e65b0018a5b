"""Account forms."""

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

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
from coursehub.forms import Form

_new_password = [
    InputRequired(),
    Length(
        PASSWORD_MIN,
        PASSWORD_MAX,
        message=f"Use at least {PASSWORD_MIN} characters, and at most {PASSWORD_MAX}.",
    ),
]


class RegisterForm(Form):
    username = StringField(
        "Username",
        validators=[
            InputRequired(),
            Length(USERNAME_MIN, USERNAME_MAX),
            Regexp(USERNAME_PATTERN, message="Use letters, digits, dots, dashes and underscores."),
        ],
        description="Letters, digits, dots, dashes and underscores.",
    )
    display_name = StringField(
        "Name shown to classmates", validators=[InputRequired(), Length(max=DISPLAY_NAME_MAX)]
    )
    email = EmailField(
        "Email",
        validators=[
            InputRequired(),
            Length(max=EMAIL_MAX),
            Regexp(EMAIL_PATTERN, message="Enter an email address like name@example.org."),
        ],
    )
    password = PasswordField(
        "Password", validators=_new_password, description=f"At least {PASSWORD_MIN} characters."
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[InputRequired(), EqualTo("password", message="The passwords do not match.")],
    )


class LoginForm(Form):
    username = StringField("Username", validators=[InputRequired(), Length(max=USERNAME_MAX)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=PASSWORD_MAX)])


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password", validators=[InputRequired(), Length(max=PASSWORD_MAX)]
    )
    new_password = PasswordField(
        "New password", validators=_new_password, description=f"At least {PASSWORD_MIN} characters."
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[
            InputRequired(),
            EqualTo("new_password", message="The passwords do not match."),
        ],
    )
