"""Pages that did not change answer 304 Not Modified to a browser that has them."""

import itertools

import pytest
from itsdangerous import TimestampSigner

from tests import factories


@pytest.fixture
def post(chapter, student, other_student):
    assignment = factories.assignment(chapter)
    created = factories.post(student, assignment, "Mirror neurons")
    factories.comment(other_student, created, "A first thought.")
    return created


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch):
    """Ten seconds pass between any two tokens signed, as between a browser's visits:
    every render's CSRF tokens differ from the last one's."""
    ticks = itertools.count(1_800_000_000, 10)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: next(ticks))


@pytest.fixture
def omar(app, other_student):
    client = app.test_client()
    client.sign_in("omar")
    return client


def revisit(client, url: str, etag: str):
    return client.get(url, headers={"If-None-Match": etag})


def test_an_unchanged_page_is_not_sent_again(omar, post):
    url = f"/posts/{post.id}"
    first = omar.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = revisit(omar, url, etag)
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag


def test_a_new_comment_sends_the_page_again(omar, post, student):
    url = f"/posts/{post.id}"
    etag = omar.get(url).headers["ETag"]
    factories.comment(student, post, "The author replies.")
    changed = revisit(omar, url, etag)
    assert changed.status_code == 200
    assert "The author replies." in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag


def test_a_new_notification_changes_the_page_too(omar, post, other_student, student):
    own = factories.post(other_student, post.assignment, "Omar's post")
    url = f"/posts/{post.id}"
    etag = omar.get(url).headers["ETag"]
    factories.comment(student, own, "Sofia comments on Omar's post.")  # rings Omar's bell
    changed = revisit(omar, url, etag)
    assert changed.status_code == 200 and "1 unread" in changed.get_data(as_text=True)


def test_a_form_page_is_not_sent_again_either(omar, post):
    url = "/courses/new"
    first = omar.get(url)
    assert 'name="csrf_token"' in first.get_data(as_text=True)
    assert revisit(omar, url, first.headers["ETag"]).status_code == 304


def test_a_copy_from_another_session_does_not_match(app, omar, post):
    """Its forms carry that session's tokens, which would not work here."""
    url = f"/posts/{post.id}"
    etag = omar.get(url).headers["ETag"]
    elsewhere = app.test_client()
    elsewhere.sign_in("omar")
    assert revisit(elsewhere, url, etag).status_code == 200


def test_forms_in_a_page_kept_by_the_browser_still_work(omar, post):
    """The tokens of the page the browser kept are still good after a 304."""
    url = f"/posts/{post.id}"
    first = omar.get(url)
    assert revisit(omar, url, first.headers["ETag"]).status_code == 304
    token = first.get_data(as_text=True).split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = omar.post(
        f"/posts/{post.id}/comments", data={"csrf_token": token, "body": "Posted from a kept page."}
    )
    assert response.status_code == 302
    assert "Posted from a kept page." in omar.get(url).get_data(as_text=True)
