"""Who may do what: pure predicates over a user and their membership, shared by
pages, API and templates. A non-member never learns a course exists (404)."""

from flask import Flask

from coursehub.accounts.models import User
from coursehub.courses.models import Membership, Role


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


def register(app: Flask) -> None:
    """Expose the predicates to templates so pages hide what views would refuse."""
    app.jinja_env.globals.update(
        {name: value for name, value in globals().items() if name.startswith("can_")}
    )
