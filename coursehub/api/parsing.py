"""Reading what the client sent: the JSON body and the page of a list."""

import re
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from flask import abort, current_app, make_response, request
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from coursehub.errors import json_error
from coursehub.pagination import PAGE_MAX

M = TypeVar("M", bound=BaseModel)

TIME_EXAMPLE = "2025-03-07T23:59:00+01:00"

# Errors that mean "wrong JSON type" (400) rather than "a bad value of the right type" (422).
_TYPE_ERRORS = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "datetime_type": "a string with a date and time",
    "bool_type": "true or false",
    "list_type": "an array",
    "model_type": "an object",
    "dict_type": "an object",
    "enum": "a string",  # only when the input is not a string; see _is_type_error
}
_JSON_TYPES = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    float: "a decimal number",
    list: "an array",
    dict: "an object",
    type(None): "null",
}


def parse(model: type[M]) -> M:
    """The request's JSON body as `model`. Answers 400 for malformed JSON, a body that
    is not an object, or a value of the wrong JSON type; 422 with `fields` for values
    that break the model's limits."""
    if not request.is_json:
        _refuse(400, "Send a JSON body with “Content-Type: application/json”.")
    try:
        return model.model_validate_json(request.get_data())
    except ValidationError as error:
        _refuse_invalid(model, error.errors())


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def page_args() -> Page:
    """?page= and ?per_page=; 422 unless whole numbers from 1, per_page capped at the
    configured maximum."""
    fields: dict[str, list[str]] = {}
    number = _whole_number("page", 1, PAGE_MAX, fields)
    size = _whole_number("per_page", current_app.config["API_PAGE_SIZE"], None, fields)
    if fields:
        _refuse(422, "The page is not valid.", fields)
    return Page(number, min(size, current_app.config["API_MAX_PAGE_SIZE"]))


def _whole_number(
    name: str, default: int, maximum: int | None, fields: dict[str, list[str]]
) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    # ASCII digits only: str.isdigit() also admits "²", which int() refuses.
    if not re.fullmatch(r"[0-9]{1,12}", text) or int(text) < 1:
        fields[name] = ["Must be a whole number from 1."]
        return default
    if maximum is not None and int(text) > maximum:
        fields[name] = [f"Must be at most {maximum}."]
        return default
    return int(text)


def _refuse_invalid(model: type[BaseModel], errors: list[ErrorDetails]) -> NoReturn:
    for error in errors:
        if error["type"] == "json_invalid":
            _refuse(400, f"The body is not valid JSON: {error['ctx']['error']}.")
    if any(error["type"] == "model_type" and not error["loc"] for error in errors):
        _refuse(400, "The body must be a JSON object.")
    wrong_types = [_type_message(error) for error in errors if _is_type_error(error)]
    if wrong_types:
        _refuse(400, " ".join(wrong_types))
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field(error), []).append(_value_message(model, error))
    _refuse(422, "Some fields are not valid.", fields)


def _is_type_error(error: ErrorDetails) -> bool:
    kind = error["type"]
    # A choice such as a role is a string; 5 is a wrong type, "boss" a wrong value.
    if kind == "enum":
        return not isinstance(error["input"], str)
    return kind in _TYPE_ERRORS or kind == "null_forbidden"


def _type_message(error: ErrorDetails) -> str:
    if error["type"] == "null_forbidden":
        return f"{_field(error)} {error['msg']}."
    expected = _TYPE_ERRORS[error["type"]]
    got = _JSON_TYPES.get(type(error["input"]), "something else")
    return f"{_field(error)} must be {expected}, not {got}."


def _value_message(model: type[BaseModel], error: ErrorDetails) -> str:
    ctx: dict[str, Any] = error.get("ctx", {})
    match error["type"]:
        case "missing":
            return "This field is required."
        case "string_too_short" if ctx["min_length"] == 1:
            return "This field cannot be empty."
        case "string_too_short":
            return f"Use at least {ctx['min_length']} characters."
        case "string_too_long":
            return f"Use at most {ctx['max_length']} characters."
        case "too_long":
            return f"At most {ctx['max_length']} items."
        case "greater_than_equal":
            return f"Must be at least {ctx['ge']}."
        case "less_than_equal":
            return f"Must be at most {ctx['le']}."
        case "string_pattern_mismatch":
            # The regex means nothing to a person; a top-level field's description does.
            field = model.model_fields.get(str(error["loc"][0])) if len(error["loc"]) == 1 else None
            return (field and field.description) or "This is not in the expected form."
        case "enum":
            return f"Must be one of {ctx['expected']}."
        case "timezone_aware":
            return f"Give the UTC offset, as in {TIME_EXAMPLE}; without one the time is ambiguous."
        case "datetime_parsing" | "datetime_from_date_parsing":
            return f"Use an ISO 8601 date and time with a UTC offset, as in {TIME_EXAMPLE}."
    return error["msg"]


def _field(error: ErrorDetails) -> str:
    """The field's path in the body: "title", or "segments.1.start_seconds"."""
    return ".".join(str(part) for part in error["loc"]) or "body"


def _refuse(status: int, message: str, fields: dict[str, list[str]] | None = None) -> NoReturn:
    abort(make_response(json_error(status, message, fields=fields)))
