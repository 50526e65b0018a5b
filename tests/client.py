"""Using CourseHub as a browser does: a page's CSRF token, a signed-in test client.

Shared by the tests, the load tests and the benchmarks.
"""

import re

from flask.testing import FlaskClient

from coursehub.extensions import db
from tests.factories import PASSWORD

_CSRF = (
    re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"'),
    re.compile(r'value="([^"]+)"[^>]*?name="csrf_token"'),
)


def csrf_token(page: str) -> str:
    """The CSRF token of the first form on the page."""
    for pattern in _CSRF:
        if match := pattern.search(page):
            return match[1]
    raise LookupError("no CSRF token on the page")


class Client(FlaskClient):
    """A test client that fills in the CSRF token a browser would have from the page.

    Each request runs in an app context of its own, as in production, so `g` and the
    database session are not shared with the caller; the caller's transaction ends
    afterwards (a fresh snapshot) so that it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()
        return response

    def csrf_token(self) -> str:
        return csrf_token(self.get("/accounts/login", follow_redirects=True).get_data(as_text=True))

    def submit(self, url: str, data: dict | None = None, **kwargs):
        """POST a form as the browser would, CSRF token included."""
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)

    def sign_in(self, username: str, password: str = PASSWORD):
        response = self.submit("/accounts/login", {"username": username, "password": password})
        assert response.status_code == 302, f"signing in as {username} failed"
        return response
