"""Row ids from requests, shared by pages and API: 1 to ID_MAX, what an INTEGER column
holds on every backend, so an absurd id is refused instead of overflowing the driver."""

import re

from werkzeug.routing import IntegerConverter, Map

ID_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """A row id in a URL; any other number is a 404."""

    def __init__(self, map: Map) -> None:
        super().__init__(map, min=1, max=ID_MAX)


def row_id(value: str | int | None) -> int | None:
    """`value` (as sent, or an int a form took from a row) as a row id, or None. ASCII
    digits only: str.isdigit() also admits "²", which int() refuses."""
    text = "" if value is None else str(value)
    if re.fullmatch(r"[0-9]{1,10}", text) and 1 <= int(text) <= ID_MAX:
        return int(text)
    return None
