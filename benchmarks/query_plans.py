"""Show the database's plan for every SQL statement the benchmarked pages run.

    python -m benchmarks.query_plans [--database-url URL] [--build] [--keep] [--full]

Visits, with the test client, the pages the benchmark loads: the post with 100 comments,
its assignment, chapter and lecture video as a student with a published post there, then the
participation table and the Canvas CSV as the instructor. Each page is visited twice;
the statements of the first (cold cache) visit are explained, and those the second
(warm) visit skips are marked "cold". Plans are SQLite's EXPLAIN QUERY PLAN (ANALYZE
only with --sqlite-analyze: the app never runs it) or PostgreSQL's EXPLAIN ANALYZE after
VACUUM ANALYZE (where autovacuum gets to after bulk inserts: statistics, and the
visibility map index-only scans need). Plan lines that read a big table whole, sort in
a temporary B-tree, build an automatic index or spill to disk are marked "!!".

Without --build it explains the newest benchmark course (by build_course.py) in the
database the app is configured with (COURSEHUB_* settings), or in --database-url.
With --build it migrates and builds the 1,000-student course first: into a fresh
SQLite file in a temporary instance folder, or into the PostgreSQL database that
--database-url names, dropped and created anew (and dropped at the end unless --keep).
"""

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from flask import Flask
from flask_migrate import upgrade
from psycopg import sql
from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from benchmarks.build_course import COURSE_CODE, build, visited_pages
from coursehub import PROJECT_ROOT, create_app
from coursehub.accounts.models import User
from coursehub.accounts.services import user_by_username
from coursehub.blogs.models import PUBLISHED, Assignment, Comment, Post
from coursehub.courses.models import Course, LectureVideo, Membership, Role
from coursehub.extensions import db
from tests.client import Client
from tests.sql import statements_run

# Tables that grow with the course; any other table of BIG_ROWS rows or more counts too.
BIG_TABLES = {"posts", "comments", "memberships", "users", "notifications", "post_topics"}
BIG_ROWS = 1000
SUMMARY_CHARS = 100
PLAN_CHARS = 220  # PostgreSQL prints a filter on 1,000 ids in full
SKIPPED = re.compile(r"(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|SELECT 1\s*$)", re.I)


@dataclass(frozen=True)
class Targets:
    """The rows the pages are about, and who visits them."""

    course_id: int
    chapter_id: int
    assignment_id: int
    post_id: int  # the most-commented post of the course: the one with 100 comments
    video_id: int  # the chapter's lecture, which every post cites
    student_id: int  # has a published post in the assignment, not the post's author
    instructor_id: int


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # "student" or "instructor"
    path: str


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any  # as the driver received them: a tuple (qmark) or a dict (pyformat)


@dataclass
class Visit:
    page: Page
    status: int
    statements: list[Statement]
    warm: list[str]  # the SQL texts the second (warm cache) visit ran


@dataclass
class Plan:
    statement: Statement
    seconds: float | None
    lines: list[str]
    flags: list[tuple[int, str]] = field(default_factory=list)  # (line index, reason)
    cold: bool = False


def pages(t: Targets) -> list[Page]:
    """The pages benchmarks/http_bench.py loads, in its order."""
    return [
        Page(*page)
        for page in visited_pages(t.course_id, t.chapter_id, t.assignment_id, t.post_id, t.video_id)
    ]


# --- the database and the course ------------------------------------------------------


def is_postgres(url: str | None) -> bool:
    return bool(url) and make_url(url).get_backend_name() == "postgresql"


@contextmanager
def fresh_postgres(url: str, keep: bool) -> Iterator[None]:
    """Drop and create the database `url` names; drop it again afterwards unless `keep`."""
    parsed = make_url(url)
    if not parsed.database or parsed.database in {"postgres", "template0", "template1"}:
        raise SystemExit(f"refusing to recreate the database {parsed.database!r}")
    name = sql.Identifier(parsed.database)
    with _maintenance(parsed) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield
    finally:
        if not keep:
            with _maintenance(parsed) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def _maintenance(url: URL) -> psycopg.Connection:
    """An autocommit connection to the server's postgres database, as `url`'s user."""
    return psycopg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password,
        dbname="postgres", autocommit=True,
    )  # fmt: skip


@contextmanager
def open_app(url: str | None, fresh: bool, keep: bool) -> Iterator[Flask]:
    """The app on `url` (or its COURSEHUB_* settings); with `fresh`, a new database."""
    config: dict[str, Any] = {"RATELIMIT_ENABLED": False}
    with ExitStack() as stack:
        if fresh:
            config |= {"INSTANCE_PATH": stack.enter_context(tempfile.TemporaryDirectory())}
            config["SECRET_KEY"] = "plans"
            if is_postgres(url):
                stack.enter_context(fresh_postgres(url, keep))
        if url:
            config["SQLALCHEMY_DATABASE_URI"] = url
        app = create_app(config)
        try:
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()  # no connection left open on a database being dropped


def build_targets() -> Targets:
    """Build the 1,000-student course; the pages' rows in it."""
    course = build()
    instructor = user_by_username(course.instructor)
    return Targets(
        course.course_id, course.chapter_id, course.assignment_id, course.post_id,
        course.video_id, course.student_id, instructor.id,
    )  # fmt: skip


def find_targets() -> Targets:
    """The pages' rows in the newest benchmark course of the database."""
    course_id = db.session.scalar(select(func.max(Course.id)).where(Course.code == COURSE_CODE))
    if course_id is None:
        raise SystemExit("no benchmark course here: run with --build, or build_course.py")
    post_id, author_id, assignment_id, chapter_id = db.session.execute(
        select(Post.id, Post.author_id, Post.assignment_id, Assignment.chapter_id)
        .join(Assignment, Assignment.id == Post.assignment_id)
        .join(Comment, Comment.post_id == Post.id)
        .where(Assignment.course_id == course_id)
        .group_by(Post.id, Post.author_id, Post.assignment_id, Assignment.chapter_id)
        .order_by(func.count(Comment.id).desc(), Post.id)
        .limit(1)
    ).one()
    authors = (
        select(Post.author_id)
        .join(Membership, Membership.user_id == Post.author_id)
        .where(
            Post.assignment_id == assignment_id,
            Post.status == PUBLISHED,
            Post.deleted_at.is_(None),
            Post.author_id != author_id,
            Membership.course_id == course_id,
            Membership.role == Role.student,
        )
        .order_by(Post.author_id)
    )
    student_id = db.session.scalar(authors.limit(1))
    video_id = db.session.scalar(
        select(func.min(LectureVideo.id)).where(LectureVideo.chapter_id == chapter_id)
    )
    instructor_id = db.session.scalar(
        select(func.min(Membership.user_id)).where(
            Membership.course_id == course_id, Membership.role == Role.instructor
        )
    )
    return Targets(
        course_id, chapter_id, assignment_id, post_id, video_id, student_id, instructor_id
    )


def gather_statistics(sqlite_analyze: bool) -> str:
    """VACUUM ANALYZE PostgreSQL (outside a transaction), ANALYZE SQLite if asked; what
    was run."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        return "VACUUM ANALYZE run"
    if not sqlite_analyze:
        return "not ANALYZEd, as the app never does"
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return "ANALYZE run"


def big_tables(conn: Connection) -> dict[str, int]:
    """Row counts of BIG_TABLES and of every table with BIG_ROWS rows or more."""
    counts = {}
    for table in inspect(conn).get_table_names():
        rows = conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
        if table in BIG_TABLES or rows >= BIG_ROWS:
            counts[table] = rows
    return counts


# --- visiting the pages ---------------------------------------------------------------


def visit_all(app: Flask, targets: Targets) -> list[Visit]:
    """Each page twice, each request in an app context (and session) of its own."""
    app.test_client_class = Client
    client = app.test_client()
    visits = []
    with app.app_context():
        sessions = {
            "student": _session_id(targets.student_id),
            "instructor": _session_id(targets.instructor_id),
        }
        for page in pages(targets):
            _sign_in(client, sessions[page.who])
            (status, cold), (_, warm) = (_visit(client, page.path) for _ in range(2))
            visits.append(Visit(page, status, cold, [s.sql for s in warm]))
    return visits


def _visit(client: Client, path: str) -> tuple[int, list[Statement]]:
    """The page's status and the statements worth explaining, with parameters as the
    driver can take them back."""
    replies = []
    run = statements_run(lambda: replies.append(client.get(path)))
    statements = [
        Statement(sql, tuple(parameters) if isinstance(parameters, list) else parameters)
        for sql, parameters in run
        if not SKIPPED.match(sql.lstrip())
    ]
    return replies[0].status_code, statements


def _session_id(user_id: int) -> str:
    """What load_user (coursehub/accounts/views.py) reads from the session."""
    return db.session.get(User, user_id).get_id()


def _sign_in(client: Client, session_id: str) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


# --- explaining -----------------------------------------------------------------------


def explain_all(conn: Connection, visits: list[Visit], big: set[str]) -> dict[str, list[Plan]]:
    """Every visit's statements explained, in a transaction rolled back at the end (a
    PostgreSQL EXPLAIN ANALYZE runs the statement, writes too)."""
    postgres = conn.dialect.name == "postgresql"
    plans = {}
    try:
        for visit in visits:
            plans[visit.page.name], warm = [], set(visit.warm)
            for statement in visit.statements:
                plan = _explain_one(conn, statement, postgres)
                plan.flags = flag(plan.lines, big, aliases(statement.sql), postgres)
                plan.cold = statement.sql not in warm
                plans[visit.page.name].append(plan)
    finally:
        conn.rollback()
    return plans


def _explain_one(conn: Connection, statement: Statement, postgres: bool) -> Plan:
    """One statement's plan, in a savepoint so a failure spoils nothing after it."""
    savepoint = conn.begin_nested()
    try:
        if postgres:
            return _explain_postgres(conn, statement)
        return _explain_sqlite(conn, statement)
    except DBAPIError as error:
        savepoint.rollback()
        return Plan(statement, None, [f"EXPLAIN failed: {str(error.orig).strip()}"])
    finally:
        if savepoint.is_active:
            savepoint.rollback()  # undoes what an analyzed or timed write did


def _explain_postgres(conn: Connection, statement: Statement) -> Plan:
    options = "ANALYZE, BUFFERS OFF, COSTS OFF, TIMING ON"
    rows = conn.exec_driver_sql(f"EXPLAIN ({options}) {statement.sql}", statement.parameters)
    lines, seconds = [], None
    for (line,) in rows:
        if found := re.match(r"Execution Time: ([\d.]+) ms", line):
            seconds = float(found[1]) / 1000
        elif not line.startswith("Planning Time"):
            lines.append(line)
    return Plan(statement, seconds, lines)


def _explain_sqlite(conn: Connection, statement: Statement) -> Plan:
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement.sql}", statement.parameters)
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    began = time.perf_counter()
    conn.exec_driver_sql(statement.sql, statement.parameters).fetchall()
    return Plan(statement, time.perf_counter() - began, lines)


def aliases(statement: str) -> dict[str, str]:
    """Alias -> table for SQLAlchemy's "comments AS comments_1"."""
    return {alias: table for table, alias in re.findall(r"\b(\w+) AS (\w+)\b", statement)}


def flag(
    lines: list[str], big: set[str], alias: dict[str, str], postgres: bool
) -> list[tuple[int, str]]:
    """(line index, reason) for each plan line worth a look."""
    found = []
    for index, line in enumerate(lines):
        if reason := (_flag_postgres(line, big) if postgres else _flag_sqlite(line, big, alias)):
            found.append((index, reason))
    return found


def _flag_sqlite(line: str, big: set[str], alias: dict[str, str]) -> str | None:
    detail = line.strip()
    if scan := re.match(r"SCAN (\w+)(?: AS (\w+))?(.*)", detail):
        table = alias.get(scan[1], scan[1])
        if table in big and "INDEX" not in scan[3]:
            return f"full scan of {table}"
        if table in big and "COVERING INDEX" not in scan[3]:
            return f"full index scan of {table}, reading each row too"
    if "AUTOMATIC" in detail and "INDEX" in detail:
        return "automatic index built for this statement: no usable index"
    if detail.startswith("USE TEMP B-TREE"):
        return detail.lower().replace("use ", "", 1)
    return None


def _flag_postgres(line: str, big: set[str]) -> str | None:
    if (scan := re.search(r"Seq Scan on (\w+)", line)) and scan[1] in big:
        return f"full scan of {scan[1]}"
    if re.search(r"external (merge|sort)|Disk( Usage)?: \d+", line):
        return "spills to disk"
    return None


# --- the report -----------------------------------------------------------------------


def summary(statement: str, width: int = SUMMARY_CHARS) -> str:
    """The statement on one line, a SELECT's column list cut to "…"; when still too long,
    its first `width` characters and its top-level GROUP BY / ORDER BY / LIMIT tail."""
    one_line = " ".join(statement.split())
    if one_line.upper().startswith("SELECT ") and (start := _top_level(one_line, " FROM ")) > 0:
        one_line = "SELECT …" + one_line[start:]
    if len(one_line) <= width:
        return one_line
    ends = [
        i for w in (" GROUP BY ", " ORDER BY ", " LIMIT ") if (i := _top_level(one_line, w)) > 0
    ]
    tail = one_line[min(ends) :] if ends and min(ends) >= width else ""
    tail = tail if len(tail) <= width // 2 else tail[: width // 2 - 1] + "…"
    return one_line[:width] + " …" + tail


def _top_level(statement: str, clause: str) -> int:
    """Where `clause` first occurs outside parentheses, or -1."""
    level = 0
    for index, char in enumerate(statement):
        level += {"(": 1, ")": -1}.get(char, 0)
        if level == 0 and statement.startswith(clause, index):
            return index
    return -1


def _ms(seconds: float | None) -> str:
    return "   n/a  " if seconds is None else f"{seconds * 1000:7.2f} ms"


def report_page(visit: Visit, plans: list[Plan], full: bool) -> None:
    total = sum(p.seconds or 0 for p in plans)
    print(f"\n== {visit.page.name} as the {visit.page.who}: GET {visit.page.path} -> "
          f"{visit.status}, {len(plans)} statements ({len(visit.warm)} when warm), "
          f"{total * 1000:.1f} ms in SQL")  # fmt: skip
    for number, plan in enumerate(plans, 1):
        shown = " ".join(plan.statement.sql.split()) if full else summary(plan.statement.sql)
        cold = " cold" if plan.cold else ""
        print(f"[{number:2}] {_ms(plan.seconds)}{cold:5} {shown}")
        flagged = dict(plan.flags)
        for index, line in enumerate(plan.lines):
            mark = "!!" if index in flagged else "  "
            line = line if len(line) <= PLAN_CHARS else line[: PLAN_CHARS - 1] + "…"
            print(f"   {mark}   {line}" + (f"   <- {flagged[index]}" if index in flagged else ""))


def report_summary(visits: list[Visit], plans: dict[str, list[Plan]]) -> None:
    print("\n== flagged statements per page")
    for visit in visits:
        flagged = [(n, p) for n, p in enumerate(plans[visit.page.name], 1) if p.flags]
        print(f"{visit.page.name}: {len(flagged)} of {len(plans[visit.page.name])} statements")
        for number, plan in flagged:
            reasons = "; ".join(dict.fromkeys(reason for _, reason in plan.flags))
            cold = " (cold only)" if plan.cold else ""
            print(f"  [{number:2}] {_ms(plan.seconds)}{cold} {reasons}")
            print(f"        {summary(plan.statement.sql)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: the app's COURSEHUB_* settings")
    parser.add_argument("--build", action="store_true", help="migrate and build a course first")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database built")
    parser.add_argument("--full", action="store_true", help="print whole statements")
    parser.add_argument(
        "--sqlite-analyze", action="store_true", help="ANALYZE SQLite first (the app never does)"
    )
    args = parser.parse_args()
    if args.build and args.database_url and not is_postgres(args.database_url):
        parser.error("--build makes its own SQLite file; --database-url may name PostgreSQL only")
    if args.keep and not is_postgres(args.database_url):
        parser.error("--keep keeps a PostgreSQL database; the SQLite file is temporary")
    began = time.perf_counter()
    with open_app(args.database_url, args.build, args.keep) as app:
        with app.app_context():
            if args.build:
                upgrade(directory=str(PROJECT_ROOT / "migrations"))
                targets = build_targets()
                print(f"built the course in {time.perf_counter() - began:.1f} s", file=sys.stderr)
            else:
                targets = find_targets()
            statistics = gather_statistics(args.sqlite_analyze)
            with db.engine.connect() as conn:
                big = big_tables(conn)
            url = db.engine.url.render_as_string(hide_password=True)
        visited = time.perf_counter()
        visits = visit_all(app, targets)
        explained = time.perf_counter()
        with app.app_context(), db.engine.connect() as conn:
            plans = explain_all(conn, visits, set(big))
        done = time.perf_counter()
    print(f"database {url}, {statistics}; {targets}")
    print("big tables: " + ", ".join(f"{name} {rows:,}" for name, rows in big.items()))
    for visit in visits:
        report_page(visit, plans[visit.page.name], args.full)
    report_summary(visits, plans)
    print(f"\nwall: {visited - began:.1f} s to build/prepare, {explained - visited:.1f} s to "
          f"visit, {done - explained:.1f} s to explain, {time.perf_counter() - began:.1f} s "
          "in all")  # fmt: skip


if __name__ == "__main__":
    main()
