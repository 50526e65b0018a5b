"""The course's audit log, for staff."""

from datetime import datetime
from functools import partial
from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from coursehub import permissions
from coursehub.audit import queries
from coursehub.courses import queries as course_queries
from coursehub.courses.models import Role
from coursehub.pagination import requested_page
from coursehub.templating import format_when

bp = Blueprint("audit", __name__)
PAGE_SIZE = 100

# What each action means, in words for the log page, about what queries.subjects names.
ACTIONS = {
    "override.set": "set a participation override for {}",
    "override.clear": "removed a participation override for {}",
    "role.change": "changed the role of {}",
    "comment.delete": "deleted {}",
    "post.delete": "removed {}",
    "assignment.change": "changed the rules of {}",
    "member.remove": "removed {} from the course",
    "chapter.delete": "deleted {}",
    "topic.delete": "deleted the topic {}",
    "video.delete": "deleted the video {}",
    "assignment.delete": "deleted the assignment {}",
}


# A snapshot's keys as the forms that set them say them; ids are named under What instead.
LABELS = {
    "opens_at": "Opens", "due_at": "Posts due", "comments_due_at": "Comments due",
    "min_words": "Minimum words per post", "post_points": "Points for the post",
    "late_penalty_percent": "Late penalty (%)",
    "required_comments": "Classmates' posts to comment on",
    "comment_min_words": "Minimum words per comment",
    "comment_points": "Points for the comments",
    "post_before_viewing": "Publish before viewing others",
    "points": "Points", "reason": "Reason", "role": "Role", "title": "Title", "name": "Name",
}  # fmt: skip


def facts(snapshot: dict[str, Any] | None, timezone: str) -> list[tuple[str, str | Markup]]:
    """A snapshot as (label, value) pairs to show: times in the course's zone."""
    shown = []
    for key, value in (snapshot or {}).items():
        if key.endswith("_id"):
            continue
        if key.endswith("_at") and isinstance(value, str):
            value = format_when(datetime.fromisoformat(value), timezone)
        elif key == "role":
            value = Role(value).label
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, int | float):
            value = str(int(value)) if float(value).is_integer() else repr(value)
        elif value is None:
            value = "none"
        shown.append((LABELS.get(key, key.replace("_", " ")), value))
    return shown


@bp.get("/courses/<id:course_id>/audit")
@login_required
def log(course_id: int):
    course, membership = course_queries.course_for_member(current_user, course_id)
    if not permissions.can_grade(membership):
        abort(403)
    page = requested_page()
    events = queries.course_events(course.id, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1)
    shown = events[:PAGE_SIZE]
    return render_template(
        "audit/log.html", course=course, membership=membership, events=shown,
        subjects=queries.subjects(shown), page=page, more=len(events) > PAGE_SIZE,
        actions=ACTIONS, facts=partial(facts, timezone=course.timezone),
    )  # fmt: skip
