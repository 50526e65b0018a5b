"""Health checks for a load balancer: /healthz (alive) and /readyz (can serve)."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from coursehub.extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """The process answers; nothing else is checked."""
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """The database, and Redis when configured, answer; 503 names what does not."""
    checks = {"database": _database_ok()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis_ok(current_app.config["REDIS_URL"])
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return jsonify(body), 200 if ready else 503


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure means not ready; the log has the details
        current_app.logger.exception("readiness: database check failed")
        return False
    finally:
        db.session.rollback()
    return True


def _redis_ok(url: str) -> bool:
    import redis  # only installs that use Redis pay for loading it

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        current_app.logger.exception("readiness: Redis check failed")
        return False
