"""API: registration, tokens, authentication and the shape of refusals."""

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import ApiToken, User
from coursehub.extensions import db
from tests import factories

NEW_USER = {
    "username": "Maya.K",
    "email": "Maya@Example.org",
    "password": "a long enough password",
    "display_name": "Maya Kowalski",
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_answers_the_new_account(client):
    response = client.post("/api/v1/users", json=NEW_USER)

    assert response.status_code == 201
    body = response.get_json()
    assert body == {
        "id": body["id"],
        "username": "Maya.K",
        "display_name": "Maya Kowalski",
        "email": "maya@example.org",
        "is_admin": False,
    }


def test_registered_user_can_get_a_token_and_see_themselves(client):
    client.post("/api/v1/users", json=NEW_USER)

    token = client.post(
        "/api/v1/auth/token", json={"username": "maya.k", "password": NEW_USER["password"]}
    )
    me = client.get("/api/v1/users/me", headers=bearer(token.get_json()["token"]))

    assert token.status_code == 201
    assert token.get_json()["user"]["username"] == "Maya.K"
    assert me.status_code == 200
    assert me.get_json()["email"] == "maya@example.org"


def test_register_without_display_name_uses_the_username(client):
    body = {key: value for key, value in NEW_USER.items() if key != "display_name"}

    response = client.post("/api/v1/users", json=body)

    assert response.status_code == 201
    assert response.get_json()["display_name"] == "Maya.K"


def test_password_is_kept_exactly_as_typed(client):
    client.post("/api/v1/users", json={**NEW_USER, "password": "  spaces around  "})

    trimmed = client.post(
        "/api/v1/auth/token", json={"username": "Maya.K", "password": "spaces around"}
    )
    exact = client.post(
        "/api/v1/auth/token", json={"username": "Maya.K", "password": "  spaces around  "}
    )

    assert trimmed.status_code == 401
    assert exact.status_code == 201


@pytest.mark.parametrize(
    "change, field",
    [
        ({"username": "MAYA.k", "email": "other@example.org"}, "username"),
        ({"username": "someone_else", "email": "maya@EXAMPLE.org"}, "email"),
    ],
)
def test_register_refuses_a_taken_username_or_email(client, change, field):
    client.post("/api/v1/users", json=NEW_USER)

    response = client.post("/api/v1/users", json={**NEW_USER, **change})

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert field in error["message"]
    assert user_count() == 1


def test_register_is_404_when_self_registration_is_off(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SELF_REGISTRATION", False)

    response = client.post("/api/v1/users", json=NEW_USER)

    assert response.status_code == 404
    assert user_count() == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"username": ""}, "username"),
        ({"username": "ab"}, "username"),
        ({"username": "x" * 41}, "username"),
        ({"username": "no spaces allowed"}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "   "}, "email"),
        ({"password": "short"}, "password"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"username": "bad\u0000name"}, "username"),
    ],
)
def test_register_refuses_invalid_values_with_fields(client, change, field):
    response = client.post("/api/v1/users", json={**NEW_USER, **change})

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation"
    assert list(error["fields"]) == [field]
    assert user_count() == 0


def test_register_reports_every_missing_field(client):
    response = client.post("/api/v1/users", json={"display_name": "Nobody"})

    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"username", "email", "password"}
    assert fields["username"] == ["This field is required."]


def test_username_pattern_message_explains_the_rule(client):
    response = client.post("/api/v1/users", json={**NEW_USER, "username": "-dash-first"})

    message = response.get_json()["error"]["fields"]["username"][0]
    assert "letters, digits" in message.lower()


@pytest.mark.parametrize(
    "data",
    ['{"username": "maya"', "not json at all", "", "[1, 2]", '"a string"', "null"],
)
def test_malformed_or_non_object_body_is_400(client, data):
    response = client.post("/api/v1/users", data=data, content_type="application/json")

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert error["fields"] == {}


def test_body_without_json_content_type_is_400(client):
    response = client.post("/api/v1/users", data={"username": "maya"})

    assert response.status_code == 400
    assert "application/json" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"username": 12345}, "username"),
        ({"password": None}, "password"),
        ({"email": ["maya@example.org"]}, "email"),
        ({"display_name": True}, "display_name"),
    ],
)
def test_wrong_json_type_is_400_naming_the_field(client, change, field):
    response = client.post("/api/v1/users", json={**NEW_USER, **change})

    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(f"{field} must be a string")
    assert user_count() == 0


def test_unknown_fields_are_ignored(client):
    response = client.post("/api/v1/users", json={**NEW_USER, "favourite_colour": "teal"})

    assert response.status_code == 201
    assert "favourite_colour" not in response.get_json()


def test_token_refusal_does_not_tell_unknown_user_from_wrong_password(client, student):
    wrong_password = client.post(
        "/api/v1/auth/token", json={"username": "sofia", "password": "not it at all"}
    )
    unknown_user = client.post(
        "/api/v1/auth/token", json={"username": "nobody", "password": "not it at all"}
    )

    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.get_json() == unknown_user.get_json()
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_token_request_with_empty_password_is_422(client, student):
    response = client.post("/api/v1/auth/token", json={"username": "sofia", "password": ""})

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["password"]


def test_revoked_token_no_longer_authenticates_but_others_do(client, student):
    revoked, kept = factories.token(student), factories.token(student)

    response = client.delete("/api/v1/auth/token", headers=bearer(revoked))

    assert response.status_code == 204
    assert response.get_data() == b""
    assert client.get("/api/v1/users/me", headers=bearer(revoked)).status_code == 401
    assert client.get("/api/v1/users/me", headers=bearer(kept)).status_code == 200


def test_me_answers_the_token_owner(client, student, admin):
    response = client.get("/api/v1/users/me", headers=bearer(factories.token(admin)))

    assert response.get_json() == {
        "id": admin.id,
        "username": "ada",
        "display_name": "Ada Admin",
        "email": "ada@example.org",
        "is_admin": True,
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("made-up-token"),
        {"Authorization": "Bearer"},
        {"Authorization": "Basic c29maWE6cGFzc3dvcmQ="},
        {"Authorization": "Token abc"},
    ],
)
def test_missing_or_bad_token_is_401(client, student, headers):
    response = client.get("/api/v1/users/me", headers=headers)

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoking_without_a_token_is_401(client):
    assert client.delete("/api/v1/auth/token").status_code == 401


def test_session_cookie_does_not_authenticate_the_api(client, student):
    client.sign_in("sofia")

    me = client.get("/api/v1/users/me")
    create = client.post("/api/v1/courses", json={"code": "X 1", "title": "Cookie course"})

    assert me.status_code == 401
    assert create.status_code == 401


def test_wrong_method_is_405_with_json_error(client, student):
    response = client.put("/api/v1/users/me", headers=bearer(factories.token(student)))

    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_unknown_api_path_is_404_with_json_error(client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
