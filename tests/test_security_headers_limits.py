"""Security headers on every answer, request ids, and rate limits with a clear 429."""

import pytest

from tests import factories


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/accounts/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script(client, course, chapter, video, instructor):
    client.sign_in("ines")
    for path in ("/", f"/courses/{course.id}", f"/chapters/{chapter.id}", f"/videos/{video.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " on" + "click=" not in page
        assert all('src="/static/' in tag for tag in page.split("<script")[1:])


def test_lms_origins_may_frame_coursehub_when_configured(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "FRAME_ANCESTORS", "'self' https://canvas.example.edu")
    policy = client.get("/accounts/login").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://canvas.example.edu" in policy


def test_session_cookie_is_http_only_and_lax(client, instructor):
    response = client.sign_in("ines")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_behind_https(tmp_path):
    from coursehub import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path), "PREFERRED_URL_SCHEME": "https"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_each_answer_has_a_request_id_shown_on_error_pages(client):
    response = client.get("/nowhere")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32 and request_id in response.get_data(as_text=True)
    forwarded = client.get("/nowhere", headers={"X-Request-ID": "lb-1234abcd"})
    assert forwarded.headers["X-Request-ID"] == "lb-1234abcd"
    bogus = client.get("/nowhere", headers={"X-Request-ID": "<script>"})
    assert bogus.headers["X-Request-ID"] != "<script>"


def test_sign_in_is_limited_per_account_with_a_clear_429(app, client, instructor, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN", "3 per minute")
    for _ in range(3):
        client.submit("/accounts/login", {"username": "ines", "password": "wrong guess"})
    blocked = client.submit("/accounts/login", {"username": "ines", "password": "wrong guess"})
    assert blocked.status_code == 429
    assert "Too many requests" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    other = client.submit("/accounts/login", {"username": "someone", "password": "x"})
    assert other.status_code == 200, "another account from the same address is not blocked"


def test_api_token_creation_is_limited_with_a_json_429(app, client, instructor, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN", "2 per minute")
    body = {"username": "ines", "password": "wrong guess"}
    statuses = [client.post("/api/v1/auth/token", json=body).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    blocked = client.post("/api/v1/auth/token", json=body)
    assert blocked.get_json()["error"]["code"] == "rate_limited"
    assert "Retry-After" in blocked.headers


def test_commenting_is_limited_per_user(app, client, chapter, student, other_student, monkeypatch):
    post = factories.post(student, factories.assignment(chapter))
    monkeypatch.setitem(app.config, "RATELIMIT_COMMENTING", "2 per minute")
    client.sign_in("omar")
    statuses = [
        client.submit(f"/posts/{post.id}/comments", {"body": f"Comment number {n}."}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    token = factories.token(student)
    api = client.post(
        f"/api/v1/posts/{post.id}/comments", json={"body": "From the author."},
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert api.status_code == 201, "another user keeps their own allowance"


@pytest.mark.parametrize("setting", ["REGISTER"])
def test_registration_is_limited(app, client, monkeypatch, setting):
    monkeypatch.setitem(app.config, f"RATELIMIT_{setting}", "1 per hour")
    first = {"username": "amy1", "display_name": "A", "email": "a1@example.org",
             "password": "long enough pw", "confirm": "long enough pw"}  # fmt: skip
    assert client.submit("/accounts/register", first).status_code == 302
    client.submit("/accounts/logout")
    second = {**first, "username": "amy2", "email": "a2@example.org"}
    assert client.submit("/accounts/register", second).status_code == 429


def test_uploaded_images_are_served_sandboxed_and_never_sniffed(client, course, student):
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    client.sign_in("sofia")
    uploaded = client.post(
        f"/courses/{course.id}/uploads",
        data={"csrf_token": client.csrf_token(), "image": (io.BytesIO(png.getvalue()), "a.png")},
        headers={"Accept": "application/json"},
    )
    image = client.get(uploaded.get_json()["url"])
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
