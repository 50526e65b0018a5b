"""Participation pages: the per-assignment table, the grading view, the gradebook, CSV."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from coursehub import permissions
from coursehub.audit.models import AuditEvent
from coursehub.blogs import queries as blog_queries
from coursehub.courses import queries as course_queries
from coursehub.db import utcnow
from coursehub.exceptions import DomainError
from coursehub.extensions import db
from coursehub.forms import EmptyForm, add_error
from coursehub.pagination import last_page, requested_page
from coursehub.participation import exports, queries, services
from coursehub.participation.forms import OverrideForm

bp = Blueprint("participation", __name__)
bp.add_app_template_global(exports.points, "points")

# Gradebook rows a page: 20 assignments make 2,000 linked cells, where 1,000 students on
# one page made 20,000 (2.7 MB, most of a second to render). The CSVs hold everyone.
GRADEBOOK_PAGE_SIZE = 100

# ?sort= keys of the assignment table; each sorts students by that column.
SORTS = {
    "name": lambda c: (c.student.display_name.casefold(),),
    "words": lambda c: (c.post.word_count if c.post else -1,),
    "comments": lambda c: (c.qualifying_comments,),
    "total": lambda c: (c.total,),
}
FILTERS = {
    "missing": ("Missing post", lambda c: c.post is None or not c.post.qualifies),
    "short": ("Short of comments", lambda c: c.comments_missing > 0),
    "late": ("Late", lambda c: c.post is not None and c.post.is_late),
}


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every participation page is for signed-in users."""


def _staff_assignment(assignment_id: int):
    assignment, membership = blog_queries.assignment_for_member(current_user, assignment_id)
    if not permissions.can_grade(membership):
        abort(403)
    return assignment, membership


@bp.get("/assignments/<id:assignment_id>/participation")
def assignment_table(assignment_id: int):
    assignment, membership = _staff_assignment(assignment_id)
    credits = services.assignment_credit(assignment)
    sort = request.args.get("sort", "name")
    descending = request.args.get("dir") == "desc"
    credits.sort(key=SORTS.get(sort, SORTS["name"]), reverse=descending)
    active = request.args.get("filter")
    shown = [c for c in credits if FILTERS[active][1](c)] if active in FILTERS else credits
    return render_template(
        "participation/assignment.html", assignment=assignment, course=assignment.chapter.course,
        chapter=assignment.chapter, membership=membership, credits=shown, all_count=len(credits),
        sort=sort if sort in SORTS else "name", descending=descending, active=active,
        filters=FILTERS, complete=sum(c.complete for c in credits),
    )  # fmt: skip


@bp.route("/assignments/<id:assignment_id>/participation/<id:student_id>", methods=["GET", "POST"])
def grade(assignment_id: int, student_id: int):
    """One student's post and comments beside the rule checks, with the override form."""
    assignment, membership = _staff_assignment(assignment_id)
    credits = services.assignment_credit(assignment)
    index = next((i for i, c in enumerate(credits) if c.student.id == student_id), None)
    if index is None:
        abort(404)
    credit = credits[index]
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            services.set_override(
                current_user, assignment, student_id, form.points.data, form.reason.data, utcnow()
            )
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"{credit.student.display_name}'s total is now {form.points.data:g}.", "success")
            return redirect(request.path)
    elif request.method == "GET" and credit.override:
        form.points.data, form.reason.data = credit.override.points, credit.override.reason
    post = blog_queries.own_post(student_id, assignment.id)
    return render_template(
        "participation/grade.html", assignment=assignment, course=assignment.chapter.course,
        chapter=assignment.chapter, credit=credit, post=post, form=form, clear_form=EmptyForm(),
        checks=services.comment_checks(assignment, credit.student),
        previous=credits[index - 1].student if index > 0 else None,
        next=credits[index + 1].student if index + 1 < len(credits) else None,
        position=index + 1, count=len(credits), history=_history(assignment, student_id),
    )  # fmt: skip


@bp.post("/assignments/<id:assignment_id>/participation/<id:student_id>/clear")
def clear_override(assignment_id: int, student_id: int):
    assignment, _ = _staff_assignment(assignment_id)
    if EmptyForm().validate_on_submit():
        services.clear_override(current_user, assignment, student_id, utcnow())
        db.session.commit()
        flash("Override removed; the computed total applies again.", "info")
    return redirect(
        url_for("participation.grade", assignment_id=assignment.id, student_id=student_id)
    )


def _history(assignment, student_id: int) -> list[AuditEvent]:
    """Every override change for this student and assignment, newest first.

    Matched on the recorded snapshot, since a cleared override's row is gone.
    """
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.course_id == assignment.course_id,
            AuditEvent.action.in_(["override.set", "override.clear"]),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return [
        event
        for event in events
        if (event.after or event.before or {}).get("student_id") == student_id
        and (event.after or event.before or {}).get("assignment_id") == assignment.id
    ]


@bp.get("/courses/<id:course_id>/gradebook")
def gradebook(course_id: int):
    course, membership = course_queries.course_for_member(current_user, course_id)
    if not permissions.can_grade(membership):
        abort(403)
    book = services.gradebook(course.id, blog_queries.course_assignments(course.id))
    met = [
        (assignment, sum(c.complete for c in book.column(assignment)))
        for assignment in book.assignments
    ]
    pages = last_page(len(book.students), GRADEBOOK_PAGE_SIZE)
    page = requested_page(pages)
    first = (page - 1) * GRADEBOOK_PAGE_SIZE
    return render_template(
        "participation/gradebook.html", course=course, membership=membership, book=book,
        students=book.students[first : first + GRADEBOOK_PAGE_SIZE], first=first, page=page,
        pages=pages, met=met, activity=queries.activity_by_day(course.id),
    )  # fmt: skip


@bp.get("/courses/<id:course_id>/gradebook.csv")
def gradebook_csv(course_id: int):
    course, membership = course_queries.course_for_member(current_user, course_id)
    if not permissions.can_grade(membership):
        abort(403)
    return exports.download(course, request.args.get("format", "canvas"))
