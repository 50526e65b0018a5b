"""A consistent copy of the SQLite database, taken while the app keeps running."""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine


def backup_sqlite(engine: Engine, target: Path) -> None:
    """Copy the database to `target` with SQLite's online backup API.

    The copy is a snapshot of one moment even while other processes write, since
    the backup restarts pages that change under it. Raises ValueError for other
    databases (PostgreSQL is backed up with pg_dump; see docs/deploy.md).
    """
    if engine.dialect.name != "sqlite":
        raise ValueError(
            f"This is a {engine.dialect.name} database: back it up with pg_dump, e.g. "
            "pg_dump --format=custom --file=coursehub.dump <database URL>."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    source = engine.raw_connection()
    try:
        with sqlite3.connect(target) as copy:
            source.driver_connection.backup(copy)
    finally:
        source.close()
