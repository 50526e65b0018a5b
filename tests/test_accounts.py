"""Accounts as a person uses them: register, sign in and out, change password."""

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import User
from coursehub.extensions import db
from tests import factories


def register(client, **overrides):
    data = {
        "username": "newbie",
        "display_name": "New Person",
        "email": "newbie@example.org",
        "password": "long enough pw",
        "confirm": "long enough pw",
        **overrides,
    }
    return client.submit("/accounts/register", data)


def test_register_signs_in_and_lands_on_my_courses(client):
    response = register(client)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "New Person" in page and "You are not in any course yet" in page


def test_username_is_unique_ignoring_case(client, instructor):
    response = register(client, username="INES", email="other@example.org")
    assert response.status_code == 200
    assert "That username is taken." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "x" * 41}, "between 3 and 40 characters"),
        ({"username": "bad name!"}, "Use letters, digits"),
        ({"email": "not-an-email"}, "Enter an email address"),
        ({"password": "short", "confirm": "short"}, "Use at least 8 characters"),
        ({"confirm": "something else"}, "The passwords do not match."),
        ({"display_name": "y" * 81}, "longer than 80 characters"),
    ],
)
def test_register_rejects_bad_input_with_a_message(client, overrides, message):
    response = register(client, **overrides)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_duplicate_email_is_refused(client, instructor):
    response = register(client, email="INES@example.org")
    assert "An account with that email already exists." in response.get_data(as_text=True)


def test_forms_refuse_posts_without_csrf_token(client):
    response = client.post(
        "/accounts/register",
        data={
            "username": "newbie",
            "display_name": "N",
            "email": "n@example.org",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
    )
    assert response.status_code == 400
    assert "This form expired" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize(
    ("origin", "kept"), [("http://localhost", True), ("https://evil.example", False), (None, False)]
)
def test_an_expired_form_hands_back_what_was_written_on_our_own_pages(
    client, chapter, student, other_student, origin, kept
):
    post = factories.post(student, factories.assignment(chapter))
    client.sign_in("omar")
    headers = {"Origin": origin} if origin else {}
    response = client.post(
        f"/posts/{post.id}/comments",
        data={"csrf_token": "stale", "body": "A long thought <b>worth</b> keeping."},
        headers=headers,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "This form expired" in page
    shown = "A long thought &lt;b&gt;worth&lt;/b&gt; keeping.</textarea>" in page
    assert shown is kept


def test_sign_in_with_wrong_password_or_unknown_user_looks_the_same(client, instructor):
    wrong = client.submit("/accounts/login", {"username": "ines", "password": "nope nope"})
    unknown = client.submit("/accounts/login", {"username": "nobody", "password": "nope nope"})
    message = "That username and password do not match an account."
    assert wrong.status_code == unknown.status_code == 200
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_sign_in_is_case_insensitive_and_follows_next(client, instructor):
    response = client.submit(
        "/accounts/login?next=/courses/join", {"username": "INES", "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == "/courses/join"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(client, instructor, target):
    response = client.submit(
        "/accounts/login",
        {"username": "ines", "password": factories.PASSWORD},
        query_string={"next": target},
    )
    assert response.headers["Location"] == "/"


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client):
    response = client.get("/courses/join")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login?next=%2Fcourses%2Fjoin"


def test_sign_out_ends_the_session(client, instructor):
    client.sign_in("ines")
    client.submit("/accounts/logout")
    assert client.get("/").status_code == 302


def test_password_change_needs_current_password(client, instructor):
    client.sign_in("ines")
    response = client.submit(
        "/accounts/password",
        {
            "current_password": "wrong one",
            "new_password": "brand new pw",
            "confirm": "brand new pw",
        },
    )
    assert "Your current password is not correct." in response.get_data(as_text=True)


def test_password_change_signs_out_other_sessions(app, instructor):
    laptop, phone = app.test_client(), app.test_client()
    laptop.sign_in("ines")
    phone.sign_in("ines")
    response = laptop.submit(
        "/accounts/password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "brand new pw",
            "confirm": "brand new pw",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200, "the session that changed it stays signed in"
    assert phone.get("/").status_code == 302, "other sessions are signed out"
    phone.sign_in("ines", "brand new pw")


def test_passwords_are_stored_hashed(instructor):
    assert factories.PASSWORD not in instructor.password_hash
    assert instructor.password_hash.startswith("pbkdf2:")


def test_production_hash_is_scrypt(app):
    from coursehub.config import Config

    assert Config.PASSWORD_HASH_METHOD == "scrypt"


def test_registration_can_be_turned_off(app, client):
    app.config["SELF_REGISTRATION"] = False
    try:
        assert client.get("/accounts/register").status_code == 404
        assert "Create account" not in client.get("/accounts/login").get_data(as_text=True)
    finally:
        app.config["SELF_REGISTRATION"] = True
