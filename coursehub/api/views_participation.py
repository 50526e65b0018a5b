"""API: participation credit per assignment, staff overrides, the gradebook CSV.

Every number comes from participation.services, the one credit engine the pages,
the CSV exports and LTI passback also use; the CSV is exports.gradebook_csv's text.
"""

from flask import abort, request
from flask.typing import ResponseReturnValue

from coursehub.accounts.models import User
from coursehub.api.auth import require
from coursehub.api.parsing import parse
from coursehub.api.routing import route
from coursehub.api.schemas import NewOverride
from coursehub.api.serializers import participation_json
from coursehub.blogs import queries as blog_queries
from coursehub.blogs.models import Assignment
from coursehub.courses import queries as course_queries
from coursehub.courses.models import Role
from coursehub.db import utcnow
from coursehub.extensions import db
from coursehub.participation import exports, services
from coursehub.permissions import can_grade, can_view_credit

STAFF_ONLY = "Only the course's instructors and teaching assistants can do that."
NOT_A_STUDENT = "That person is not a student of this course."


def _student(assignment: Assignment, user_id: int) -> User:
    """A student of the assignment's course; 404 for staff, strangers and unknown ids."""
    membership = course_queries.membership_of_id(user_id, assignment.course_id)
    if membership is None or membership.role is not Role.student:
        abort(404, NOT_A_STUDENT)
    return membership.user


@route("GET", "/assignments/<id:assignment_id>/participation")
def list_participation(user: User, assignment_id: int) -> ResponseReturnValue:
    """Participation credit in an assignment: every student for staff, one's own for a student.

    Not paginated: staff get every student of the course, by name, in one answer.
    """
    assignment, membership = blog_queries.assignment_for_member(user, assignment_id)
    if can_grade(membership):
        credits = services.assignment_credit(assignment)
    else:
        require(can_view_credit(membership, user.id), STAFF_ONLY)
        credits = services.student_credits([assignment], user)
    return {"items": [participation_json(credit) for credit in credits]}


@route(
    "PUT",
    "/assignments/<id:assignment_id>/participation/<id:user_id>/override",
    body=NewOverride,
    errors=(403,),
)
def set_override(user: User, assignment_id: int, user_id: int) -> ResponseReturnValue:
    """Replace a student's total with `points`, for `reason` (staff); answers their credit.

    Audited with the total before and after. 404 when user_id is not a student of the
    course; 422 for points outside 0 to twice max_points, or an empty reason.
    """
    assignment, membership = blog_queries.assignment_for_member(user, assignment_id)
    require(can_grade(membership), STAFF_ONLY)
    student = _student(assignment, user_id)
    body = parse(NewOverride)
    services.set_override(user, assignment, student.id, body.points, body.reason, utcnow())
    db.session.commit()
    return participation_json(services.student_credits([assignment], student)[0])


@route(
    "DELETE",
    "/assignments/<id:assignment_id>/participation/<id:user_id>/override",
    status=204,
    errors=(403,),
)
def clear_override(user: User, assignment_id: int, user_id: int) -> ResponseReturnValue:
    """Remove a student's override, so the computed total applies again (staff).

    The removed override stays in the audit log; 204 also when there was none.
    """
    assignment, membership = blog_queries.assignment_for_member(user, assignment_id)
    require(can_grade(membership), STAFF_ONLY)
    student = _student(assignment, user_id)
    services.clear_override(user, assignment, student.id, utcnow())
    db.session.commit()
    return "", 204


@route("GET", "/courses/<id:course_id>/gradebook.csv", errors=(400, 403))
def gradebook_csv(user: User, course_id: int) -> ResponseReturnValue:
    """The course's totals as a CSV file an LMS imports (staff).

    `?format=canvas` (the default) or `?format=moodle`; one row per student, one
    column per assignment. 400 for any other format.
    """
    course, membership = course_queries.course_for_member(user, course_id)
    require(can_grade(membership), STAFF_ONLY)
    return exports.download(course, request.args.get("format", "canvas"))
