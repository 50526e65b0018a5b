"""Conditional GET: a page that did not change answers 304 Not Modified, not its bytes.

The ETag is a digest of the page without its CSRF tokens, which are signed afresh on
every render but stay valid for the whole session; the session's own token secret is
part of the digest, so a page is reused only within the session that holds its forms.
"""

import hashlib

from flask import Flask, Response, g, request, session


def register(app: Flask) -> None:
    if app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return  # a kept page's tokens must stay good as long as the session does
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")

    @app.after_request
    def _etag(response: Response) -> Response:
        if (
            request.method != "GET"
            or response.status_code != 200
            or response.mimetype != "text/html"
            or response.direct_passthrough
        ):
            return response
        page = response.get_data()
        # Flask-WTF signs one token per request (kept in g) for all the page's forms.
        if token := g.get(field):
            page = page.replace(token.encode(), b"")
        # SHA-256 has CPU instructions of its own: on a 128 KB page it costs half of BLAKE2.
        digest = hashlib.sha256(page)
        digest.update(str(session.get(field, "")).encode())
        response.set_etag(digest.hexdigest()[:32], weak=True)
        # Browsers keep the page but ask each time; shared caches never keep it.
        response.headers.setdefault("Cache-Control", "private, no-cache")
        return response.make_conditional(request)
