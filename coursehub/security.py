"""Protections every response shares: security headers, request ids, rate-limit keys."""

import hashlib
import logging
import re
import uuid

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler
from flask_limiter.util import get_remote_address
from flask_login import current_user

from coursehub.extensions import limiter

# Embeds the server builds: privacy-enhanced YouTube and Vimeo players.
FRAME_SOURCES = "https://www.youtube-nocookie.com https://player.vimeo.com"
_WRITES = ["POST", "PUT", "PATCH"]  # reading is never limited
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def limit(name: str):
    """Rate-limit a view by the setting RATELIMIT_<NAME> ("10 per minute"), per caller."""
    return limiter.limit(
        lambda: current_app.config[f"RATELIMIT_{name}"], key_func=caller_key, methods=_WRITES
    )


def sign_in_limit():
    """Rate-limit sign-in attempts per address and username, so a class behind one
    address can sign in together while guessing one account's password stays slow."""
    return limiter.limit(
        lambda: current_app.config["RATELIMIT_SIGN_IN"], key_func=_sign_in_key, methods=["POST"]
    )


def caller_key() -> str:
    """Who is asking: the API token, else the signed-in user, else the address."""
    auth = request.authorization
    if auth is not None and auth.type == "bearer" and auth.token:
        return "token:" + hashlib.sha256(auth.token.encode()).hexdigest()[:24]
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"addr:{get_remote_address()}"


def _sign_in_key() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    name = body.get("username") if isinstance(body, dict) else request.form.get("username")
    return f"signin:{get_remote_address()}:{str(name or '').strip().lower()[:64]}"


def register(app: Flask) -> None:
    @app.before_request
    def _request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers.setdefault("Content-Security-Policy", _csp(app))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return response

    if _REQUEST_ID_FILTER not in default_handler.filters:
        default_handler.addFilter(_REQUEST_ID_FILTER)
        default_handler.setFormatter(
            logging.Formatter("[%(asctime)s] %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )


def _csp(app: Flask) -> str:
    """No inline script, no eval; frames only from the video players; framing by the
    origins in FRAME_ANCESTORS (an LMS that embeds CourseHub)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' https: data:",
            "media-src 'self' https:",
            f"frame-src {FRAME_SOURCES}",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {app.config['FRAME_ANCESTORS']}",
        ]
    )


class _RequestIdFilter(logging.Filter):
    """Stamps each log line with the id the error page shows the user."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


_REQUEST_ID_FILTER = _RequestIdFilter()
