"""Command-line tools: `flask --app coursehub demo`, `backup`, `render-all`."""

from pathlib import Path

import click
from flask import Flask

from coursehub.backup import backup_sqlite
from coursehub.blogs.services import render_all
from coursehub.db import utcnow
from coursehub.demo import DEMO_PASSWORD, PEOPLE, demo_loaded, load_demo
from coursehub.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Load only into a database with no demo course.")
    def demo(if_empty: bool) -> None:
        """Load the demo neuroscience course and print its sign-ins."""
        if demo_loaded():
            if not if_empty:
                raise click.ClickException("The demo course is already loaded.")
            click.echo("The demo course is already loaded.")
        else:
            course = load_demo(utcnow())
            db.session.commit()
            click.echo(f"Loaded the demo course “{course.title}” (join code {course.join_code}).")
        click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, name, role in PEOPLE:
            click.echo(f"  {username:<8} {name} ({role.label.lower()})")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path) -> None:
        """Write a consistent copy of the SQLite database to PATH, while the app runs."""
        if path.exists():
            raise click.ClickException(f"{path} exists; choose a new file.")
        try:
            backup_sqlite(db.engine, path)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Backed up to {path}. Copy {app.config['UPLOAD_FOLDER']} too for images.")

    @app.cli.command("render-all")
    def render_all_command() -> None:
        """Re-render every prompt, post, revision and comment after a rendering change."""
        total = 0
        for done in render_all():
            db.session.commit()
            total = done
        click.echo(f"Re-rendered {total} texts.")
