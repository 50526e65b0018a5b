"""Serve CourseHub as in production and load it with wrk beside two references.

    make bench        # python -m benchmarks.http_bench

Builds the 1,000-student course (20,000 posts, 100,000 comments) into a fresh instance
folder under ${TMPDIR:-/tmp}/coursehub-bench while benchmarks/flaskbb/setup.sh sets up
FlaskBB 2.2 there, and measures the in-process budgets. Then rounds: each serves and
loads in turn CourseHub (`make serve`, 2 workers, rate limits off, signed in through its
login form), the ceiling (benchmarks/ceiling_app.py answering with the bytes of
CourseHub's post page), the signed-in floors (benchmarks/floor_app.py: CourseHub signed
in answering with those bytes after no page work, and after only the post's access
check) and FlaskBB (a topic with 100 replies). Prints medians over the rounds, the
ratios and every budget as pass or MISS, and writes every sample to results.json in that
folder.

Knobs, from the environment or make: BENCH_ROUNDS (3), BENCH_DURATION (seconds per wrk
run, 3), BENCH_CLIENTS (connections per run, "16,64").
"""

import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http.client import HTTPException
from pathlib import Path

from benchmarks import bench_gradebook, checks, floor_app
from benchmarks.build_course import (
    BENCH_PASSWORD,
    POST_PAGE,
    THREAD_SIZE,
    BenchCourse,
    visited_pages,
)
from benchmarks.servers import (
    BenchError,
    Server,
    busy_seconds,
    fetch,
    own_cpu_seconds,
    sign_in,
    start_group,
    stop_group,
)
from benchmarks.wrk import Load, run_wrk
from coursehub import PROJECT_ROOT
from tests.load.harness import free_port
from tests.test_statement_counts import PAGES

BENCH_DIR = Path(os.environ.get("TMPDIR") or "/tmp") / "coursehub-bench"
FLASKBB_SETUP = PROJECT_ROOT / "benchmarks" / "flaskbb" / "setup.sh"
FLASKBB_VENV = Path(os.environ.get("FLASKBB_VENV") or BENCH_DIR.with_name("coursehub-flaskbb-venv"))
FLASKBB_SETUP_TIMEOUT_S = 420
GUNICORN = PROJECT_ROOT / ".venv" / "bin" / "gunicorn"
WORKERS = 2
WARMUP_S, WARMUP_CLIENTS = 2, 4
TIME_LIMIT_S = 600  # the limit for `make bench` from a fresh clone

FLOOR = "signed in, the post page's bytes, no page work"
ACCESS_FLOOR = "signed in, the post's access check, the post page's bytes"
PINNED, SMALL, LARGE = "pinned", "10 posts", "20,000 posts"  # statements per page
BUDGET_CLIENTS = 16
FLASKBB_TIMES = 25
CEILING_SHARE = 0.30
P99_MS = 100
RSS_MB = 150
CREATE_APP_S = 0.5


@dataclass(frozen=True)
class Settings:
    rounds: int
    duration: int  # seconds per measured wrk run
    clients: tuple[int, ...]

    @classmethod
    def from_env(cls) -> "Settings":
        clients = tuple(int(n) for n in (os.environ.get("BENCH_CLIENTS") or "16,64").split(","))
        if BUDGET_CLIENTS not in clients:
            raise BenchError(f"BENCH_CLIENTS must include {BUDGET_CLIENTS}: the budgets are there")
        return cls(
            rounds=int(os.environ.get("BENCH_ROUNDS") or 3),
            duration=int(os.environ.get("BENCH_DURATION") or 3),
            clients=clients,
        )

    @property
    def wrk_timeout(self) -> int:
        # Above any latency a run can see, so slow answers are measured, never dropped.
        return self.duration + 60


@dataclass(frozen=True)
class Page:
    target: str  # CourseHub, ceiling, floor or FlaskBB
    name: str
    path: str
    who: str = "anonymous"
    cookie: str = ""  # the Cookie header the page is requested with


@dataclass(frozen=True)
class Target:
    """A server measured once per round; `serve` makes it for a round's log file."""

    name: str
    serve: Callable[[Path], Server]
    pages: list[Page]
    reset: Callable[[], None] = lambda: None
    optional: bool = False  # a failure makes its rows n/a instead of ending the run


@dataclass(frozen=True)
class Sample:
    round: int
    target: str
    page: str
    who: str
    clients: int
    requests: int
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    non2xx: int
    socket_errors: int
    elsewhere: float  # share of all CPUs used by other processes during the run
    drain_s: float | None  # until the server had worked off the run's queue; None: stopped


@dataclass(frozen=True)
class Row:
    """Medians over the rounds of one page at one number of clients."""

    target: str
    page: str
    who: str
    clients: int
    rounds: int
    rps: float
    rps_min: float
    rps_max: float
    p50_ms: float | None
    p99_ms: float | None
    errors: int  # summed over the rounds
    requests: float  # answers per run
    bytes: int
    elsewhere_max: float


@dataclass(frozen=True)
class Budget:
    rule: str
    verdict: str  # pass, MISS or n/a
    measured: str


@dataclass
class Run:
    """Everything one `make bench` measured; results.json holds it."""

    settings: Settings
    machine: dict[str, str]
    course: BenchCourse | None = None
    flaskbb: dict[str, object] = field(default_factory=dict)  # topic.json
    unavailable: dict[str, str] = field(default_factory=dict)  # target -> why
    statements: dict[str, dict[str, int]] = field(default_factory=dict)  # PINNED, SMALL, LARGE
    gradebook_s: dict[str, float] = field(default_factory=dict)
    create_app_s: list[tuple[float, float]] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # "target/page" -> bytes
    samples: list[Sample] = field(default_factory=list)
    worker_rss_mb: list[list[float]] = field(default_factory=list)  # per round
    rows: list[Row] = field(default_factory=list)
    ratios: dict[str, dict[int, float]] = field(default_factory=dict)
    budgets: list[Budget] = field(default_factory=list)
    phases_s: dict[str, float] = field(default_factory=dict)


def main() -> int:
    began = time.monotonic()
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        os.environ.pop(name, None)  # `make serve` starts as from a shell, not as a sub-make
    for name in [name for name in os.environ if name.startswith("COURSEHUB_")]:
        # The bench configures its own instance: a shell's COURSEHUB_DATABASE_URL must
        # never receive the 20,000 posts.
        del os.environ[name]
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    run = Run(Settings.from_env(), machine())
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print(_machine_line(run.machine), file=sys.stderr)
    try:
        measure(run)
        summarize(run)
    finally:
        run.phases_s["total"] = time.monotonic() - began
        (BENCH_DIR / "results.json").write_text(json.dumps(asdict(run), indent=1, default=str))
    report(run)
    return int(any(budget.verdict == "MISS" for budget in run.budgets))


def _exit_on_signal(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds, so every process started is stopped


# --- measuring ------------------------------------------------------------------------------


def measure(run: Run) -> None:
    """Build and check in process beside the FlaskBB setup, then the rounds."""
    instance, logs, forum_data = BENCH_DIR / "instance", BENCH_DIR / "logs", BENCH_DIR / "flaskbb"
    for folder in (instance, logs):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    with _phase(run, "course build, statement counts and FlaskBB setup beside them"):
        setup = _start_flaskbb_setup(forum_data, logs / "flaskbb-setup.log")
        try:
            _progress("building the course")
            app, run.course, small = checks.build_courses(instance)
            comment_ids = checks.thread_ids(app, run.course.post_id)
            _progress("counting statements per page")
            run.statements = {
                PINNED: dict(PAGES),
                SMALL: checks.statement_counts(app, small),
                LARGE: checks.statement_counts(app, run.course),
            }
            run.flaskbb = _finish_flaskbb_setup(setup, forum_data, logs / "flaskbb-setup.log")
        finally:
            if setup is not None and setup.poll() is None:
                stop_group(setup)
    if "unavailable" in run.flaskbb:
        run.unavailable["FlaskBB"] = str(run.flaskbb["unavailable"])
    with _phase(run, "gradebook and create_app() timing"):
        _progress("timing the gradebook and create_app()")
        run.gradebook_s = checks.gradebook_seconds(app, run.course)
        run.create_app_s = checks.create_app_seconds(instance)
    targets = _targets(run, instance, logs, comment_ids, forum_data)
    _progress(_plan(run.settings, sum(len(target.pages) for target in targets)))
    with _phase(run, f"{run.settings.rounds} rounds"):
        _rounds(run, targets, logs)


@contextmanager
def _phase(run: Run, name: str) -> Iterator[None]:
    """Times the block into run.phases_s."""
    began = time.monotonic()
    try:
        yield
    finally:
        run.phases_s[name] = time.monotonic() - began


def _targets(
    run: Run, instance: Path, logs: Path, comment_ids: list[int], forum_data: Path
) -> list[Target]:
    course = run.course
    port = {name: free_port() for name in ("CourseHub", "ceiling", "floor", "FlaskBB")}
    body_file, topic = BENCH_DIR / "post_page.html", str(run.flaskbb.get("path", "/"))
    served = {"COURSEHUB_INSTANCE_PATH": str(instance), "COURSEHUB_RATELIMIT_ENABLED": "false"}

    def coursehub(log: Path) -> Server:
        return Server(
            "CourseHub",
            ["make", "-C", str(PROJECT_ROOT), "--no-print-directory", "serve",
             f"WORKERS={WORKERS}", f"PORT={port['CourseHub']}"],
            port["CourseHub"], "/healthz", log, env=served,
        )  # fmt: skip

    def ceiling(log: Path) -> Server:
        env = {"CEILING_BODY_FILE": str(body_file)}
        return _gunicorn("ceiling", "benchmarks.ceiling_app", port["ceiling"], "/", log, env)

    def floor(log: Path) -> Server:
        env = served | {"CEILING_BODY_FILE": str(body_file)}
        return _gunicorn("floor", "benchmarks.floor_app", port["floor"], "/healthz", log, env)

    def forum(log: Path) -> Server:
        at = port["FlaskBB"]
        return Server(
            "FlaskBB",
            [str(FLASKBB_VENV / "bin" / "gunicorn"), "--no-control-socket", "-w", str(WORKERS),
             "-b", f"127.0.0.1:{at}", f"flaskbb:create_app('{forum_data}/flaskbb.cfg')"],
            at, topic, log, cwd=forum_data,
        )  # fmt: skip

    def reset_forum() -> None:
        # Each GET of a topic counts a view: every round starts from the seeded database.
        for pristine in forum_data.glob("*.sqlite.orig"):
            shutil.copyfile(pristine, pristine.with_suffix(""))

    _progress("signing in to CourseHub and checking its pages")
    with coursehub(logs / "CourseHub.sign-in.log") as server:
        pages, post_html = _coursehub_pages(server, course, comment_ids)
    body_file.write_bytes(post_html)
    student = pages[0].cookie
    replies = Page("FlaskBB", f"topic, {run.flaskbb.get('replies')} replies", topic)
    return [
        Target("CourseHub", coursehub, pages),
        Target("ceiling", ceiling, [Page("ceiling", "bare Flask, the post page's bytes", "/")]),
        # The same instance, so the same secret key: the student's session cookie holds.
        Target(
            "floor",
            floor,
            [
                Page("floor", FLOOR, floor_app.PATH, "student", student),
                Page(
                    "floor",
                    ACCESS_FLOOR,
                    floor_app.ACCESS_PATH.format(post_id=course.post_id),
                    "student",
                    student,
                ),
            ],
        ),
        Target("FlaskBB", forum, [replies], reset=reset_forum, optional=True),
    ]


def _gunicorn(name: str, module: str, port: int, ready: str, log: Path, env: dict) -> Server:
    """An app of this project on the gunicorn flags `make serve` uses."""
    return Server(
        name,
        [str(GUNICORN), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "-", "--no-control-socket", f"{module}:create_app()"],
        port, ready, log, cwd=PROJECT_ROOT, env=env,
    )  # fmt: skip


def _coursehub_pages(
    server: Server, course: BenchCourse, comment_ids: list[int]
) -> tuple[list[Page], bytes]:
    """Sign in through the form, check that the post page shows the whole thread and that
    the staff pages refuse a student; the pages, and the post page as the student sees it."""
    student = sign_in(server.port, course.student, BENCH_PASSWORD)
    instructor = sign_in(server.port, course.instructor, BENCH_PASSWORD)
    cookies = {"student": student, "instructor": instructor}
    pages = [
        Page("CourseHub", name, path, who, cookies[who])
        for name, who, path in visited_pages(
            course.course_id,
            course.chapter_id,
            course.assignment_id,
            course.post_id,
            course.video_id,
        )
    ]
    post = fetch(server.port, pages[0].path, student)
    missing = [cid for cid in comment_ids if f'id="comment-{cid}"' not in post.text]
    if post.status != 200 or len(comment_ids) != THREAD_SIZE or missing:
        raise BenchError(
            f"the post page (HTTP {post.status}) shows {len(comment_ids) - len(missing)} "
            f"of {THREAD_SIZE} comments"
        )
    for page in pages:
        if page.who == "instructor" and fetch(server.port, page.path, student).status != 403:
            raise BenchError(f"{page.path} is not refused to a student")
    return pages, post.body


def _rounds(run: Run, targets: list[Target], logs: Path) -> None:
    """Each round serves and loads every target in turn, so drift hits all alike."""
    for number in range(1, run.settings.rounds + 1):
        for target in targets:
            if target.name in run.unavailable:
                continue
            try:
                target.reset()
                with target.serve(logs / f"{target.name}.r{number}.log") as server:
                    for page in target.pages:
                        _measure_page(run, server, page, number, page is target.pages[-1])
                    if target.name == "CourseHub":
                        run.worker_rss_mb.append(server.worker_rss_mb())
            except (BenchError, OSError, HTTPException) as error:  # or it stopped answering
                if not target.optional:
                    raise
                run.unavailable[target.name] = f"failed in round {number}: {error}"
                # Its earlier rounds alone would stand for it: report it as not measured.
                run.samples = [s for s in run.samples if s.target != target.name]
                _progress(f"{target.name} {run.unavailable[target.name]}")


def _measure_page(run: Run, server: Server, page: Page, number: int, last: bool) -> None:
    """Check the page, warm up, then one wrk run per number of clients, each followed by
    one blocking request that returns when the server has worked off the run's queue;
    after the `last` page's last run, stopping the server drops its queue instead."""
    reply = fetch(server.port, page.path, page.cookie)
    if reply.status != 200:
        raise BenchError(f"{page.target} {page.path} answered HTTP {reply.status}")
    run.sizes[f"{page.target}/{page.name}"] = len(reply.body)
    url, settings = f"http://127.0.0.1:{server.port}{page.path}", run.settings
    run_wrk(url, WARMUP_CLIENTS, WARMUP_S, settings.wrk_timeout, page.cookie)
    _drain(server, page, settings)
    for clients in settings.clients:
        load, elsewhere = _load(server, url, clients, settings, page.cookie)
        stopping = last and clients == settings.clients[-1]
        sample = Sample(
            number, page.target, page.name, page.who, clients, **asdict(load),
            elsewhere=elsewhere, drain_s=None if stopping else _drain(server, page, settings),
        )  # fmt: skip
        run.samples.append(sample)
        _progress(
            f"r{number} {page.target} {page.name} c={clients}: {sample.rps:.1f} req/s, "
            f"p50 {_ms(sample.p50_ms)} p99 {_ms(sample.p99_ms)} ms, "
            f"errors {sample.non2xx + sample.socket_errors}, elsewhere {elsewhere:.0%}"
        )


def _load(
    server: Server, url: str, clients: int, settings: Settings, cookie: str
) -> tuple[Load, float]:
    """One wrk run, and the share of the machine's CPU that processes other than the
    server, wrk and this driver used meanwhile: a shared machine shows here."""
    began = (time.monotonic(), busy_seconds(), server.cpu_seconds(), own_cpu_seconds())
    load = run_wrk(url, clients, settings.duration, settings.wrk_timeout, cookie)
    ended = (time.monotonic(), busy_seconds(), server.cpu_seconds(), own_cpu_seconds())
    wall, busy, served, own = (after - before for after, before in zip(ended, began, strict=True))
    return load, max(0.0, busy - served - own) / (wall * (os.cpu_count() or 1))


def _drain(server: Server, page: Page, settings: Settings) -> float:
    """Seconds until the server answers after a run; wrong answers (a lost session's
    redirect, an error) would have counted as load, so they stop the bench."""
    began = time.monotonic()
    reply = fetch(server.port, page.path, page.cookie, timeout=settings.wrk_timeout)
    if reply.status != 200:
        raise BenchError(f"{page.target} {page.path} answered HTTP {reply.status} after a run")
    return time.monotonic() - began


def _start_flaskbb_setup(data: Path, log: Path) -> subprocess.Popen | None:
    if not FLASKBB_SETUP.exists():
        return None
    _progress(f"setting up FlaskBB in the background (log: {log})")
    return start_group(
        ["bash", str(FLASKBB_SETUP), str(data)],
        log,
        env=os.environ | {"FLASKBB_VENV": str(FLASKBB_VENV)},
    )


def _finish_flaskbb_setup(setup: subprocess.Popen | None, data: Path, log: Path) -> dict:
    """topic.json ("path", "replies", ...), or {"unavailable": why}."""
    if setup is None:
        return {"unavailable": f"{FLASKBB_SETUP.relative_to(PROJECT_ROOT)} is missing"}
    _progress("waiting for the FlaskBB setup")
    try:
        code = setup.wait(timeout=FLASKBB_SETUP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"unavailable": f"setup unfinished after {FLASKBB_SETUP_TIMEOUT_S} s, see {log}"}
    topic = data / "topic.json"
    if code != 0 or not topic.exists():
        lines = log.read_text(errors="replace").strip().splitlines() or ["no output"]
        return {"unavailable": f"setup failed: {lines[-1]} (see {log})"}
    return json.loads(topic.read_text())


def machine() -> dict[str, str]:
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed (Debian: apt-get install wrk)")
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return {
        "cpu": cpu[1] if cpu else platform.processor(),
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk[1] if len(wrk) > 1 else "?",
    }


def _plan(settings: Settings, pages: int) -> str:
    load = settings.rounds * pages * (WARMUP_S + len(settings.clients) * settings.duration)
    return (
        f"plan: {settings.rounds} rounds x {pages} pages x ({WARMUP_S} s warm-up + "
        f"{len(settings.clients)} x {settings.duration} s) = {load} s of load, plus server "
        f"starts and queues worked off; make bench from a fresh clone must stay under "
        f"{TIME_LIMIT_S} s"
    )


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- summarizing ----------------------------------------------------------------------------


def summarize(run: Run) -> None:
    run.rows = _rows(run)
    # The floor's server serves the access floor too: compare with the plain floor.
    for reference, page in (("ceiling", None), ("floor", FLOOR), ("FlaskBB", None)):
        run.ratios[reference] = {
            clients: post.rps / other.rps
            for clients in run.settings.clients
            if (post := _row(run, "CourseHub", clients, POST_PAGE))
            and (other := _row(run, reference, clients, page))
            and other.rps
        }
    run.budgets = budgets(run)


def _rows(run: Run) -> list[Row]:
    """Medians over rounds per page and number of clients, in the order measured."""
    grouped: dict[tuple[str, str, str, int], list[Sample]] = {}
    for s in run.samples:
        grouped.setdefault((s.target, s.page, s.who, s.clients), []).append(s)
    return [
        Row(
            target=target,
            page=page,
            who=who,
            clients=clients,
            rounds=len(samples),
            rps=statistics.median(s.rps for s in samples),
            rps_min=min(s.rps for s in samples),
            rps_max=max(s.rps for s in samples),
            p50_ms=_median(s.p50_ms for s in samples),
            p99_ms=_median(s.p99_ms for s in samples),
            errors=sum(s.non2xx + s.socket_errors for s in samples),
            requests=statistics.median(s.requests for s in samples),
            bytes=run.sizes[f"{target}/{page}"],
            elsewhere_max=max(s.elsewhere for s in samples),
        )
        for (target, page, who, clients), samples in grouped.items()
    ]


def _row(run: Run, target: str, clients: int, page: str | None = None) -> Row | None:
    for row in run.rows:
        if row.target == target and row.clients == clients and page in (None, row.page):
            return row
    return None


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def budgets(run: Run) -> list[Budget]:
    """The issue's budgets, each pass, MISS or n/a."""
    at = BUDGET_CLIENTS
    post = _row(run, "CourseHub", at, POST_PAGE)
    ceiling, forum = _row(run, "ceiling", at), _row(run, "FlaskBB", at)
    gradebook_s = bench_gradebook.BUDGET_SECONDS
    return [
        _ratio_budget(f"post page >= {FLASKBB_TIMES}x FlaskBB's topic page at {at} clients",
                      post, forum, FLASKBB_TIMES, run.unavailable.get("FlaskBB")),
        _ratio_budget(f"post page >= {CEILING_SHARE:.0%} of the ceiling at {at} clients",
                      post, ceiling, CEILING_SHARE, None),
        _p99_budget(post),
        _statements_budget(run.statements),
        *(
            Budget(f"{name} of the 1,000-student course < {gradebook_s:.0f} s, in process",
                   _verdict(seconds < gradebook_s), f"{seconds * 1000:.0f} ms")
            for name, seconds in run.gradebook_s.items()
        ),
        _memory_budget(run.worker_rss_mb),
        _create_app_budget(run.create_app_s),
    ]  # fmt: skip


def _verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def _ratio_budget(
    rule: str, post: Row | None, reference: Row | None, least: float, unavailable: str | None
) -> Budget:
    if post is None or reference is None:
        return Budget(
            rule, "n/a", f"({unavailable or f'not measured at {BUDGET_CLIENTS} clients'})"
        )
    if not reference.rps:
        return Budget(rule, "n/a", "(the reference answered no request)")
    ratio = post.rps / reference.rps
    shown = f"{ratio:.1%}" if least < 1 else f"{ratio:.1f}x"
    return Budget(
        rule, _verdict(ratio >= least), f"{shown} ({post.rps:.1f} vs {reference.rps:.1f} req/s)"
    )


def _p99_budget(post: Row | None) -> Budget:
    rule = f"post page p99 < {P99_MS} ms at {BUDGET_CLIENTS} clients"
    if post is None or post.p99_ms is None:
        return Budget(rule, "n/a", f"(not measured at {BUDGET_CLIENTS} clients)")
    return Budget(rule, _verdict(post.p99_ms < P99_MS), f"{post.p99_ms:.0f} ms")


def _statements_budget(statements: dict[str, dict[str, int]]) -> Budget:
    rule = f"SQL statements per page the same on {SMALL} and {LARGE}, as pinned by tests"
    pinned, small, large = statements[PINNED], statements[SMALL], statements[LARGE]
    differ = [page for page in pinned if not small[page] == large[page] == pinned[page]]
    measured = "; ".join(
        f"{page} pinned {pinned[page]}, {SMALL} {small[page]}, {LARGE} {large[page]}"
        for page in differ
    )
    return Budget(rule, _verdict(not differ), measured or f"all {len(pinned)} pages as pinned")


def _memory_budget(rss_per_round: list[list[float]]) -> Budget:
    rule = f"resident memory per CourseHub worker < {RSS_MB} MB after the run"
    if not rss_per_round or not rss_per_round[-1]:
        return Budget(rule, "n/a", "(no gunicorn worker found)")
    last = rss_per_round[-1]
    shown = ", ".join(f"{mb:.0f}" for mb in last)
    return Budget(rule, _verdict(max(last) < RSS_MB), f"{shown} MB")


def _create_app_budget(seconds: list[tuple[float, float]]) -> Budget:
    rule = f"create_app() < {CREATE_APP_S} s"
    imported = statistics.median(i for i, _ in seconds)
    created = statistics.median(c for _, c in seconds)
    return Budget(
        rule, _verdict(created < CREATE_APP_S),
        f"{created:.2f} s, after {imported:.2f} s importing the package and its libraries "
        f"(medians of {len(seconds)} fresh interpreters)",
    )  # fmt: skip


# --- the report -----------------------------------------------------------------------------


def report(run: Run) -> None:
    settings = run.settings
    print(_machine_line(run.machine))
    print(
        f"{settings.rounds} rounds, interleaved; per page {WARMUP_S} s of warm-up, then "
        f"{settings.duration} s of wrk at each of {', '.join(map(str, settings.clients))} "
        "clients; medians over the rounds\n"
    )
    _print_table(run.rows)
    for target, why in run.unavailable.items():
        print(f"{target}: n/a ({why})")
    print(
        "* fewer than 2 answers per connection and run: these latencies are of the requests "
        "answered before the run ended, a lower bound\n"
        "elsewhere: the most CPU (share of all cores) that other processes used during one of "
        "the rounds' runs; above a few % the machine was busy with something else\n"
        "the participation table and the Canvas CSV are staff pages, requested as the "
        "instructor (a student gets 403)\n"
    )
    for reference, by_clients in run.ratios.items():
        shown = [f"{ratio:.1f}x" if reference == "FlaskBB" else f"{ratio:.1%}"
                 for ratio in by_clients.values()]  # fmt: skip
        pairs = ", ".join(f"{c} clients {s}" for c, s in zip(by_clients, shown, strict=True))
        why = run.unavailable.get(reference, "not measured")
        print(f"post page / {reference}: {pairs or f'n/a ({why})'}")
    at = BUDGET_CLIENTS
    floor, access = _row(run, "floor", at, FLOOR), _row(run, "floor", at, ACCESS_FLOOR)
    ceiling = _row(run, "ceiling", at)
    if floor and ceiling and ceiling.rps:
        share = floor.rps / ceiling.rps
        print(
            f"floor / ceiling at {at} clients: {share:.1%}, the most a signed-in page can "
            f"reach; {CEILING_SHARE:.0%} of the ceiling is {CEILING_SHARE / share:.0%} of the floor"
        )
    if access and ceiling and ceiling.rps:
        print(
            f"floor with the post's access check / ceiling at {at} clients: "
            f"{access.rps / ceiling.rps:.1%}, the most the post page can reach while it checks "
            "on every request who may read it, if rendering it cost nothing"
        )
    print("\nbudgets")
    for budget in run.budgets:
        print(f"  {budget.verdict:<4}  {budget.rule}: {budget.measured}")
    phases = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in run.phases_s.items())
    print(
        f"\ntime: {phases}; plus `make install`, and the limit for make bench from a fresh "
        f"clone is {TIME_LIMIT_S} s"
    )
    print(f"every sample: {BENCH_DIR / 'results.json'}")
    if missed := sum(budget.verdict == "MISS" for budget in run.budgets):
        print(f"{missed} budget{'s' if missed > 1 else ''} missed: the bench exits with status 1")


def _print_table(rows: list[Row]) -> None:
    lines = [("target", "page", "who", "clients", "req/s", "min-max", "p50 ms", "p99 ms",
              "errors", "answers/run", "bytes", "elsewhere")]  # fmt: skip
    for row in rows:
        few = "*" if row.requests < 2 * row.clients else ""
        lines.append(
            (row.target, row.page, row.who, str(row.clients), _number(row.rps),
             f"{_number(row.rps_min)}-{_number(row.rps_max)}", _ms(row.p50_ms) + few,
             _ms(row.p99_ms) + few, str(row.errors), f"{row.requests:.0f}", f"{row.bytes:,}",
             f"{row.elsewhere_max:.0%}")
        )  # fmt: skip
    widths = [max(len(line[column]) for line in lines) for column in range(len(lines[0]))]
    for line in lines:
        print("  ".join(
            cell.ljust(width) if column < 3 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ))  # fmt: skip


def _number(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else _number(value)


def _machine_line(facts: dict[str, str]) -> str:
    return (
        f"machine: {facts['cpu']}, {facts['cores']} cores; Python {facts['python']}, "
        f"SQLite {facts['sqlite']}, wrk {facts['wrk']}"
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench failed: {error}")
    except KeyboardInterrupt:
        sys.exit("interrupted; every process the bench started is stopped")
