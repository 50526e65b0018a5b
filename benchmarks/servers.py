"""Servers under test: started in process groups of their own, spoken to over HTTP."""

import http.client
import os
import re
import resource
import signal
import subprocess
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.client import csrf_token

_TICKS = os.sysconf("SC_CLK_TCK")
# Sent with every request, sign-in included: Flask-Login ties the session to it.
USER_AGENT = "coursehub-bench"


class BenchError(Exception):
    """Something the benchmark needs did not work; the message says what."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    cookies: dict[str, str]  # from Set-Cookie

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(
    port: int, path: str, cookie: str = "", form: dict[str, str] | None = None, timeout: float = 30
) -> Reply:
    """One request to 127.0.0.1:port, redirects not followed: a 302 to sign in shows."""
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = cookie
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "GET" if form is None else "POST", path, urlencode(form) if form else None, headers
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or ():
        jar.load(header)
    return Reply(response.status, body, {name: morsel.value for name, morsel in jar.items()})


def sign_in(port: int, username: str, password: str, path: str = "/accounts/login") -> str:
    """Sign in through the login form as a browser does; returns the Cookie header."""
    page = fetch(port, path)
    if page.status != 200:
        raise BenchError(f"no sign-in form at {path} (HTTP {page.status})")
    cookies = page.cookies
    try:
        form = {"csrf_token": csrf_token(page.text), "username": username, "password": password}
    except LookupError as error:
        raise BenchError(f"{path}: {error}") from None
    reply = fetch(port, path, _cookie_header(cookies), form)
    if reply.status != 302:
        raise BenchError(f"signing in as {username} failed (HTTP {reply.status})")
    return _cookie_header(cookies | reply.cookies)


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def start_group(argv: list[str], log: Path, **options) -> subprocess.Popen:
    """Start `argv` as the leader of a new session, output to `log`."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, **options,
        )  # fmt: skip


def stop_group(process: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM to the process's group, SIGKILL to whatever is left of it after `grace` s."""
    group = process.pid
    _signal_group(group, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()  # reaped, the leader no longer keeps the group alive as a zombie
        if not _signal_group(group, 0):
            return
        time.sleep(0.1)
    _signal_group(group, signal.SIGKILL)
    process.wait()


def _signal_group(group: int, signum: int) -> bool:
    """Send `signum` to the group; False when no process of it is left."""
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Server:
    """A server on 127.0.0.1:port, its whole process tree stopped with it."""

    name: str
    argv: list[str]
    port: int
    ready_path: str
    log: Path
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.process = start_group(self.argv, self.log, cwd=self.cwd, env=os.environ | self.env)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)
            self.process = None

    def _wait_ready(self, timeout: float = 90) -> None:
        deadline, last = time.monotonic() + timeout, "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} exited ({self.process.returncode}); see {self.log}")
            try:
                status = fetch(self.port, self.ready_path, timeout=10).status
            except (OSError, http.client.HTTPException) as error:  # not answering yet
                last = str(error)
            else:
                if status == 200:
                    return
                last = f"HTTP {status}"
            time.sleep(0.2)
        raise BenchError(f"{self.name} not ready after {timeout:.0f} s ({last}); see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time its live process tree has used."""
        return sum(_cpu_seconds(pid) for pid in _descendants(self.process.pid, _parents()))

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker: the children of the gunicorn master."""
        parents = _parents()
        tree = _descendants(self.process.pid, parents)
        masters = [
            pid for pid in tree if _is_gunicorn(pid) and not _is_gunicorn(parents.get(pid, 0))
        ]
        workers = (_rss_mb(pid) for pid in tree if parents.get(pid) in masters)
        return [rss for rss in workers if rss is not None]


def busy_seconds() -> float:
    """CPU time all processors have spent busy since boot."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / _TICKS  # less idle and iowait


def own_cpu_seconds() -> float:
    """CPU time of this process and its waited-for children (wrk)."""
    mine, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def _parents() -> dict[int, int]:
    """Each live process's parent (zombies left out: they have no memory to read)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # gone meanwhile
                continue
            state, parent = stat[stat.rindex(")") + 2 :].split()[:2]
            if state not in ("Z", "X"):
                parents[int(entry)] = int(parent)
    return parents


def _descendants(root: int, parents: dict[int, int]) -> set[int]:
    tree, grown = {root}, True
    while grown:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grown = bool(found)
    return tree


def _is_gunicorn(pid: int) -> bool:
    """Runs gunicorn: its program or script (not a shell whose command names it)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(Path(arg.decode(errors="replace")).name == "gunicorn" for arg in argv[:2])


def _rss_mb(pid: int) -> float | None:
    """Resident memory in MB; None for a process that is gone or exiting."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    resident = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(resident[1]) / 1024 if resident else None
