"""Load runs with wrk (closed loop: each connection sends its next request on an answer)."""

import re
import subprocess
from dataclasses import dataclass

from benchmarks.servers import USER_AGENT, BenchError

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Load:
    """What one wrk run measured; latencies cover completed requests only."""

    requests: int
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    non2xx: int  # wrk counts 4xx and 5xx; a 3xx would pass, so pages are checked first
    socket_errors: int  # connect, read, write and timeout


def run_wrk(url: str, clients: int, seconds: int, timeout: int, cookie: str = "") -> Load:
    """Load `url` from `clients` connections for `seconds`; a request slower than
    `timeout` seconds counts as a socket error instead of a latency."""
    argv = [
        "wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s", "--timeout",
        f"{timeout}s", "--latency", "-H", f"User-Agent: {USER_AGENT}",
    ]  # fmt: skip
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    try:
        done = subprocess.run(
            [*argv, url], capture_output=True, text=True, timeout=seconds + timeout + 30
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"wrk did not finish within {error.timeout:.0f} s") from error
    if done.returncode != 0:
        raise BenchError(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> Load:
    """The figures of wrk's report (with --latency)."""
    requests = re.search(r"^\s*(\d+) requests in ", output, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if requests is None or rps is None:
        raise BenchError(f"unexpected wrk output:\n{output}")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    answered = int(requests[1]) > 0  # else wrk prints zeros for the percentiles
    return Load(
        requests=int(requests[1]),
        rps=float(rps[1]),
        p50_ms=_percentile_ms(output, "50") if answered else None,
        p99_ms=_percentile_ms(output, "99") if answered else None,
        non2xx=int(non2xx[1]) if non2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def _percentile_ms(output: str, percent: str) -> float | None:
    found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    return float(found[1]) * _UNIT_MS[found[2]] if found else None
