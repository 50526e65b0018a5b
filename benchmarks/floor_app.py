"""The signed-in floor: CourseHub answering with the post page's bytes and no page work.

Every request goes through what any signed-in CourseHub page pays for (the session
cookie, Flask-Login loading the user, the security headers, the ETag), then returns the
bytes of the post page as the ceiling does. The post page's own work is what separates
the two:

    CEILING_BODY_FILE=page.html .venv/bin/gunicorn --workers 2 "benchmarks.floor_app:create_app()"
"""

import os
from pathlib import Path

from flask import Flask, Response
from flask_login import login_required

from coursehub import create_app as create_coursehub

PATH = "/bench/floor"


def create_app() -> Flask:
    """CourseHub as configured (COURSEHUB_*), with one more route at PATH."""
    body = Path(os.environ["CEILING_BODY_FILE"]).read_bytes()
    app = create_coursehub()

    @app.get(PATH)
    @login_required
    def floor() -> Response:
        return Response(body, mimetype="text/html")

    return app
