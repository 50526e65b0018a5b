"""URL converters shared by pages and API."""

from werkzeug.routing import IntegerConverter, Map


class IdConverter(IntegerConverter):
    """A row id in a URL: 1 to 2**31 - 1, what an INTEGER column holds on every
    backend, so an absurd id is a 404 instead of an overflow in the database driver."""

    def __init__(self, map: Map) -> None:
        super().__init__(map, min=1, max=2**31 - 1)
