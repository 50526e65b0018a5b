"""Who is calling: bearer tokens only, never the session cookie."""

from typing import NoReturn

from flask import abort, make_response, request

from coursehub.accounts.models import User
from coursehub.accounts.services import user_for_token
from coursehub.errors import json_error

TOKEN_HINT = "Get a token from POST /api/v1/auth/token."


def required_token() -> str:
    """The token of the `Authorization: Bearer <token>` header; answers 401 without one."""
    credentials = request.authorization
    if credentials is None or credentials.type != "bearer" or not credentials.token:
        unauthorized(f"Send the header “Authorization: Bearer <token>”. {TOKEN_HINT}")
    return credentials.token


def authenticated_user() -> User:
    """The user the request's bearer token belongs to; answers 401 otherwise."""
    user = user_for_token(required_token())
    if user is None:
        unauthorized(f"That API token is not valid; it may have been revoked. {TOKEN_HINT}")
    return user


def unauthorized(message: str) -> NoReturn:
    response = make_response(json_error(401, message))
    # RFC 6750: a 401 names the scheme the client should use.
    response.headers["WWW-Authenticate"] = 'Bearer realm="CourseHub API"'
    abort(response)


def require(allowed: bool, message: str) -> None:
    """Answer 403 with `message` unless a permission predicate allowed the request."""
    if not allowed:
        abort(403, message)
