"""Who may do what: pure predicates over a user and their membership, shared by
pages, API and templates. A non-member never learns a course exists (404). Where a list
is too long to load and filter, a rule also comes as the SQL condition that selects what
its predicate allows (`viewable_posts`)."""

from datetime import datetime
from typing import Protocol

from flask import Flask
from sqlalchemy import ColumnElement, and_, false, or_, true

from coursehub.accounts.models import User
from coursehub.blogs.models import PUBLISHED, Assignment, Post, published_post_exists
from coursehub.courses.models import Membership, Role


class CommentLike(Protocol):
    """A Comment, or a cached thread's reference to one (coursehub/blogs/threads.py)."""

    author_id: int
    deleted_at: datetime | None


def can_create_course(user: User, course_creation: str) -> bool:
    """Anyone signed in, unless the COURSE_CREATION setting is "admins"."""
    return user.is_authenticated and (course_creation != "admins" or user.is_admin)


def can_view_course(membership: Membership | None) -> bool:
    """Every member reads the whole course; nobody else sees it at all."""
    return membership is not None


def can_edit_course(membership: Membership | None) -> bool:
    """Course settings and the join code belong to instructors."""
    return membership is not None and membership.role is Role.instructor


def can_manage_roles(membership: Membership | None) -> bool:
    """Only instructors change who is instructor, TA or student."""
    return membership is not None and membership.role is Role.instructor


def can_see_join_code(membership: Membership | None) -> bool:
    return membership is not None and membership.role.is_staff


def can_see_emails(membership: Membership | None) -> bool:
    """Classmates see names and roles; staff also see email addresses."""
    return membership is not None and membership.role.is_staff


def can_edit_content(membership: Membership | None) -> bool:
    """Chapters, topics and videos: instructors and TAs."""
    return membership is not None and membership.role.is_staff


def can_edit_assignments(membership: Membership | None) -> bool:
    """Blog assignments are set by instructors and TAs."""
    return membership is not None and membership.role.is_staff


def can_write_post(membership: Membership | None) -> bool:
    """Students write the posts; staff read, comment and grade."""
    return membership is not None and membership.role is Role.student


def must_post_first(
    membership: Membership | None, assignment: Assignment, has_published: bool
) -> bool:
    """Post-before-viewing: a student sees no classmate's post until publishing their own."""
    return (
        membership is not None
        and membership.role is Role.student
        and assignment.post_before_viewing
        and not has_published
    )


def can_view_post(membership: Membership | None, post: Post, has_published: bool) -> bool:
    """Authors see their own drafts; members see published posts, post-first allowing."""
    if membership is None:
        return False
    if post.author_id == membership.user_id:
        return post.deleted_at is None
    return post.is_published and not must_post_first(membership, post.assignment, has_published)


def viewable_posts(membership: Membership | None) -> ColumnElement[bool]:
    """`can_view_post` as a condition on Post, for lists too long to filter in Python; the
    statement must join the post's Assignment."""
    if membership is None:
        return false()
    if membership.role is Role.student:
        post_first_allows = or_(
            Assignment.post_before_viewing.is_(False),
            published_post_exists(membership.user_id, Post.assignment_id),
        )
    else:
        post_first_allows = true()
    return and_(
        Post.deleted_at.is_(None),
        or_(
            Post.author_id == membership.user_id,
            and_(Post.status == PUBLISHED, post_first_allows),
        ),
    )


def can_edit_post(membership: Membership | None, post: Post) -> bool:
    """Only the author edits a post (a published one stays published)."""
    return membership is not None and post.author_id == membership.user_id and not post.deleted_at


def can_delete_post(membership: Membership | None, post: Post) -> bool:
    """The author, or staff moderating; the post is hidden, never destroyed."""
    return membership is not None and (
        post.author_id == membership.user_id or membership.role.is_staff
    )


def can_view_revisions(membership: Membership | None, post: Post) -> bool:
    """Earlier versions are for the author and staff."""
    return membership is not None and (
        post.author_id == membership.user_id or membership.role.is_staff
    )


def can_comment(membership: Membership | None, post: Post, has_published: bool) -> bool:
    """Members comment on published posts they can see."""
    return post.is_published and can_view_post(membership, post, has_published)


def can_edit_comment(membership: Membership | None, comment: CommentLike) -> bool:
    """Authors edit their own comments until deleted."""
    return (
        membership is not None
        and comment.author_id == membership.user_id
        and comment.deleted_at is None
    )


def can_delete_comment(membership: Membership | None, comment: CommentLike) -> bool:
    """The author, or staff moderating; a placeholder keeps the thread."""
    return (
        membership is not None
        and comment.deleted_at is None
        and (comment.author_id == membership.user_id or can_moderate_comments(membership))
    )


def can_moderate_comments(membership: Membership | None) -> bool:
    """Staff act on anyone's comments; everyone else only on their own."""
    return membership is not None and membership.role.is_staff


def can_grade(membership: Membership | None) -> bool:
    """Participation tables, the gradebook, overrides and exports: instructors and TAs."""
    return membership is not None and membership.role.is_staff


def can_view_credit(membership: Membership | None, student_id: int) -> bool:
    """A student sees their own credit; staff see everyone's."""
    return membership is not None and (membership.role.is_staff or membership.user_id == student_id)


def register(app: Flask) -> None:
    """Expose the predicates to templates so pages hide what views would refuse."""
    app.jinja_env.globals.update(
        {name: value for name, value in globals().items() if name.startswith("can_")}
    )
