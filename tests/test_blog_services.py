"""Blog rules at the service level, where pages and API meet."""

from sqlalchemy import func, select

from coursehub.blogs import services
from coursehub.blogs.models import MAX_DEPTH, Post, PostRevision
from coursehub.db import utcnow
from coursehub.extensions import db
from tests import factories


def test_a_removed_post_can_be_written_again_and_stays_removed(chapter, student, ta):
    assignment = factories.assignment(chapter)
    first = factories.post(student, assignment, title="First try")
    factories.comment(ta, first)
    services.delete_post(first, ta, utcnow())
    db.session.commit()
    again = factories.post(student, assignment, title="Second try", publish=False)
    assert again.id != first.id and not again.is_published
    db.session.refresh(first)
    assert first.deleted_at is not None, "the removed post and its discussion stay removed"
    assert db.session.scalar(select(func.count()).select_from(Post)) == 2


def test_editing_a_published_post_keeps_each_earlier_version(chapter, student):
    assignment = factories.assignment(chapter)
    post = factories.post(student, assignment, body="Version one of the text.")
    for body in ("Version two of the text.", "Version three of the text."):
        services.update_post(post, post.title, body, [t.id for t in post.topics], False, utcnow())
        db.session.commit()
    kept = db.session.scalars(select(PostRevision.body).order_by(PostRevision.id)).all()
    assert kept == ["Version one of the text.", "Version two of the text."]
    assert post.is_published, "saving a published post never unpublishes it"


def test_drafts_keep_no_revisions(chapter, student):
    assignment = factories.assignment(chapter)
    post = factories.post(student, assignment, publish=False)
    services.update_post(
        post, post.title, "A new draft text.", [t.id for t in post.topics], False, utcnow()
    )
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 0


def test_replies_never_nest_deeper_than_the_limit(chapter, student, other_student):
    post = factories.post(student, factories.assignment(chapter))
    comment = factories.comment(other_student, post)
    for _ in range(MAX_DEPTH + 2):
        comment = factories.comment(student, post, "Going one level deeper.", parent=comment)
    assert comment.depth == MAX_DEPTH


def test_notifications_about_a_removed_post_disappear(chapter, student, other_student, ta):
    from coursehub.blogs import queries

    post = factories.post(student, factories.assignment(chapter))
    factories.comment(other_student, post)
    assert queries.unread_count(student.id) == 1
    services.delete_post(post, ta, utcnow())
    db.session.commit()
    assert queries.unread_count(student.id) == 0
    assert queries.notifications(student.id) == [] and queries.notification_count(student.id) == 0
