"""The ceiling: a bare Flask app answering every GET with the same bytes.

Served like CourseHub, so the difference is CourseHub's own work per request:

    CEILING_BODY_FILE=page.html .venv/bin/gunicorn --workers 2 "benchmarks.ceiling_app:create_app()"
"""

import os
from pathlib import Path

from flask import Flask, Response


def create_app() -> Flask:
    """The app, with the body read once from the file $CEILING_BODY_FILE names."""
    body = Path(os.environ["CEILING_BODY_FILE"]).read_bytes()
    app = Flask(__name__)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def page(path: str) -> Response:
        return Response(body, mimetype="text/html")

    return app
