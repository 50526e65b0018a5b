"""Load and faults against real gunicorn instances on 127.0.0.1.

PostgreSQL + Redis (when COURSEHUB_TEST_DATABASE_URL and COURSEHUB_TEST_REDIS_URL are
set): instances A and B with two workers each; 32 students sign in on one and continue
on the other, write 50 posts and 1,000 comments over both; one worker of A is killed
with SIGKILL, later the whole of B. SQLite (otherwise): one instance of four workers,
the same run, one worker killed. Afterwards the database must hold every acknowledged
write, nothing half-written, and nothing that was not an unanswered attempt; no request
got a 5xx; the survivors kept serving. Select with `-m load`.
"""

import os

import pytest
from sqlalchemy import create_engine, text

from tests.client import csrf_token
from tests.load import harness
from tests.load.harness import Browser, Fault, LoadRun, Traffic

pytestmark = pytest.mark.load

ON_POSTGRESQL = bool(os.environ.get("COURSEHUB_TEST_DATABASE_URL"))
needs_postgresql = pytest.mark.skipif(
    not (ON_POSTGRESQL and os.environ.get("COURSEHUB_TEST_REDIS_URL")),
    reason="set COURSEHUB_TEST_DATABASE_URL and COURSEHUB_TEST_REDIS_URL for the scale-out run",
)
needs_sqlite = pytest.mark.skipif(
    ON_POSTGRESQL, reason="the PostgreSQL pass runs the two-instance scenario instead"
)


@needs_postgresql
def test_sign_in_limit_holds_across_instances_through_redis(pg_cluster):
    """20 per minute: twenty attempts alternating over A and B are answered on their
    merits, the 21st is refused on A and the 22nd on B."""
    pg_cluster.ensure_running()
    a, b = pg_cluster.instances
    seeded = pg_cluster.seeded
    traffic = Traffic()
    seen = []
    for attempt in range(22):
        instance = (a, b)[attempt % 2]
        browser = Browser(traffic)
        page = browser.send(instance.port, "GET", "/accounts/login")
        password = seeded["password"] if attempt % 2 == 0 else "not the password"
        form = {"username": seeded["rate_limited"], "password": password}
        answer = browser.send(
            instance.port, "POST", "/accounts/login", {**form, "csrf_token": csrf_token(page.body)}
        )
        seen.append((instance.name, answer.status))
    harness.report(
        "Sign-in limit across instances (PostgreSQL + Redis, 20 per minute)",
        [" ".join(f"{name}:{status}" for name, status in seen)],
    )
    expected = [("AB"[n % 2], 302 if n % 2 == 0 else 200) for n in range(20)]
    assert seen == [*expected, ("A", 429), ("B", 429)]


@needs_postgresql
def test_two_instances_on_postgresql_and_redis_keep_every_write_through_kills(pg_cluster):
    pg_cluster.ensure_running()
    a, b = pg_cluster.instances
    killed: list[int] = []

    def kill_worker_of_a() -> str:
        killed.append(a.kill_worker())
        return f"kill -9 of worker {killed[0]} of A"

    def kill_b() -> str:
        pids = [b.process.pid, *b.worker_pids()]
        b.kill()
        return f"kill -9 of instance B (master and workers: {pids})"

    run = LoadRun(
        [a, b],
        pg_cluster.seeded,
        faults=[Fault(0.25, "worker of A", kill_worker_of_a), Fault(0.6, "B", kill_b)],
    )
    outcome = run.run()
    failures = _verify(
        "PostgreSQL + Redis: instances A and B, 2 workers each", run, outcome, pg_cluster, a
    )
    if killed and not a.workers_restored(killed[0]):
        failures.append(f"A did not replace worker {killed[0]}: {a.worker_pids()}")
    assert not failures, "\n".join(failures)


@needs_sqlite
def test_one_sqlite_instance_of_four_workers_keeps_every_write_through_a_kill(sqlite_server):
    sqlite_server.ensure_running()
    (server,) = sqlite_server.instances
    killed: list[int] = []

    def kill_worker() -> str:
        killed.append(server.kill_worker())
        return f"kill -9 of worker {killed[0]}"

    run = LoadRun([server], sqlite_server.seeded, faults=[Fault(0.4, "worker", kill_worker)])
    outcome = run.run()
    failures = _verify("SQLite: one instance, 4 workers", run, outcome, sqlite_server, server)
    if killed and not server.workers_restored(killed[0]):
        failures.append(f"the master did not replace worker {killed[0]}: {server.worker_pids()}")
    assert not failures, "\n".join(failures)


@needs_postgresql
def test_get_throughput_of_one_instance_with_two_workers(pg_cluster):
    _throughput("GET burst: one instance, 2 workers, PostgreSQL", pg_cluster, 0)


@needs_sqlite
def test_get_throughput_of_one_sqlite_instance_with_four_workers(sqlite_server):
    _throughput("GET burst: one instance, 4 workers, SQLite", sqlite_server, 0)


# --- Redis unreachable ------------------------------------------------------------------


@pytest.fixture(scope="module")
def redisless(request):
    """One more instance (one worker) on the scenario's database whose Redis URL points
    at a loopback port where nothing listens: Redis is down."""
    cluster = request.getfixturevalue("pg_cluster" if ON_POSTGRESQL else "sqlite_server")
    model = cluster.instances[0]
    env = {**model.env, "COURSEHUB_REDIS_URL": f"redis://{harness.HOST}:{harness.free_port()}/0"}
    if ON_POSTGRESQL:
        env["COURSEHUB_INSTANCE_PATH"] += "-redisless"
    instance = harness.Instance("R", 1, env, model.log_path.parent)
    try:
        instance.start(ready_path="/healthz")
        yield instance, cluster
    finally:
        instance.kill()


needs_scenario = pytest.mark.skipif(
    ON_POSTGRESQL and not os.environ.get("COURSEHUB_TEST_REDIS_URL"),
    reason="set COURSEHUB_TEST_REDIS_URL for the scale-out run",
)


@needs_scenario
def test_without_redis_an_instance_is_alive_but_not_ready(redisless):
    instance, _ = redisless
    assert harness.probe(instance.port, "/healthz") == 200
    assert harness.probe(instance.port, "/readyz") == 503


@needs_scenario
def test_without_redis_signing_in_and_commenting_are_not_server_errors(redisless):
    instance, cluster = redisless
    seeded = cluster.seeded
    credentials = {"username": seeded["students"][0], "password": seeded["password"]}
    seen = {}
    browser = Browser(Traffic())
    page = browser.send(instance.port, "GET", "/accounts/login")
    assert page.status == 200
    answer = browser.send(
        instance.port, "POST", "/accounts/login",
        {**credentials, "csrf_token": csrf_token(page.body)},
    )  # fmt: skip
    seen["sign-in"] = answer.status
    # Signed in where Redis is up (the scenario's own instance), continuing on R: a
    # comment on a post that does not exist should be a 404, and stores nothing.
    healthy = cluster.instances[0]
    if not healthy.running:
        healthy.start()
    browser = Browser(Traffic())
    page = browser.send(healthy.port, "GET", "/accounts/login")
    answer = browser.send(
        healthy.port, "POST", "/accounts/login",
        {**credentials, "csrf_token": csrf_token(page.body)},
    )  # fmt: skip
    assert answer.status == 302
    page = browser.send(instance.port, "GET", f"/assignments/{seeded['assignment_ids'][0]}/write")
    assert page.status == 200
    answer = browser.send(
        instance.port, "POST", "/posts/999999999/comments",
        {"body": "Is anyone there?", "parent_id": "", "csrf_token": csrf_token(page.body)},
    )  # fmt: skip
    seen["comment"] = answer.status
    assert all(status < 500 for status in seen.values()), f"while Redis was down: {seen}"


def _verify(title: str, run: LoadRun, outcome, cluster, survivor: harness.Instance) -> list[str]:
    """Report the figures; return every broken promise."""
    stored = harness.stored_writes(cluster.database_url)
    traffic = run.traffic
    failures = [*outcome.problems]
    failures += traffic.server_errors
    failures += [f"rejected: {line}" for line in outcome.rejected]
    mismatches = harness.compare(outcome, stored)
    failures += mismatches
    failures += [f"stored twice: {mark}" for mark in stored.duplicates]
    failures += [f"half-written: {line}" for line in stored.half_written]
    failures += [f"not written by the run: {line}" for line in stored.unmarked]
    if len(outcome.acked_posts) != run.posts or len(outcome.acked_comments) != run.comments:
        failures.append(
            f"acknowledged {len(outcome.acked_posts)} posts and "
            f"{len(outcome.acked_comments)} comments, not {run.posts} and {run.comments}"
        )
    for fault in run.faults:
        if fault.done_at is None or fault.detail.startswith("FAILED"):
            failures.append(f"fault {fault.label} did not happen: {fault.detail}")
        elif not traffic.ok_after(fault.done_at, survivor.port):
            failures.append(f"{survivor.name} answered nothing after the fault {fault.label}")
    try:
        ready = harness.probe(survivor.port, "/readyz")
    except OSError as error:
        ready = repr(error)
    if ready != 200:
        failures.append(f"{survivor.name} /readyz after the run: {ready}")

    for instance in cluster.instances:
        failures += [f"{instance.name} logged: {line}" for line in instance.tracebacks()]

    unanswered_stored = {
        mark for mark in outcome.unanswered if mark in stored.posts or mark in stored.comments
    }
    answered = sum(traffic.statuses.values())
    names = {instance.port: instance.name for instance in cluster.instances}
    by_instance = ", ".join(
        f"{names.get(port, port)}: {count}" for port, count in traffic.redirected_posts.items()
    )
    unanswered = [
        f"{count} {'refused' if refused else 'cut off'} on {names.get(port, port)}"
        for (port, refused), count in sorted(traffic.unanswered_by.items())
    ]
    lines = [
        f"requests: {traffic.requests} ({answered} answered, {traffic.unanswered} unanswered: "
        + (", ".join(unanswered) or "none")
        + ")",
        "statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(traffic.statuses.items())),
        f"5xx: {len(traffic.server_errors)}",
        "POSTs answered 302 (sign-ins and writes) by instance: " + by_instance,
        f"posts: {len(outcome.acked_posts)} acknowledged, {len(stored.posts)} stored",
        f"comments: {len(outcome.acked_comments)} acknowledged, {len(stored.comments)} stored",
        f"writes with no answer: {len(outcome.unanswered)} (retried), of which stored: "
        f"{len(unanswered_stored)}",
        f"acknowledged but missing: {sum('is not stored' in m for m in mismatches)}, "
        f"stored but neither acknowledged nor unanswered: {sum('never' in m for m in mismatches)}, "
        f"half-written: {len(stored.half_written)}",
    ]
    for fault in run.faults:
        if fault.done_at is not None:
            after = traffic.ok_after(fault.done_at, survivor.port)
            lines.append(
                f"at {fault.done_at - run.started:.1f}s: {fault.detail}; "
                f"{survivor.name} then answered {after} requests with 2xx/3xx"
            )
    lines.append(
        f"time: {outcome.elapsed:.1f}s ({traffic.requests / outcome.elapsed:.0f} requests/s)"
    )
    harness.report(title, lines)
    for instance in cluster.instances:
        if failures:
            print(f"--- log of {instance.name}\n{instance.log_tail()}")
    return failures


def _throughput(title: str, cluster, index: int) -> None:
    """Closed-loop GETs from 8 threads: the health check, then a signed-in post page
    with its comment thread (the busiest post after the load run, if there was one)."""
    instance = cluster.instances[index]
    if not instance.running:
        instance.start()
    seeded = cluster.seeded
    browser = Browser(Traffic())
    page = browser.send(instance.port, "GET", "/accounts/login")
    answer = browser.send(
        instance.port, "POST", "/accounts/login",
        {"username": seeded["students"][0], "password": seeded["password"],
         "csrf_token": csrf_token(page.body)},
    )  # fmt: skip
    assert answer.status == 302
    engine = create_engine(cluster.database_url)
    try:
        with engine.connect() as conn:
            busiest = conn.execute(
                text(
                    "SELECT post_id, count(*) AS n FROM comments GROUP BY post_id"
                    " ORDER BY n DESC, post_id LIMIT 1"
                )
            ).first()
    finally:
        engine.dispose()
    pages = [("/healthz", "/healthz")]
    if busiest is not None:
        pages.append((f"/posts/{busiest.post_id}", f"post page with {busiest.n} comments"))
    else:
        pages.append((f"/courses/{seeded['course_id']}", "course page"))
    lines, failures = [], 0
    for path, label in pages:
        count, rate, p50, p99, failed = harness.burst(
            instance.port, path, browser.cookies, concurrency=8, seconds=4.0
        )
        failures += failed
        lines.append(
            f"{label}: {count} requests, {rate:.0f} requests/s, p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms, {failed} failed (8 concurrent clients, 4 s)"
        )
    harness.report(title, lines)
    assert failures == 0
