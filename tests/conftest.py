"""Fixtures: one migrated database per run, emptied between tests; role fixtures."""

import os
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from coursehub import create_app
from coursehub.extensions import cache, db, limiter
from tests import factories
from tests.client import Client

RATE_LIMITS = ("SIGN_IN", "REGISTER", "POSTING", "COMMENTING", "PREVIEW", "UPLOAD")


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("COURSEHUB_TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast for tests only
            # Limits stay on, but out of the way; tests of limits lower one at a time.
            **{f"RATELIMIT_{name}": "10000 per minute" for name in RATE_LIMITS},
        }
    )
    app.test_client_class = Client
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    return app


@pytest.fixture(autouse=True)
def _clean_database(app: Flask):
    """Every test starts from empty tables and an empty cache, inside an app context."""
    limiter.reset()
    with app.app_context():
        cache.clear()
        yield
        db.session.remove()
        # DELETE, not TRUNCATE: on tables this small it is several times faster.
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()


@pytest.fixture
def instructor():
    return factories.user("ines", display_name="Ines Instructor")


@pytest.fixture
def course(instructor):
    return factories.course(instructor)


@pytest.fixture
def ta(course):
    return factories.member(course, "tomas", "ta", display_name="Tomas Assistant")


@pytest.fixture
def student(course):
    return factories.member(course, "sofia", "student", display_name="Sofia Student")


@pytest.fixture
def other_student(course):
    return factories.member(course, "omar", "student", display_name="Omar Other")


@pytest.fixture
def outsider():
    """Signed in, enrolled nowhere."""
    return factories.user("fred", display_name="Fred Outsider")


@pytest.fixture
def admin():
    user = factories.user("ada", display_name="Ada Admin")
    user.is_admin = True
    db.session.commit()
    return user


@pytest.fixture
def chapter(course):
    return factories.chapter(course)


@pytest.fixture
def video(chapter):
    return factories.video(chapter)
