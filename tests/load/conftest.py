"""Fixtures of the load suite: its own PostgreSQL database and Redis keys, or its own
SQLite file, seeded once per module; gunicorn instances that are always killed."""

import os
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy.engine import make_url

from tests.load import harness

LOOPBACK = ("127.0.0.1", "localhost", "::1")
STUDENTS = 32
# Every instance gets these; sign-in is limited as in the cross-instance check, and
# posting and commenting are out of the way of 32 students writing as fast as they can.
LIMITS = {
    "COURSEHUB_RATELIMIT_ENABLED": "true",
    "COURSEHUB_RATELIMIT_SIGN_IN": "20 per minute",
    "COURSEHUB_RATELIMIT_POSTING": "100000 per minute",
    "COURSEHUB_RATELIMIT_COMMENTING": "100000 per minute",
}


@pytest.fixture(autouse=True)
def _clean_database():
    """Overrides the suite's per-test emptying of the shared test database: the load
    tests never touch it; they run servers on databases of their own."""
    yield


def pytest_terminal_summary(terminalreporter) -> None:
    if not harness.FIGURES:
        return
    terminalreporter.section("load and fault figures")
    for title, lines in harness.FIGURES:
        terminalreporter.write_line(title)
        for line in lines:
            terminalreporter.write_line(f"  {line}")


@dataclass
class Cluster:
    instances: list[harness.Instance]
    seeded: dict
    database_url: str

    def ensure_running(self) -> None:
        for instance in self.instances:
            if not instance.running:
                instance.start()

    def kill(self) -> None:
        for instance in self.instances:
            instance.kill()


def _secret() -> str:
    return "load-" + secrets.token_hex(32)  # not JSON, so it stays a string


@pytest.fixture(scope="module")
def pg_database():
    """A fresh database on the test PostgreSQL server, dropped afterwards."""
    import psycopg

    url = make_url(os.environ["COURSEHUB_TEST_DATABASE_URL"])
    if url.host not in LOOPBACK:
        pytest.skip("the load suite sends traffic to 127.0.0.1 only")
    name = f"coursehub_load_{os.getpid()}_{secrets.token_hex(3)}"
    server = {
        "host": url.host, "port": url.port or 5432, "user": url.username,
        "password": url.password, "dbname": "postgres", "autocommit": True,
    }  # fmt: skip
    server = {key: value for key, value in server.items() if value is not None}
    with psycopg.connect(**server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_settings():
    """A Redis database number other than the test suite's, and a key prefix of this
    run's own; its keys are deleted afterwards."""
    import redis

    parts = urlsplit(os.environ["COURSEHUB_TEST_REDIS_URL"])
    if parts.hostname not in LOOPBACK:
        pytest.skip("the load suite sends traffic to 127.0.0.1 only")
    number = int(parts.path.strip("/") or 0)
    url = urlunsplit(parts._replace(path=f"/{(number - 1) % 16}"))
    prefix = f"coursehub-load-{secrets.token_hex(4)}"
    client = redis.Redis.from_url(url)
    try:
        yield {
            "COURSEHUB_REDIS_URL": url,
            "COURSEHUB_RATELIMIT_KEY_PREFIX": prefix,
            "COURSEHUB_CACHE_KEY_PREFIX": f"{prefix}:",
        }
    finally:
        keys = list(client.scan_iter(match=f"*{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture(scope="module")
def pg_cluster(pg_database, redis_settings, tmp_path_factory):
    """Instances A and B, two workers each, on one PostgreSQL database and one Redis,
    sharing a secret key and an upload folder and nothing else."""
    folder = tmp_path_factory.mktemp("load-postgresql")
    env = harness.clean_environment(
        COURSEHUB_DATABASE_URL=pg_database,
        COURSEHUB_SECRET_KEY=_secret(),
        COURSEHUB_UPLOAD_FOLDER=str(folder / "uploads"),
        **redis_settings,
        **LIMITS,
    )
    seeded = harness.seed({**env, "COURSEHUB_INSTANCE_PATH": str(folder / "seed")}, STUDENTS)
    instances = [
        harness.Instance(
            name, 2, {**env, "COURSEHUB_INSTANCE_PATH": str(folder / f"instance-{name}")}, folder
        )
        for name in "AB"
    ]
    cluster = Cluster(instances, seeded, pg_database)
    try:
        cluster.ensure_running()
        yield cluster
    finally:
        cluster.kill()


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    """One instance with four workers on a fresh SQLite file; rate limits in memory."""
    folder = tmp_path_factory.mktemp("load-sqlite")
    url = f"sqlite:///{folder / 'instance' / 'coursehub.sqlite'}"
    env = harness.clean_environment(
        COURSEHUB_DATABASE_URL=url,
        COURSEHUB_INSTANCE_PATH=str(folder / "instance"),
        COURSEHUB_SECRET_KEY=_secret(),
        **LIMITS,
    )
    seeded = harness.seed(env, STUDENTS)
    cluster = Cluster([harness.Instance("S", 4, env, folder)], seeded, url)
    try:
        cluster.ensure_running()
        yield cluster
    finally:
        cluster.kill()
