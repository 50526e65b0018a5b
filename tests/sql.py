"""Counting the SQL statements a piece of code runs."""

from collections.abc import Callable

from sqlalchemy import event

from coursehub.extensions import db


def count_statements(action: Callable[[], object]) -> int:
    """How many SQL statements `action` runs; SQLite's explicit BEGIN is no query."""
    seen = 0

    def counter(_conn, _cursor, statement: str, *_args) -> None:
        nonlocal seen
        seen += not statement.startswith("BEGIN")

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return seen
