"""The course's audit log, for staff."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from coursehub import permissions
from coursehub.audit import queries
from coursehub.courses import queries as course_queries
from coursehub.pagination import requested_page

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
        actions=ACTIONS,
    )  # fmt: skip
