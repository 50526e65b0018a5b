"""Account pages: register, sign in, sign out, change password."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from coursehub.accounts import services
from coursehub.accounts.forms import ChangePasswordForm, LoginForm, RegisterForm
from coursehub.accounts.models import User
from coursehub.db import utcnow
from coursehub.exceptions import DomainError
from coursehub.extensions import db, login_manager
from coursehub.forms import EmptyForm, add_error
from coursehub.security import limit, sign_in_limit

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = services.user_by_id(int(user_id))
    if user is None or str(user.session_version) != version:
        return None
    return user


@bp.route("/register", methods=["GET", "POST"])
@limit("REGISTER")
def register():
    if not current_app.config["SELF_REGISTRATION"]:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("courses.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                form.username.data,
                form.email.data,
                form.password.data,
                form.display_name.data,
                now=utcnow(),
            )
        except DomainError as error:
            add_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome to CourseHub, {user.display_name}.", "success")
            return redirect(url_for("courses.index"))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limit()
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next() or url_for("courses.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next() or url_for("courses.index"))
        form.password.errors.append("That username and password do not match an account.")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except DomainError as error:
            add_error(form, error)
        else:
            db.session.commit()
            login_user(current_user)  # the old session id is void; carry on with the new one
            flash("Your password is changed. Other sessions are signed out.", "success")
            return redirect(url_for("courses.index"))
    return render_template("accounts/password.html", form=form)


def _safe_next() -> str | None:
    """The `next` target when it stays on this site, else None."""
    target = request.args.get("next", "")
    parts = urlsplit(target.replace("\\", "/"))
    if not target.startswith("/") or parts.scheme or parts.netloc:
        return None
    return target
