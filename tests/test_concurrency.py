"""Concurrent writers: every acknowledged comment is stored, none fails for a lock."""

import threading

from sqlalchemy import func, select

from coursehub.blogs.models import Comment
from coursehub.extensions import db
from tests import factories


def test_parallel_commenters_all_land(app, course, chapter, student):
    post = factories.post(student, factories.assignment(chapter))
    writers = [factories.member(course, f"writer{n}", "student") for n in range(6)]
    tokens = [factories.token(person) for person in writers]
    url = f"/api/v1/posts/{post.id}/comments"  # threads must not touch the test's session
    statuses: list[int] = []
    lock = threading.Lock()

    def write(token: str) -> None:
        with app.app_context():
            send(app.test_client(), token)

    def send(client, token: str) -> None:
        for n in range(10):
            response = client.post(
                url,
                json={"body": f"Parallel comment {n}."},
                headers={"Authorization": f"Bearer {token}"},
            )
            with lock:
                statuses.append(response.status_code)

    threads = [threading.Thread(target=write, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    stored = db.session.scalar(select(func.count()).select_from(Comment))
    assert statuses.count(201) == 60 and stored == 60, statuses
