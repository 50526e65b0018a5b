"""Time the gradebook and the Canvas CSV for a course of 1,000 students on SQLite.

    python -m benchmarks.bench_gradebook

Builds the course (1,000 students, 20 assignments, one post each, 5 comments per
post: 100,000 comments) in a fresh instance folder, then reports the median of five
runs of each, and the SQL statements each takes.
"""

import statistics
import tempfile
import time

from flask_migrate import upgrade

from benchmarks.build_course import build
from coursehub import PROJECT_ROOT, create_app
from coursehub.blogs.queries import course_assignments
from coursehub.extensions import db
from coursehub.participation.exports import gradebook_csv
from coursehub.participation.services import gradebook
from tests.sql import count_statements

BUDGET_SECONDS = 1.0


def timed(action, runs: int = 5) -> tuple[float, int]:
    """Median seconds over `runs`, and the statements one run executes."""
    times, statements = [], 0
    for _ in range(runs):
        db.session.expire_all()
        began = time.perf_counter()
        statements = count_statements(action)
        times.append(time.perf_counter() - began)
    return statistics.median(times), statements


def measure(course_id: int) -> dict[str, tuple[float, int]]:
    """Median seconds and statements of the gradebook and of its Canvas CSV."""

    def book():
        return gradebook(course_id, course_assignments(course_id))

    return {
        "gradebook": timed(book),
        "canvas csv": timed(lambda: gradebook_csv("canvas", book())),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
            began = time.perf_counter()
            course = build()
            print(f"built 1,000 students x 20 assignments in {time.perf_counter() - began:.1f} s")
            for name, (seconds, statements) in measure(course.course_id).items():
                verdict = "pass" if seconds < BUDGET_SECONDS else "MISS"
                print(f"{name:<11} {seconds * 1000:7.1f} ms  {statements} statements  "
                      f"budget < {BUDGET_SECONDS:.0f} s: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
