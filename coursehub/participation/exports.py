"""Gradebook CSV in the layouts Canvas and Moodle import."""

import csv
import io
import re

from flask import Response, abort

from coursehub.blogs.queries import course_assignments
from coursehub.courses.models import Course
from coursehub.participation.services import Gradebook, gradebook, round_points

FORMATS = ("canvas", "moodle")
# A cell a spreadsheet would run as a formula; written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def gradebook_csv(fmt: str, book: Gradebook) -> str:
    """The course's totals, one row per student, one column per assignment."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    items = [_cell(f"{assignment.title} ({assignment.id})") for assignment in book.assignments]
    if fmt == "canvas":
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *items])
        maxima = [points(assignment.max_points) for assignment in book.assignments]
        writer.writerow(["    Points Possible", "", "", "", "", *maxima])
        for student in book.students:
            identity = [student.display_name, str(student.id), "", student.username, ""]
            totals = [points(credit.total) for credit in book.row(student)]
            writer.writerow([_cell(value) for value in identity] + totals)
    else:
        writer.writerow(["Email address", *items])
        for student in book.students:
            totals = [points(credit.total) for credit in book.row(student)]
            writer.writerow([_cell(student.email), *totals])
    return buffer.getvalue()


def download(course: Course, fmt: str) -> Response:
    """The course's gradebook as a CSV attachment; 400 for a format we do not write.

    Pages and API answer with this same file."""
    if fmt not in FORMATS:
        abort(400, f"Choose format=canvas or format=moodle, not “{fmt}”.")
    book = gradebook(course.id, course_assignments(course.id))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", course.code).strip("-") or "course"
    return Response(
        gradebook_csv(fmt, book),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{slug}-{fmt}-grades.csv"'},
    )


def points(value: float) -> str:
    """12.5 -> "12.5", 15.0 -> "15": rounded as totals are, a dot for decimals."""
    return f"{round_points(value):.2f}".rstrip("0").rstrip(".")


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value
