"""Domain errors raised by services; views turn them into form messages or JSON."""


class DomainError(Exception):
    """A rule refused the request. `field` names the input at fault, if any."""

    status = 422
    code = "validation"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    """The input breaks a rule that needs the database or the clock (422)."""


class Conflict(DomainError):
    """The request clashes with what exists: a taken username, a second membership (409)."""

    status = 409
    code = "conflict"


class Forbidden(DomainError):
    """A member may not do this (403)."""

    status = 403
    code = "forbidden"


class PostFirst(Forbidden):
    """Post-before-viewing: the student must publish their own post first (403)."""

    code = "post_first"


class NotFound(DomainError):
    """What the request names does not exist, or is not visible to the caller (404)."""

    status = 404
    code = "not_found"
