"""The migrations build exactly the schema the models declare."""

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from coursehub.accounts.models import User
from coursehub.extensions import db


def test_models_and_migrations_agree():
    with db.engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect the expression index on lower(username); PostgreSQL can.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_database_itself_refuses_usernames_differing_only_in_case(instructor):
    duplicate = User(username="INES", email="x@example.org", display_name="X", password_hash="x")
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as connection:

        def pragma(name: str):
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000
