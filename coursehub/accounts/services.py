"""Account rules: registration, authentication, passwords and API tokens."""

import hashlib
import secrets
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from coursehub.accounts.models import ApiToken, User
from coursehub.exceptions import Conflict, Invalid
from coursehub.extensions import db


@cache
def _dummy_hash() -> str:
    """Checked against when the username is unknown, so both failures take as long.
    Made on first use: a hash costs a tenth of a second, too much for every start."""
    return generate_password_hash(secrets.token_hex(16))


# Every signed-in request loads its user, by session or by API token, so the statements
# are built once: building one and its cache key on each call (as Session.get does) was
# a third of the lookup's cost.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))
_USER_BY_TOKEN = select(User).join(ApiToken).where(ApiToken.token_hash == bindparam("digest"))


def user_by_id(user_id: int) -> User | None:
    return db.session.scalar(_USER_BY_ID, {"user_id": user_id})


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def register_user(
    username: str, email: str, password: str, display_name: str, now: datetime
) -> User:
    """Create an account. Raises Conflict when the username or email is taken."""
    email = email.strip().lower()
    if user_by_username(username) is not None:
        raise Conflict("That username is taken.", field="username")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with that email already exists.", field="email")
    user = User(
        username=username.strip(),
        email=email,
        display_name=display_name.strip() or username.strip(),
        password_hash=_hash(password),
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user whose credentials these are, or None; unknown and wrong look the same."""
    user = user_by_username(username)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password and end every other session. Raises Invalid on a wrong current one."""
    if not check_password_hash(user.password_hash, current):
        raise Invalid("Your current password is not correct.", field="current_password")
    user.password_hash = _hash(new)
    user.session_version += 1


def create_api_token(user: User, now: datetime) -> str:
    """Issue a bearer token; returns the only copy of its secret."""
    raw = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_digest(raw), created_at=now))
    db.session.flush()
    return raw


def user_for_token(raw: str) -> User | None:
    """The user a bearer token belongs to, or None."""
    return db.session.scalar(_USER_BY_TOKEN, {"digest": _digest(raw)})


def revoke_api_token(raw: str) -> None:
    """Delete the token so it no longer authenticates."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(raw)))
    if token is not None:
        db.session.delete(token)


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
