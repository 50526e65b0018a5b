"""Every error a user can meet has a page and a JSON body; none shows internals."""

import os
import subprocess
import sys
import textwrap

import pytest

from coursehub.courses import queries
from tests import factories

JSON = "application/json"
BIG = "x" * (9 << 20)  # over MAX_CONTENT_LENGTH


@pytest.mark.parametrize(
    ("status", "path", "method", "kwargs"),
    [
        (400, "/api/v1/auth/token", "post", {"data": "{not json", "content_type": JSON}),
        (401, "/api/v1/users/me", "get", {}),
        (404, "/api/v1/courses/424242", "get", {"auth": True}),
        (405, "/api/v1/users/me", "delete", {"auth": True}),
        (413, "/api/v1/courses", "post", {"auth": True, "data": BIG, "content_type": JSON}),
        (422, "/api/v1/courses", "post", {"auth": True, "json": {"code": "", "title": "T"}}),
    ],
)  # fmt: skip
def test_api_errors_answer_json_with_the_contract_shape(
    client, instructor, status, path, method, kwargs
):
    if kwargs.pop("auth", False):
        kwargs["headers"] = {"Authorization": f"Bearer {factories.token(instructor)}"}
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["status"] == status and error["code"] and error["message"]
    assert set(error) == {"status", "code", "message", "fields"}


def test_api_forbidden_is_json_403(client, course, student):
    response = client.patch(
        f"/api/v1/courses/{course.id}", json={"title": "Mine now"},
        headers={"Authorization": f"Bearer {factories.token(student)}"},
    )  # fmt: skip
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def test_unexpected_failures_are_a_500_without_internals_and_logged_with_the_id(
    app, client, instructor, monkeypatch, caplog
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(queries, "memberships_of", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    client.sign_in("ines")
    page = client.get("/")
    api = client.get(
        "/api/v1/courses", headers={"Authorization": f"Bearer {factories.token(instructor)}"}
    )
    for response in (page, api):
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "internals" not in body and "Traceback" not in body and "SELECT" not in body
    assert api.get_json()["error"]["code"] == "internal_error"
    assert page.headers["X-Request-ID"] in page.get_data(as_text=True)
    assert any(
        "SELECT secret" in record.getMessage() or record.exc_info for record in caplog.records
    )


@pytest.mark.skipif(
    not os.environ.get("COURSEHUB_TEST_REDIS_URL"),
    reason="set COURSEHUB_TEST_REDIS_URL to test Redis",
)
def test_rate_limits_hold_across_processes_through_redis(tmp_path):
    """Two separate processes, one Redis: the fourth attempt is refused wherever it lands."""
    import redis

    url = os.environ["COURSEHUB_TEST_REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    script = textwrap.dedent(
        """
        import sys
        from flask_migrate import upgrade
        from coursehub import PROJECT_ROOT, create_app
        app = create_app({"INSTANCE_PATH": sys.argv[1], "REDIS_URL": sys.argv[2],
                          "RATELIMIT_SIGN_IN": "3 per minute", "SECRET_KEY": "x",
                          "WTF_CSRF_ENABLED": False})
        with app.app_context():
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
        client = app.test_client()
        for _ in range(int(sys.argv[3])):
            r = client.post("/accounts/login", data={"username": "ines", "password": "guess"})
            print(r.status_code)
        """
    )

    def attempts(instance: str, count: int) -> list[int]:
        done = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / instance), url, str(count)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return [int(line) for line in done.stdout.split()]

    assert attempts("one", 2) == [200, 200]
    assert attempts("two", 2) == [200, 429]
