"""The rendered comment thread is cached and shared, yet every reader sees it current
and with their own controls (coursehub/blogs/threads.py)."""

import os
import re
import secrets
import socket
import time

import pytest
from sqlalchemy import update

from coursehub import create_app
from coursehub.blogs import services as blogs
from coursehub.blogs.models import Comment, Post
from coursehub.courses import services as courses
from coursehub.db import utcnow
from coursehub.extensions import db
from tests import factories
from tests.client import Client
from tests.sql import count_statements


@pytest.fixture
def post(chapter, student, other_student):
    assignment = factories.assignment(chapter)
    return factories.post(student, assignment, "Mirror neurons")


def page(client, post) -> str:
    response = client.get(f"/posts/{post.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def another_worker(app, **settings):
    """A second app on the same database, as another gunicorn worker with its own memory."""
    worker = create_app({**app.config, "INSTANCE_PATH": app.instance_path, **settings})
    worker.test_client_class = Client
    return worker


def signed_in(app, username: str) -> Client:
    client = app.test_client()
    client.sign_in(username)
    return client


def controls(html: str) -> dict[str, set[int]]:
    """The comments whose Edit link and Delete form the page offers."""
    return {
        "edit": {int(n) for n in re.findall(r'href="/comments/(\d+)/edit"', html)},
        "delete": {int(n) for n in re.findall(r'action="/comments/(\d+)/delete"', html)},
    }


def test_every_reader_gets_their_own_controls_on_the_shared_thread(
    app, post, student, other_student, ta
):
    mine = factories.comment(student, post, "The author answers here.")
    theirs = factories.comment(other_student, post, "A classmate's thought.")
    readers = {name: signed_in(app, name) for name in ("omar", "sofia", "tomas")}
    pages = {name: page(client, post) for name, client in readers.items()}

    assert controls(pages["omar"]) == {"edit": {theirs.id}, "delete": {theirs.id}}
    assert controls(pages["sofia"]) == {"edit": {mine.id}, "delete": {mine.id}}
    assert controls(pages["tomas"]) == {"edit": set(), "delete": {mine.id, theirs.id}}
    # The TA's Delete form carries the TA's own token: it works.
    token = re.search(
        rf'action="/comments/{mine.id}/delete".*?name="csrf_token" value="([^"]+)"',
        pages["tomas"],
        re.S,
    )[1]
    response = readers["tomas"].post(f"/comments/{mine.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert "This comment was deleted." in page(readers["omar"], post)


def test_a_second_view_takes_the_thread_from_the_cache(app, post, other_student):
    factories.comment(other_student, post, "A first thought on this.")
    omar = signed_in(app, "omar")
    pages = []
    first = count_statements(lambda: pages.append(page(omar, post)))
    second = count_statements(lambda: pages.append(page(omar, post)))
    assert second == first - 1
    tokens = re.compile(r'name="csrf_token" value="[^"]+"')
    assert tokens.sub("", pages[0]) == tokens.sub("", pages[1])


def test_changes_show_at_once_in_a_process_holding_an_older_copy(app, post, student, other_student):
    """Another worker has the thread cached: its next view shows every change made here."""
    reader = signed_in(another_worker(app), "sofia")
    assert "No thoughts yet on" in page(reader, post)

    comment = factories.comment(other_student, post, "Fresh from another worker.")
    assert "Fresh from another worker." in page(reader, post)
    blogs.edit_comment(comment, "Edited in another worker.", utcnow())
    db.session.commit()
    assert "Edited in another worker." in page(reader, post)
    blogs.delete_comment(comment, other_student, utcnow())
    db.session.commit()
    html = page(reader, post)
    assert "This comment was deleted." in html and "No thoughts yet on" in html


def test_the_thread_follows_a_change_of_the_course_time_zone(app, course, post, other_student):
    factories.comment(other_student, post, "What time is it?")
    omar = signed_in(app, "omar")
    assert "UTC</time>" in page(omar, post)
    courses.update_course(course, course.code, course.title, course.description, "Asia/Tokyo")
    db.session.commit()
    html = page(omar, post)
    assert "UTC</time>" not in html and "JST</time>" in html


def test_rerendering_every_text_refreshes_cached_threads(app, post, other_student):
    comment = factories.comment(other_student, post, "Rendered *today*.")
    # What an older renderer stored, already on readers' screens.
    db.session.execute(update(Comment).values(body_html="<p>Rendered by an old rule.</p>"))
    db.session.commit()
    omar = signed_in(app, "omar")
    assert "Rendered by an old rule." in page(omar, post)
    for _ in blogs.render_all():
        pass
    db.session.commit()
    html = page(omar, post)
    assert "Rendered <em>today</em>." in html
    assert comment.body == "Rendered *today*."


def test_a_restored_backup_never_brings_back_a_thread_cached_since(app, post, other_student):
    """After a restore the posts carry the versions of the backup; the threads cached
    since then must not come back when the thread changes again."""
    omar = signed_in(app, "omar")
    factories.comment(other_student, post, "In the backup.")
    backup_version = db.session.get(Post, post.id).thread_version
    lost = factories.comment(other_student, post, "Written after the backup.")
    assert "Written after the backup." in page(omar, post)  # now cached

    db.session.delete(lost)  # the restore: the later comment is gone, the version is old
    db.session.execute(update(Post).values(thread_version=backup_version))
    db.session.commit()
    factories.comment(other_student, post, "Written after the restore.")
    html = page(omar, post)
    assert "Written after the restore." in html and "Written after the backup." not in html


def test_a_cache_that_hangs_costs_speed_not_the_page(app, post, other_student):
    factories.comment(other_student, post, "Still here.")
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        hung = another_worker(app, CACHE_TYPE=None, CACHE_REDIS_URL=None, REDIS_URL=url)
        began = time.monotonic()
        html = page(signed_in(hung, "omar"), post)
    assert "Still here." in html
    assert time.monotonic() - began < 5, "the page waited on the cache"


def test_a_cache_that_is_down_costs_speed_not_the_page(app, post, other_student):
    factories.comment(other_student, post, "Still here without a cache.")
    nothing_listens = "redis://127.0.0.1:9/0"
    down = another_worker(app, CACHE_TYPE="RedisCache", CACHE_REDIS_URL=nothing_listens)
    html = page(signed_in(down, "omar"), post)
    assert "Still here without a cache." in html and "1 thought on" in html


@pytest.mark.skipif(
    not os.environ.get("COURSEHUB_TEST_REDIS_URL"),
    reason="set COURSEHUB_TEST_REDIS_URL to test Redis",
)
def test_workers_share_the_rendered_thread_through_redis(app, post, other_student):
    import redis

    factories.comment(other_student, post, "Rendered once for everyone.")
    url = os.environ["COURSEHUB_TEST_REDIS_URL"]
    prefix = f"coursehub-test-{secrets.token_hex(4)}:"
    workers = [
        another_worker(
            app, CACHE_TYPE=None, CACHE_REDIS_URL=None, REDIS_URL=url, CACHE_KEY_PREFIX=prefix
        )
        for _ in range(2)
    ]
    assert workers[0].config["CACHE_TYPE"] == "RedisCache"
    server = redis.Redis.from_url(url)
    try:
        first, second = (signed_in(worker, "omar") for worker in workers)
        filled = count_statements(lambda: page(first, post))
        assert list(server.scan_iter(match=f"{prefix}thread:*:{post.id}:*"))
        shared = count_statements(lambda: page(second, post))
        assert shared == filled - 1, "the second worker found the thread in Redis"
        assert "Rendered once for everyone." in page(second, post)
    finally:
        keys = list(server.scan_iter(match=f"{prefix}*"))
        if keys:
            server.delete(*keys)
        server.close()
