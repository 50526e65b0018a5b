"""The benchmark's work in process: the course, statements per page, the timed budgets."""

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from benchmarks.bench_gradebook import measure, timed
from benchmarks.build_course import BENCH_PASSWORD, BenchCourse, build
from benchmarks.servers import BenchError
from coursehub import PROJECT_ROOT, create_app
from coursehub.accounts.services import user_by_username
from coursehub.blogs.models import Comment
from coursehub.extensions import db
from tests.client import Client
from tests.test_statement_counts import measure as measure_statements

_CREATE_APP = (
    "import time; began = time.perf_counter(); from coursehub import create_app; "
    "imported = time.perf_counter(); create_app(); "
    "print(imported - began, time.perf_counter() - imported)"
)


def build_courses(instance: Path) -> tuple[Flask, BenchCourse, BenchCourse]:
    """In a new SQLite database in `instance`: the 1,000-student course (20,000 posts)
    and, by the same generator, one of 10 posts to compare statement counts with."""
    app = create_app({"INSTANCE_PATH": str(instance), "RATELIMIT_ENABLED": False})
    app.test_client_class = Client
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        large = build()
        small = build(students=10, assignments=1)
    return app, large, small


def thread_ids(app: Flask, post_id: int) -> list[int]:
    """The ids of the post's comments, to find each on its page."""
    with app.app_context():
        return list(db.session.scalars(select(Comment.id).where(Comment.post_id == post_id)))


def statement_counts(app: Flask, course: BenchCourse) -> dict[str, int]:
    """The statements of each page pinned by tests/test_statement_counts, fetched once
    by the course's instructor, as that test does."""
    ids = {
        "course": course.course_id, "chapter": course.chapter_id, "video": course.video_id,
        "topic": course.topic_id, "assignment": course.assignment_id, "post": course.post_id,
        "student": course.student_id,
    }  # fmt: skip
    client = app.test_client()
    with app.app_context():
        try:
            client.sign_in(course.instructor, BENCH_PASSWORD)
            counts = measure_statements(client, ids, user_by_username(course.instructor))
        except AssertionError as error:  # a page that did not answer 200, or no sign-in
            raise BenchError(str(error)) from None
        except KeyError as error:
            raise BenchError(f"the bench course has no {error} to fill in a page") from None
        db.engine.dispose()
    return counts


def gradebook_seconds(app: Flask, course: BenchCourse) -> dict[str, float]:
    """Median seconds of the gradebook and of its Canvas CSV (bench_gradebook's timing),
    and of the gradebook page as the instructor gets it (the same work, rendered)."""
    client = app.test_client()
    path = f"/courses/{course.course_id}/gradebook"
    with app.app_context():
        times = {name: seconds for name, (seconds, _) in measure(course.course_id).items()}
        client.sign_in(course.instructor, BENCH_PASSWORD)
        statuses = set()
        times["gradebook page"], _ = timed(lambda: statuses.add(client.get(path).status_code))
        if statuses != {200}:
            raise BenchError(f"{path} answered {sorted(statuses)} to the instructor")
        db.engine.dispose()
    return times


def create_app_seconds(instance: Path, runs: int = 5) -> list[tuple[float, float]]:
    """(importing the package, create_app()) in fresh interpreters, as each gunicorn
    worker starts."""
    env = os.environ | {"COURSEHUB_INSTANCE_PATH": str(instance)}
    seconds = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _CREATE_APP],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            raise BenchError(f"create_app() failed:\n{done.stderr.strip()}")
        imported, created = map(float, done.stdout.split())
        seconds.append((imported, created))
    return seconds
