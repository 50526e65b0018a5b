"""Configuration: defaults, then instance/config.py, then COURSEHUB_* variables."""

import os
import stat

from coursehub import create_app


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSEHUB_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    key_file = tmp_path / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_sqlite_in_the_instance_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSEHUB_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'coursehub.sqlite'}"


def test_instance_config_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        'SECRET_KEY = "from-file"\n'
        'DATABASE_URL = "sqlite:///from-file.db"\n'
        "SELF_REGISTRATION = False\n"
    )
    monkeypatch.setenv("COURSEHUB_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("COURSEHUB_DATABASE_URL", "postgresql+psycopg://db.example/coursehub")
    monkeypatch.delenv("COURSEHUB_SECRET_KEY", raising=False)
    app = create_app()
    assert app.instance_path == str(tmp_path)
    assert app.config["SECRET_KEY"] == "from-file"
    assert app.config["SELF_REGISTRATION"] is False
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.example/coursehub"
    assert not (tmp_path / "secret_key").exists()


def test_boolean_settings_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEHUB_SELF_REGISTRATION", "false")
    monkeypatch.setenv("COURSEHUB_REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SELF_REGISTRATION"] is False
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/0"
