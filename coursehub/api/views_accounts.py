"""API: accounts and tokens."""

from flask import abort, current_app
from flask.typing import ResponseReturnValue

from coursehub.accounts import services
from coursehub.accounts.models import User
from coursehub.api.auth import required_token, unauthorized
from coursehub.api.parsing import parse
from coursehub.api.routing import route
from coursehub.api.schemas import Credentials, NewUser
from coursehub.api.serializers import own_user_json
from coursehub.db import utcnow
from coursehub.extensions import db
from coursehub.security import limit, sign_in_limit


@route("POST", "/users", status=201, body=NewUser, public=True, errors=(404, 409, 429))
@limit("REGISTER")
def register() -> ResponseReturnValue:
    """Create an account (404 when self-registration is off)."""
    if not current_app.config["SELF_REGISTRATION"]:
        abort(404)
    body = parse(NewUser)
    user = services.register_user(
        body.username, body.email, body.password, body.display_name, now=utcnow()
    )
    db.session.commit()
    return own_user_json(user), 201


@route("GET", "/users/me")
def me(user: User) -> ResponseReturnValue:
    """The caller's own account."""
    return own_user_json(user)


@route("POST", "/auth/token", status=201, body=Credentials, public=True, errors=(401, 429))
@sign_in_limit()
def create_token() -> ResponseReturnValue:
    """Exchange a username and password for a bearer token.

    The token is shown only in this answer; only its digest is stored.
    """
    body = parse(Credentials)
    user = services.authenticate(body.username, body.password)
    if user is None:
        unauthorized("That username and password do not match an account.")
    token = services.create_api_token(user, utcnow())
    db.session.commit()
    return {"token": token, "user": own_user_json(user)}, 201


@route("DELETE", "/auth/token", status=204)
def revoke_token(user: User) -> ResponseReturnValue:
    """Revoke the token this request is authenticated with."""
    services.revoke_api_token(required_token())
    db.session.commit()
    return "", 204
