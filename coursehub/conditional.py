"""Conditional GET: a page that did not change answers 304 Not Modified, not its bytes.

The ETag is a digest of the page without its CSRF tokens, which are signed afresh on
every render but stay valid for the whole session; the session's own token secret is
part of the digest, so a page is reused only within the session that holds its forms.
"""

import hashlib
import re

from flask import Flask, Response, request, session


def register(app: Flask) -> None:
    if app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return  # a kept page's tokens must stay good as long as the session does
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = re.compile(rb'<input[^>]*\bname="' + re.escape(field).encode() + rb'"[^>]*>')

    @app.after_request
    def _etag(response: Response) -> Response:
        if (
            request.method != "GET"
            or response.status_code != 200
            or response.mimetype != "text/html"
            or response.direct_passthrough
        ):
            return response
        # SHA-256 has CPU instructions of its own: on a 128 KB page it costs half of BLAKE2.
        digest = hashlib.sha256(token.sub(b"", response.get_data()))
        digest.update(str(session.get(field, "")).encode())
        response.set_etag(digest.hexdigest()[:32], weak=True)
        # Browsers keep the page but ask each time; shared caches never keep it.
        response.headers.setdefault("Cache-Control", "private, no-cache")
        return response.make_conditional(request)
