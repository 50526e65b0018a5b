"""The signed-in floors: CourseHub answering with the post page's bytes, doing no page
work or only the post page's access check.

Every request goes through what any signed-in CourseHub page pays for (the session
cookie, Flask-Login loading the user, the security headers, the ETag), then returns the
bytes of the post page as the ceiling does. At PATH that is all; at ACCESS_PATH the
request first decides, as the post page does, whether the reader may see the post: the
most the post page could reach if rendering it cost nothing, a whole-page cache included.

    CEILING_BODY_FILE=page.html .venv/bin/gunicorn --workers 2 "benchmarks.floor_app:create_app()"
"""

import os
from pathlib import Path

from flask import Flask, Response, abort
from flask_login import current_user, login_required

from coursehub import create_app as create_coursehub
from coursehub import permissions
from coursehub.blogs import queries

PATH = "/bench/floor"
ACCESS_PATH = "/bench/floor/posts/{post_id}"


def create_app() -> Flask:
    """CourseHub as configured (COURSEHUB_*), with two more routes."""
    body = Path(os.environ["CEILING_BODY_FILE"]).read_bytes()
    app = create_coursehub()

    @app.get(PATH)
    @login_required
    def floor() -> Response:
        return Response(body, mimetype="text/html")

    @app.get(ACCESS_PATH.replace("{post_id}", "<int:post_id>"))
    @login_required
    def access_floor(post_id: int) -> Response:
        post, membership, published = queries.post_for_member(current_user, post_id)
        if not permissions.can_view_post(membership, post, published):
            abort(404)
        return Response(body, mimetype="text/html")

    return app
