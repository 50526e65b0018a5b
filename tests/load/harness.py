"""Servers, clients and the scenario driver of the load-and-fault suite.

Everything here talks to 127.0.0.1 only: gunicorn instances started on free loopback
ports, and a small cookie-aware HTTP client built on http.client (the project installs
no HTTP client library). Every request is tallied; every write carries a unique marker
in its text so that what the server acknowledged can be matched against what the
database holds afterwards.
"""

from __future__ import annotations

import ctypes
import functools
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

from coursehub.blogs.models import MAX_DEPTH
from tests.client import csrf_token

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0
MAX_ATTEMPTS = 8
FIGURES: list[tuple[str, list[str]]] = []  # printed in pytest's terminal summary

_POST_LOCATION = re.compile(r"/posts/(\d+)$")
_COMMENT_LOCATION = re.compile(r"/posts/(\d+)#comment-(\d+)$")
POST_MARKER = re.compile(r"\bLP\d{2}n\d{4}\b")
COMMENT_MARKER = re.compile(r"\bLC\d{2}n\d{4}\b")


def report(title: str, lines: list[str]) -> None:
    """Print figures now (shown with -s or on failure) and in the terminal summary."""
    print(f"\n== {title}", *lines, sep="\n  ")
    FIGURES.append((title, lines))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def clean_environment(**settings: str) -> dict[str, str]:
    """The process environment without anyone's COURSEHUB_* settings, plus `settings`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COURSEHUB_")}
    env.update(settings)
    return env


def seed(env: dict[str, str], students: int) -> dict:
    """Migrate and seed the database the servers will use; returns the seeded ids."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.load.seed", str(students)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"seeding failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Servers ------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child before exec: a master whose pytest dies (even by SIGKILL) is killed
    too, and its workers leave when they see their master gone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@functools.cache
def _no_control_socket() -> tuple[str, ...]:
    """Newer gunicorn masters open a control socket at one fixed path per user, which
    two instances on one host would fight over; these instances go without."""
    shown = subprocess.run(
        [str(BIN / "gunicorn"), "--help"], capture_output=True, text=True, timeout=30
    ).stdout
    return ("--no-control-socket",) if "--no-control-socket" in shown else ()


def _children(pid: int) -> list[int]:
    """Live child processes of `pid`, read from /proc."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state not in ("Z", "X"):
            found.append(int(entry.name))
    return sorted(found)


class Instance:
    """One gunicorn master and its sync workers, in a process group of its own."""

    def __init__(self, name: str, workers: int, env: dict[str, str], log_dir: Path) -> None:
        self.name, self.workers, self.env = name, workers, env
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, ready_within: float = 60.0, ready_path: str = "/readyz") -> None:
        """Start on a free port; return once `ready_path` answers 200 and every worker
        is up."""
        self.port = free_port()
        command = [
            str(BIN / "gunicorn"), "--workers", str(self.workers),
            "--bind", f"{HOST}:{self.port}", "--timeout", "30", "--graceful-timeout", "5",
            *_no_control_socket(), "coursehub:create_app()",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
            )  # fmt: skip
        deadline = time.monotonic() + ready_within
        while True:
            if not self.running:
                raise RuntimeError(f"{self.name} exited while starting:\n{self.log_tail()}")
            try:
                ready = probe(self.port, ready_path) == 200
            except OSError:
                ready = False
            if ready and len(self.worker_pids()) == self.workers:
                return
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{self.name} was not ready in time:\n{self.log_tail()}")
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid) if self.running else []

    def kill_worker(self) -> int:
        """kill -9 one worker; the master is expected to start a replacement."""
        victim = self.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def workers_restored(self, victim: int, within: float = 20.0) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if victim not in pids and len(pids) == self.workers:
                return True
            time.sleep(0.1)
        return False

    def kill(self) -> None:
        """kill -9 the master and every worker (the whole process group)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)

    def tracebacks(self) -> list[str]:
        """Exceptions the app did not expect: the message logged and what was raised."""
        try:
            log = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []
        found = []
        for n, line in enumerate(log):
            if line.startswith("Traceback"):
                raised = next((after for after in log[n + 1 :] if not after[:1].isspace()), "")
                found.append(f"{log[n - 1] if n else ''} | {raised}")
        return found

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def probe(port: int, path: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


# --- Clients ------------------------------------------------------------------------------


class Unanswered(Exception):
    """The request got no HTTP answer: refused, reset, dropped or timed out."""

    def __init__(self, port: int, error: BaseException) -> None:
        super().__init__(f"{HOST}:{port}: {type(error).__name__}: {error}")
        self.port = port
        self.refused = isinstance(error, ConnectionRefusedError)


@dataclass
class Answer:
    status: int
    location: str
    body: str
    request_id: str


class Traffic:
    """Tallies of every request every client sent, shared by all client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.unanswered = 0
        self.unanswered_by: Counter[tuple[int, bool]] = Counter()  # (port, refused)
        self.redirected_posts: Counter[int] = Counter()  # port -> POSTs answered 302
        self.server_errors: list[str] = []
        self.answered_at: list[tuple[float, int, int]] = []  # (monotonic time, port, status)

    def answered(self, port: int, method: str, path: str, answer: Answer) -> None:
        with self.lock:
            self.statuses[answer.status] += 1
            self.answered_at.append((time.monotonic(), port, answer.status))
            if method == "POST" and answer.status == 302:
                self.redirected_posts[port] += 1
            if answer.status >= 500:
                self.server_errors.append(
                    f"{answer.status} {method} {path} on :{port} request {answer.request_id}"
                )

    def failed(self, port: int, refused: bool) -> None:
        with self.lock:
            self.unanswered += 1
            self.unanswered_by[port, refused] += 1

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.unanswered

    def ok_after(self, moment: float, port: int | None = None) -> int:
        """2xx/3xx answers received after `moment` (from `port` when given)."""
        with self.lock:
            return sum(
                1
                for at, answered_by, status in self.answered_at
                if at > moment and status < 400 and (port is None or answered_by == port)
            )


class Browser:
    """A cookie jar and one short connection per request, as gunicorn's sync workers
    close every connection anyway. Cookies are per host, not per port, as in a browser:
    a session cookie from one instance goes to the other."""

    def __init__(self, traffic: Traffic) -> None:
        self.traffic = traffic
        self.cookies: dict[str, str] = {}

    def send(self, port: int, method: str, path: str, form: dict | None = None) -> Answer:
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            failure = Unanswered(port, error)
            self.traffic.failed(port, failure.refused)
            raise failure from error
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            self._store(value)
        answer = Answer(
            response.status,
            response.headers.get("Location", ""),
            data.decode("utf-8", "replace"),
            response.headers.get("X-Request-ID", ""),
        )
        self.traffic.answered(port, method, path, answer)
        return answer

    def _store(self, header: str) -> None:
        cookie = SimpleCookie()
        try:
            cookie.load(header)
        except CookieError:
            return
        for name, morsel in cookie.items():
            if morsel.value and morsel["max-age"] != "0":
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)


# --- The scenario -------------------------------------------------------------------------


@dataclass
class Fault:
    at_fraction: float  # of the acknowledged comments
    label: str
    action: Callable[[], str]  # does it; returns what it did
    done_at: float | None = None
    detail: str = ""


@dataclass
class Outcome:
    """What the clients saw."""

    elapsed: float = 0.0
    acked_posts: dict[str, int] = field(default_factory=dict)  # marker -> post id
    acked_comments: dict[str, tuple[int, int]] = field(default_factory=dict)  # -> (post, id)
    unanswered: set[str] = field(default_factory=set)  # write markers that got no answer
    rejected: list[str] = field(default_factory=list)  # answered writes that did not land
    problems: list[str] = field(default_factory=list)  # client-side failures


class LoadRun:
    """Clients that sign in on one instance, continue on the other, write posts, then
    comments and replies on classmates' posts, while faults strike at set points."""

    def __init__(
        self,
        instances: list[Instance],
        seeded: dict,
        *,
        clients: int = 32,
        posts: int = 50,
        comments: int = 1000,
        faults: list[Fault] | None = None,
        deadline: float = 150.0,
    ) -> None:
        self.instances = instances
        self.seeded = seeded
        self.clients, self.posts, self.comments = clients, posts, comments
        self.faults = sorted(faults or [], key=lambda fault: fault.at_fraction)
        self.deadline = deadline
        self.traffic = Traffic()
        self.outcome = Outcome()
        self.lock = threading.Lock()
        self.down: set[int] = set()  # ports that refused connections: nobody listens
        self.barrier = threading.Barrier(clients, timeout=deadline)
        self.post_ids: list[int] = []
        self.comment_ids: dict[int, list[int]] = {}
        self.finished = threading.Event()
        self.retries = 0
        self.started = 0.0

    # Choosing an instance: a client alternates between the instances that still listen.

    def port(self, turn: int) -> int:
        with self.lock:
            alive = [i.port for i in self.instances if i.port not in self.down]
        if not alive:
            raise RuntimeError("no instance is listening")
        return alive[turn % len(alive)]

    def run(self) -> Outcome:
        threads = [
            threading.Thread(target=self._client, args=(n,), name=f"load-client-{n}", daemon=True)
            for n in range(self.clients)
        ]
        monitor = threading.Thread(target=self._strike, name="load-faults", daemon=True)
        self.started = started = time.monotonic()
        monitor.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, started + self.deadline - time.monotonic()))
        self.outcome.elapsed = time.monotonic() - started
        self.finished.set()
        monitor.join(10)
        stuck = [thread.name for thread in threads if thread.is_alive()]
        if stuck:
            self.outcome.problems.append(f"clients still running at the deadline: {stuck}")
        return self.outcome

    def _strike(self) -> None:
        pending = list(self.faults)
        while pending and not self.finished.is_set():
            with self.lock:
                done = len(self.outcome.acked_comments)
            if done >= pending[0].at_fraction * self.comments:
                fault = pending.pop(0)
                try:
                    fault.detail = fault.action()
                except Exception as error:  # report it; the assertions will fail on it
                    fault.detail = f"FAILED: {error!r}"
                fault.done_at = time.monotonic()
            else:
                time.sleep(0.005)

    # One client -----------------------------------------------------------------------

    def _client(self, n: int) -> None:
        try:
            self._session(n)
        except Exception as error:
            self.barrier.abort()
            with self.lock:
                self.outcome.problems.append(f"client {n}: {type(error).__name__}: {error}")

    def _session(self, n: int) -> None:
        browser = Browser(self.traffic)
        username = self.seeded["students"][n]
        first_assignment = self.seeded["assignment_ids"][0]
        turn = n  # even clients sign in on the first instance, odd ones on the second
        # Sign in on one instance ...
        home = self.port(turn)
        page = self._read(browser, "/accounts/login", home)
        answer = browser.send(
            home, "POST", "/accounts/login",
            {"username": username, "password": self.seeded["password"],
             "csrf_token": csrf_token(page.body)},
        )  # fmt: skip
        if answer.status != 302:
            raise AssertionError(f"sign-in of {username} on :{home} answered {answer.status}")
        # ... and continue on the other with the same session cookie: the editor is a
        # page only a signed-in student gets (anonymous visitors are redirected).
        turn += 1
        away = self.port(turn)
        page = self._read(browser, f"/assignments/{first_assignment}/write", away)
        if page.status != 200:
            raise AssertionError(
                f"{username}'s session from :{home} did not carry to :{away}: "
                f"{page.status} {page.location}"
            )
        token = csrf_token(page.body)
        counter = iter(range(10_000))

        def marker(kind: str) -> str:
            return f"L{kind}{n:02d}n{next(counter):04d}"

        # Posts: every client writes for the first assignment, some for the second too.
        mine = self.seeded["assignment_ids"][: 1 if n >= self.posts - self.clients else 2]
        own: set[int] = set()
        for assignment_id in mine:
            turn += 1

            def post_form(mark: str) -> dict:
                return {
                    "title": f"{mark} mirror neurons, structure by structure",
                    "body": f"{mark}: Mirror neurons fire when we act and when we watch "
                    "others act. The **structures** involved connect to "
                    f"[motor areas](https://example.org/{mark}).\n\n"
                    "A second paragraph about connections and functions.",
                    "topics": str(self.seeded["topic_id"]),
                    "publish": "1",
                    "csrf_token": token,
                }

            answer, mark = self._write(
                browser, f"/assignments/{assignment_id}/write", post_form, marker("P"), turn
            )
            turn += 1
            found = _POST_LOCATION.search(answer.location) if answer.status == 302 else None
            with self.lock:
                if found:
                    self.outcome.acked_posts[mark] = int(found[1])
                    own.add(int(found[1]))
                else:
                    self.outcome.rejected.append(f"post {mark}: {answer.status} {answer.location}")
        self.barrier.wait()
        with self.lock:
            if not self.post_ids:
                self.post_ids = sorted(set(self.outcome.acked_posts.values()))
            others = [post_id for post_id in self.post_ids if post_id not in own]

        # Comments and replies, spread over classmates' posts.
        quota = self.comments // self.clients + (n < self.comments % self.clients)
        pick = random.Random(n)
        last = None
        for k in range(quota):
            post_id = others[(n * 7 + k * 5) % len(others)]
            with self.lock:
                earlier = list(self.comment_ids.get(post_id, ()))
            parent = pick.choice(earlier) if earlier and k % 4 == 3 else None

            def comment_form(mark: str, parent: int | None = parent) -> dict:
                return {
                    "body": f"{mark} I enjoyed this post; the *connections* part made "
                    "the structures clearer.",
                    "parent_id": str(parent or ""),
                    "csrf_token": token,
                }

            turn += 1
            answer, mark = self._write(
                browser, f"/posts/{post_id}/comments", comment_form, marker("C"), turn
            )
            found = _COMMENT_LOCATION.search(answer.location) if answer.status == 302 else None
            with self.lock:
                if found and int(found[1]) == post_id:
                    self.outcome.acked_comments[mark] = (post_id, int(found[2]))
                    self.comment_ids.setdefault(post_id, []).append(int(found[2]))
                    last = (post_id, mark)
                else:
                    self.outcome.rejected.append(
                        f"comment {mark}: {answer.status} {answer.location}"
                    )

        # Read your own write back from whichever instance still serves.
        if last is not None:
            turn += 1
            page = self._read(browser, f"/posts/{last[0]}", self.port(turn))
            if page.status != 200 or last[1] not in page.body:
                with self.lock:
                    self.outcome.problems.append(
                        f"client {n}: comment {last[1]} not on /posts/{last[0]} ({page.status})"
                    )

    def _read(self, browser: Browser, path: str, port: int) -> Answer:
        """GET, retrying on the other instance when no answer came (reads are safe)."""
        for attempt in range(MAX_ATTEMPTS):
            try:
                return browser.send(port, "GET", path)
            except Unanswered as error:
                self._note_down(error)
                time.sleep(0.05 * (attempt + 1))
                port = self.port(attempt + 1)
        raise RuntimeError(f"GET {path}: no answer after {MAX_ATTEMPTS} attempts")

    def _write(
        self,
        browser: Browser,
        path: str,
        form: Callable[[str], dict],
        mark: str,
        turn: int,
    ) -> tuple[Answer, str]:
        """POST; when no answer comes, the attempt may or may not have landed: remember
        its marker and try again, with a new marker, on the next instance."""
        for attempt in range(MAX_ATTEMPTS):
            port = self.port(turn + attempt)
            try:
                return browser.send(port, "POST", path, form(mark)), mark
            except Unanswered as error:
                with self.lock:
                    self.outcome.unanswered.add(mark)
                self._note_down(error)
                time.sleep(0.05 * (attempt + 1))
                mark = self._retry_marker(mark)
        raise RuntimeError(f"POST {path}: no answer after {MAX_ATTEMPTS} attempts")

    def _retry_marker(self, mark: str) -> str:
        """A fresh marker for a retried write (first markers stay below 5000)."""
        with self.lock:
            self.retries += 1
            return f"{mark[:4]}n{5000 + self.retries:04d}"

    def _note_down(self, error: Unanswered) -> None:
        if error.refused and len(self.instances) > 1:
            with self.lock:
                self.down.add(error.port)


# --- What the database holds --------------------------------------------------------------


@dataclass
class Stored:
    posts: dict[str, int]  # marker -> post id
    comments: dict[str, tuple[int, int]]  # marker -> (post id, comment id)
    duplicates: list[str]
    half_written: list[str]
    unmarked: list[str]

    def marker(self, kind: str, pattern: re.Pattern, text: str, row_id: int, held: dict) -> str:
        """The write's marker in `text` ("" when it has none), noting a row without one
        and a marker already `held`."""
        found = pattern.search(text)
        if not found:
            self.unmarked.append(f"{kind} {row_id}: {text!r}")
            return ""
        if found[0] in held:
            self.duplicates.append(found[0])
        return found[0]


def stored_writes(database_url: str) -> Stored:
    """Read every post and comment back and check each was written whole."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            posts = conn.execute(
                text(
                    "SELECT p.id, p.title, p.body, p.body_html, p.word_count, p.status,"
                    " p.published_at,"
                    " (SELECT count(*) FROM post_topics t WHERE t.post_id = p.id) AS topics"
                    " FROM posts p"
                )
            ).all()
            comments = conn.execute(
                text(
                    "SELECT c.id, c.post_id, c.parent_id, c.depth, c.body, c.body_html,"
                    " c.word_count, c.author_id, p.id AS post_found, p.author_id AS post_author,"
                    " r.post_id AS parent_post, r.author_id AS parent_author"
                    " FROM comments c LEFT JOIN posts p ON p.id = c.post_id"
                    " LEFT JOIN comments r ON r.id = c.parent_id"
                )
            ).all()
            told = {
                (row.comment_id, row.user_id)
                for row in conn.execute(text("SELECT comment_id, user_id FROM notifications"))
            }
    finally:
        engine.dispose()
    stored = Stored({}, {}, [], [], [])
    for row in posts:
        mark = stored.marker("post", POST_MARKER, row.title, row.id, stored.posts)
        if not mark:
            continue
        stored.posts[mark] = row.id
        if not (
            mark in (row.body or "")
            and mark in (row.body_html or "")
            and row.word_count > 0
            and row.status == "published"
            and row.published_at is not None
            and row.topics == 1
        ):
            stored.half_written.append(f"post {row.id} ({mark}): {tuple(row)}")
    for row in comments:
        mark = stored.marker("comment", COMMENT_MARKER, row.body or "", row.id, stored.comments)
        if not mark:
            continue
        stored.comments[mark] = (row.post_id, row.id)
        whole = (
            mark in (row.body_html or "")
            and row.word_count > 0
            and row.post_found is not None
            and (row.parent_id is None or row.parent_post == row.post_id)
            and (row.post_author == row.author_id or (row.id, row.post_author) in told)
            # A reply below MAX_DEPTH hangs under the comment it answered, whose author
            # was told; a deeper reply joined that comment's parent, so who was told
            # is not in the row.
            and (
                row.parent_id is None
                or row.depth >= MAX_DEPTH
                or row.parent_author == row.author_id
                or (row.id, row.parent_author) in told
            )
        )
        if not whole:
            stored.half_written.append(f"comment {row.id} ({mark}): {tuple(row)}")
    return stored


def compare(outcome: Outcome, stored: Stored) -> list[str]:
    """Acknowledged writes that are missing, and stored writes nobody was told of."""
    problems = []
    for kind, acked, held in (
        ("post", outcome.acked_posts, stored.posts),
        ("comment", outcome.acked_comments, stored.comments),
    ):
        for mark, identity in acked.items():
            if mark not in held:
                problems.append(f"acknowledged {kind} {mark} ({identity}) is not stored")
            elif held[mark] != identity:
                problems.append(f"{kind} {mark} acknowledged as {identity}, stored as {held[mark]}")
        for mark in held.keys() - acked.keys() - outcome.unanswered:
            problems.append(f"stored {kind} {mark} was never attempted or was answered otherwise")
    return problems


# --- A GET burst --------------------------------------------------------------------------


def burst(port: int, path: str, cookies: dict[str, str], concurrency: int, seconds: float):
    """Closed-loop GETs of `path` from `concurrency` threads for `seconds`: returns
    (requests, requests/s, p50 ms, p99 ms, non-2xx or unanswered)."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop() -> None:
        nonlocal failures
        browser = Browser(Traffic())
        browser.cookies = dict(cookies)
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                status = browser.send(port, "GET", path).status
            except Unanswered:
                status = 0
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                failures += not 200 <= status < 300

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT)
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
    median = statistics.median(ordered) if ordered else 0.0
    return len(ordered), len(ordered) / elapsed, median * 1000, p99 * 1000, failures
