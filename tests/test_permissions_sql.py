"""The policy's SQL conditions select exactly what its predicates allow."""

from sqlalchemy import select

from coursehub import permissions
from coursehub.blogs import queries, services
from coursehub.blogs.models import Assignment, Post
from coursehub.courses.models import Membership
from coursehub.db import utcnow
from coursehub.extensions import db
from tests import factories


def test_viewable_posts_selects_the_posts_can_view_post_allows(
    course, chapter, instructor, ta, student, other_student
):
    late = factories.member(course, "lena", "student")
    post_first = factories.assignment(chapter, title="Post first", post_before_viewing=True)
    open_ = factories.assignment(chapter, title="Open", post_before_viewing=False)
    factories.post(student, post_first, title="Sofia, published")
    factories.post(late, post_first, title="Lena, published")
    factories.post(other_student, post_first, title="Omar, draft", publish=False)
    factories.post(student, open_, title="Sofia, open")
    factories.post(late, open_, title="Lena, draft", publish=False)
    removed = factories.post(other_student, open_, title="Omar, removed")
    services.delete_post(removed, ta, utcnow())
    db.session.commit()
    posts = db.session.scalars(select(Post)).all()

    seen = {}
    for person in (instructor, ta, student, other_student, late):
        membership = db.session.scalar(select(Membership).where(Membership.user_id == person.id))
        allowed = {
            post.title
            for post in posts
            if permissions.can_view_post(
                membership, post, queries.has_published(person.id, post.assignment_id)
            )
        }
        selected = db.session.scalars(
            select(Post.title)
            .join(Assignment, Assignment.id == Post.assignment_id)
            .where(permissions.viewable_posts(membership))
        )
        assert set(selected) == allowed, person.username
        seen[person.username] = allowed
    assert db.session.scalars(select(Post.id).where(permissions.viewable_posts(None))).all() == []

    # The matrix covers every branch: drafts, removal, post-before-viewing both ways.
    published = {"Sofia, published", "Lena, published", "Sofia, open"}
    assert seen["ines"] == seen["tomas"] == seen["sofia"] == published
    assert seen["lena"] == published | {"Lena, draft"}
    assert seen["omar"] == {"Omar, draft", "Sofia, open"}
