"""The API blueprint and its route registry, from which /openapi.json is built."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from coursehub.api.auth import authenticated_user

bp = Blueprint("api", __name__, url_prefix="/api/v1")

View = Callable[..., ResponseReturnValue]


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one method of one route."""

    summary: str
    description: str
    status: int
    body: type[BaseModel] | None
    public: bool
    paginated: bool
    errors: tuple[int, ...]


# (endpoint, method) -> Operation; filled at import by @route, identical in every process.
OPERATIONS: dict[tuple[str, str], Operation] = {}


def route(
    method: str,
    rule: str,
    *,
    status: int = 200,
    body: type[BaseModel] | None = None,
    public: bool = False,
    paginated: bool = False,
    errors: tuple[int, ...] = (),
) -> Callable[[View], View]:
    """Add an API route and record it for the OpenAPI document.

    The view's docstring is the summary. Unless `public`, the request must carry a
    bearer token and the view receives the user as its first argument. `body` is the
    model the view parses; `errors` lists refusals beyond those the document derives
    (401 unless public, 400/422 with a body or pagination, 404 with path parameters).
    """

    def decorator(view: View) -> View:
        handler = view if public else _authenticated(view)
        bp.add_url_rule(rule, view.__name__, handler, methods=[method])
        summary, _, description = (inspect.getdoc(view) or view.__name__).partition("\n")
        OPERATIONS[(f"{bp.name}.{view.__name__}", method)] = Operation(
            summary=summary,
            description=description.strip(),
            status=status,
            body=body,
            public=public,
            paginated=paginated,
            errors=errors,
        )
        return view

    return decorator


def _authenticated(view: View) -> View:
    @wraps(view)
    def handler(**kwargs: Any) -> ResponseReturnValue:
        return view(authenticated_user(), **kwargs)

    return handler
