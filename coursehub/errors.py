"""Error answers: an HTML page for people, a JSON body for the API."""

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

from coursehub.exceptions import DomainError
from coursehub.extensions import db

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation",
    429: "rate_limited",
    500: "internal_error",
}

# What people write at length in forms, handed back when a form expires.
KEPT_FIELDS = {"title": "Title", "body": "Text", "prompt": "Prompt", "reason": "Reason"}


def _typed_text() -> list[tuple[str, str]]:
    """The long text a form expired with, as (label, text), so that nobody loses what they
    wrote; only for a form sent from one of our own pages (the Origin header says so), so
    another site cannot put words on this one."""
    if request.origin is None or request.origin != request.host_url.rstrip("/"):
        return []
    return [
        (label, text)
        for name, label in KEPT_FIELDS.items()
        if (text := request.form.get(name, "")).strip()
    ]


MESSAGES = {
    400: "The request could not be understood.",
    401: "Sign in to continue.",
    403: "You do not have permission to do that.",
    404: "There is nothing here. The page may have moved, or you may not have access to it.",
    405: "That method is not allowed here.",
    413: "That is too large to accept.",
    429: "Too many requests. Please wait a moment and try again.",
    500: "Something went wrong on our side. It has been logged; please try again.",
}


def json_error(
    status: int,
    message: str,
    code: str | None = None,
    fields: dict[str, list[str]] | None = None,
) -> tuple[Response, int]:
    """The API's error body: {"error": {"status", "code", "message", "fields"}}."""
    body: dict[str, Any] = {
        "status": status,
        "code": code or CODES.get(status, "error"),
        "message": message,
        "fields": fields or {},
    }
    return jsonify(error=body), status


def wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status >= 500:
            return server_error(error)
        # A message given at abort() is specific; Werkzeug's stock one is not. A rate
        # limit's description is the bare limit ("3 per 1 minute"): say it plainly.
        if status == 429:
            message = f"{MESSAGES[429]} (Limit: {error.description}.)"
        elif error.description != type(error).description:
            message = error.description
        else:
            message = MESSAGES.get(status, error.description)
        if wants_json():
            response = app.make_response(json_error(status, message))
        else:
            page = render_template(
                "errors/error.html", status=status, message=message, title=error.name
            )
            response = app.make_response((page, status))
        return _with_headers(response, error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = "This form expired or came from another site. Reload the page and try again."
        return render_template(
            "errors/error.html",
            status=400,
            message=message,
            title="Form expired",
            kept=_typed_text(),
        ), 400

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if wants_json():
            fields = {error.field: [error.message]} if error.field and error.status == 422 else None
            return json_error(error.status, error.message, error.code, fields)
        return render_template(
            "errors/error.html",
            status=error.status,
            message=error.message,
            title="That did not work",
        ), error.status

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        # A concurrent request saved the same unique thing between our check and our write.
        db.session.rollback()
        message = "That clashes with something saved a moment ago. Reload and try again."
        if wants_json():
            return json_error(409, message)
        return render_template(
            "errors/error.html", status=409, message=message, title="Conflict"
        ), 409

    @app.errorhandler(InternalServerError)
    def server_error(error: HTTPException):
        if wants_json():
            return json_error(500, MESSAGES[500])
        return render_template(
            "errors/error.html", status=500, message=MESSAGES[500], title="Server error"
        ), 500


def _with_headers(response: Response, error: HTTPException) -> Response:
    """Keep headers the exception carries, such as Allow on a 405."""
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
