"""Nothing lost: backups that restore every row, and an audit log staff can read."""

import re
import sqlite3
import threading
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from coursehub.accounts.models import User
from coursehub.blogs.models import Post
from coursehub.extensions import db
from tests import factories


@pytest.fixture
def sqlite_only():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the backup command copies SQLite; PostgreSQL uses pg_dump")


def test_backup_restores_every_row_while_writes_go_on(
    app, sqlite_only, chapter, student, ta, tmp_path
):
    assignment = factories.assignment(chapter)
    post = factories.post(student, assignment)
    for n in range(20):
        factories.comment(ta, post, f"Comment number {n} on this post.")
    before = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    stop, busy, written = threading.Event(), threading.Event(), []
    post_id, ta_id = post.id, ta.id

    def keep_writing():
        with app.app_context():
            author, target = db.session.get(User, ta_id), db.session.get(Post, post_id)
            while not stop.is_set():
                written.append(factories.comment(author, target, "Written meanwhile.").id)
                busy.set()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    assert busy.wait(10), "the writer got going"
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert written, "the app kept writing during the backup"

    copy = sqlite3.connect(tmp_path / "copy.sqlite")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.session.rollback()  # a fresh snapshot, with what the writer added
    for table in db.metadata.sorted_tables:
        copied = copy.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
        after = db.session.scalar(select(func.count()).select_from(table))
        assert before[table.name] <= copied <= after, table.name
    # Each comment came with its notification in one transaction: a snapshot has both.
    comments, notes = (
        copy.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        for name in ("comments", "notifications")
    )
    assert comments == notes


def test_backup_refuses_to_overwrite(app, sqlite_only, tmp_path):
    target = tmp_path / "exists.sqlite"
    target.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and target.read_text() == "keep me"


def test_staff_read_the_audit_log_of_roles_overrides_and_deletions(
    client, course, chapter, student, ta
):
    from coursehub.blogs.services import delete_comment
    from coursehub.db import utcnow
    from coursehub.participation.services import set_override

    assignment = factories.assignment(chapter)
    post = factories.post(student, assignment)
    comment = factories.comment(ta, post)
    instructor = db.session.get(type(student), course.created_by_id)
    set_override(instructor, assignment, student.id, 3, "Paper submission", utcnow())
    delete_comment(comment, instructor, utcnow())
    db.session.commit()
    client.sign_in("tomas")
    page = client.get(f"/courses/{course.id}/audit").get_data(as_text=True)
    for words in (
        "changed the role of Tomas Assistant",
        f"set a participation override for Sofia Student in “{assignment.title}”",
        f"deleted a comment by Tomas Assistant on “{post.title}”",
        "<dt>Reason</dt><dd>Paper submission</dd>",
        "Ines Instructor",
    ):
        assert words in page
    assert "student_id" not in page and "(Comment " not in page, "ids are named, not shown"
    far = client.get(f"/courses/{course.id}/audit?page=99999999999999999999")
    assert far.status_code == 200, "a page number past any log is no error"
    client.submit("/accounts/logout")
    client.sign_in("sofia")
    assert client.get(f"/courses/{course.id}/audit").status_code == 403


def test_a_change_of_an_assignments_rules_is_audited_and_a_retitling_is_not(
    client, course, chapter, ta
):
    from coursehub.blogs.services import AssignmentSpec, update_assignment
    from coursehub.db import utcnow

    assignment = factories.assignment(chapter, min_words=5, post_before_viewing=False)
    tomas = db.session.get(type(ta), ta.id)

    def edit(**changes):
        spec = AssignmentSpec(
            title=assignment.title, prompt=assignment.prompt,
            topic_ids=tuple(t.id for t in assignment.topics), opens_at=assignment.opens_at,
            due_at=assignment.due_at, comments_due_at=assignment.comments_due_at,
            min_words=assignment.min_words, required_comments=assignment.required_comments,
            comment_min_words=assignment.comment_min_words, post_points=assignment.post_points,
            comment_points=assignment.comment_points,
            late_penalty_percent=assignment.late_penalty_percent,
            post_before_viewing=assignment.post_before_viewing,
        )  # fmt: skip
        update_assignment(tomas, assignment, replace(spec, **changes), utcnow())
        db.session.commit()

    edit(title="Blog: renamed")
    edit(min_words=150, post_before_viewing=True)
    client.sign_in("ines")
    page = client.get(f"/courses/{course.id}/audit").get_data(as_text=True)
    assert page.count("changed the rules of") == 1, "a new title moves no grade"
    row = re.search(r"<tr>(?:(?!</tr>).)*changed the rules of(?:(?!</tr>).)*</tr>", page, re.S)[0]
    assert "Tomas Assistant" in row and "“Blog: renamed”" in row
    assert (
        "<dt>Minimum words per post</dt><dd>5</dd><dt>Publish before viewing others</dt><dd>no</dd>"
    ) in row
    assert (
        "<dt>Minimum words per post</dt><dd>150</dd>"
        "<dt>Publish before viewing others</dt><dd>yes</dd>"
    ) in row


def test_the_audit_log_shows_numbers_as_saved_not_rounded():
    from coursehub.audit.views import facts

    shown = facts({"points": 12.345678, "min_words": 150, "post_points": 10.0}, "UTC")
    assert shown == [
        ("Points", "12.345678"),
        ("Minimum words per post", "150"),
        ("Points for the post", "10"),
    ]
