"""CourseHub: course chapters, lecture videos, student blogs and peer discussion."""

import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from coursehub.config import Config
from coursehub.extensions import cache, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then COURSEHUB_* variables."""
    app = Flask(
        __name__,
        instance_path=_instance_path(test_config),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_object(Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("COURSEHUB")
    if test_config:
        app.config.update(test_config)
    _finish_config(app)
    if app.config["PROXY_FIX"]:
        # Behind a reverse proxy: trust its X-Forwarded-* headers for scheme, host, client.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)

    from coursehub import (  # noqa: F401
        api,
        conditional,
        errors,
        models,
        permissions,
        security,
        templating,
    )
    from coursehub.accounts.views import bp as accounts_bp
    from coursehub.audit.views import bp as audit_bp
    from coursehub.blogs.views import bp as blogs_bp
    from coursehub.cli import register_cli
    from coursehub.courses.views import bp as courses_bp
    from coursehub.health import bp as health_bp
    from coursehub.participation.views import bp as participation_bp
    from coursehub.urls import IdConverter

    app.url_map.converters["id"] = IdConverter
    app.register_blueprint(accounts_bp)
    app.register_blueprint(courses_bp)
    app.register_blueprint(blogs_bp)
    app.register_blueprint(participation_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # the API authenticates with bearer tokens, never the cookie
    security.register(app)
    conditional.register(app)
    errors.register(app)
    permissions.register(app)
    templating.register(app)
    register_cli(app)
    return app


def _instance_path(test_config: dict[str, Any] | None) -> str:
    configured = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "COURSEHUB_INSTANCE_PATH"
    )
    return str(Path(configured).resolve() if configured else PROJECT_ROOT / "instance")


def _finish_config(app: Flask) -> None:
    """Derive settings that depend on others, and make the instance folder usable."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get("DATABASE_URL") or (
            f"sqlite:///{instance / 'coursehub.sqlite'}"
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file cannot drop a connection: no ping before each request's statements.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"], pool_pre_ping=False)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Day boundaries in SQL (charts) are UTC days, whatever the server's zone.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("connect_args", {"options": "-c timezone=UTC"})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    if not app.config["CACHE_TYPE"]:
        app.config["CACHE_TYPE"] = "RedisCache" if redis_url else "SimpleCache"
    if not app.config.get("CACHE_REDIS_URL"):
        app.config["CACHE_REDIS_URL"] = redis_url
    if app.config["CACHE_TYPE"] == "RedisCache":
        # A Redis that hangs must not hang the pages: give up on it within a quarter second.
        timeouts = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
        app.config.setdefault("CACHE_OPTIONS", timeouts)
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    app.config["UPLOAD_FOLDER"] = app.config.get("UPLOAD_FOLDER") or str(instance / "uploads")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    if not app.config["CACHE_KEY_PREFIX"]:
        # From the secret key: the same on every host of an install, unlike any other's.
        tag = hmac.new(app.config["SECRET_KEY"].encode(), b"cache", "sha256").hexdigest()[:12]
        app.config["CACHE_KEY_PREFIX"] = f"coursehub-{tag}:"


def _instance_secret(path: Path) -> str:
    """Read the instance's secret key, creating it (owner-only) on first run."""
    if not path.exists():
        key = secrets.token_hex(32)
        try:
            with open(path, "x", opener=lambda p, flags: os.open(p, flags, 0o600)) as f:
                f.write(key)
        except FileExistsError:  # another process won the race; use its key
            pass
    return path.read_text().strip()
