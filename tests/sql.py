"""Recording the SQL statements a piece of code runs."""

from collections.abc import Callable

from sqlalchemy import event

from coursehub.extensions import db


def statements_run(action: Callable[[], object]) -> list[tuple[str, object]]:
    """The statements `action` runs with their parameters; SQLite's explicit BEGIN is no
    query."""
    seen = []

    def record(_conn, _cursor, statement: str, parameters, *_args) -> None:
        if not statement.startswith("BEGIN"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def count_statements(action: Callable[[], object]) -> int:
    """How many SQL statements `action` runs."""
    return len(statements_run(action))
