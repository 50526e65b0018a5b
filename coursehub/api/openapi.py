"""GET /api/v1/openapi.json: the API described from its own routes and body models."""

import re
from http import HTTPStatus
from typing import Any

from flask import Flask, current_app
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from coursehub.api.routing import OPERATIONS, Operation, bp, route
from coursehub.errors import CODES

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_INTEGER_CONVERTERS = {"int", "id"}


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorBody(BaseModel):
    """Every refusal: 4xx and 5xx answers."""

    error: ErrorDetail


@route("GET", "/openapi.json", public=True)
def openapi() -> ResponseReturnValue:
    """This document: every endpoint of the API, as OpenAPI 3.1."""
    return openapi_document(current_app)


def openapi_document(app: Flask) -> dict[str, Any]:
    """Describe each API rule of `app` with what @route recorded for it."""
    described = [
        (rule, method, OPERATIONS[(rule.endpoint, method)])
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(f"{bp.name}.")
        for method in sorted(rule.methods or ())
        if (rule.endpoint, method) in OPERATIONS
    ]
    models = sorted(
        {op.body for _, _, op in described if op.body} | {ErrorBody},
        key=lambda model: model.__name__,
    )
    refs, definitions = models_json_schema(
        [(model, "validation") for model in models], ref_template="#/components/schemas/{model}"
    )
    paths: dict[str, dict[str, Any]] = {}
    for rule, method, op in described:
        operation = _operation(app, rule, op)
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        paths.setdefault(_PARAMETER.sub(r"{\g<name>}", rule.rule), {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CourseHub API",
            "version": "1",
            "description": "Courses, chapters, lecture videos and student blogs. "
            "Authenticate with a bearer token from POST /api/v1/auth/token.",
        },
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


def _operation(app: Flask, rule: Rule, op: Operation) -> dict[str, Any]:
    path_parameters = [
        {
            "name": match["name"],
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1}
            if match["converter"] in _INTEGER_CONVERTERS
            else {"type": "string"},
        }
        for match in _PARAMETER.finditer(rule.rule)
    ]
    query_parameters = (
        [
            {
                "name": "page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": "per_page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "default": app.config["API_PAGE_SIZE"]},
                "description": f"At most {app.config['API_MAX_PAGE_SIZE']}; more is capped.",
            },
        ]
        if op.paginated
        else []
    )
    errors = set(op.errors)
    if not op.public:
        errors.add(401)
    if op.body is not None:
        errors |= {400, 422}
    if op.paginated:
        errors.add(422)
    if path_parameters:
        errors.add(404)
    responses: dict[str, Any] = {str(op.status): {"description": HTTPStatus(op.status).phrase}}
    for status in sorted(errors):
        responses[str(status)] = {
            "description": f"{HTTPStatus(status).phrase} (code “{CODES[status]}”)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
        }
    operation: dict[str, Any] = {
        "operationId": rule.endpoint.removeprefix(f"{bp.name}."),
        "summary": op.summary,
        "tags": [rule.rule.removeprefix(bp.url_prefix or "").split("/")[1]],
        "parameters": path_parameters + query_parameters,
        "responses": responses,
    }
    if op.description:
        operation["description"] = op.description
    if op.public:
        operation["security"] = []
    return operation
