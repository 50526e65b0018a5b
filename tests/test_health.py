"""Health checks a load balancer polls, and trust in the proxy in front."""

import pytest
from flask import request

from coursehub import create_app


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": True}


def test_readyz_is_503_when_redis_is_unreachable(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "checks": {"database": True, "redis": False},
    }


@pytest.mark.parametrize("proxied", [False, True])
def test_proxy_headers_are_trusted_only_when_configured(tmp_path, proxied):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "PROXY_FIX": proxied})
    seen = {}

    @app.before_request
    def remember_scheme() -> None:
        seen["scheme"] = request.scheme

    app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert seen["scheme"] == ("https" if proxied else "http")
