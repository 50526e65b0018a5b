"""Command-line tools: `flask --app coursehub demo`."""
from flask import Flask


def register_cli(app: Flask) -> None:
    pass
