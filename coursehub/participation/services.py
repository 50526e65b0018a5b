"""Participation credit, the single source for pages, API, CSV exports and LTI passback.

The rules (shared/DESIGN.md, "Participation credit"), per assignment and student:
- the post qualifies when published (and not removed) with at least min_words words;
- post points: post_points when it qualifies on time; when late, reduced by
  late_penalty_percent, or 0 where that is null; 0 when it does not qualify;
- a comment or reply qualifies when its author is a student, it is on a published
  post of the same assignment by someone else (even one removed later), it is not
  deleted, has at least comment_min_words words and was made by comments_due_at;
- qualifying_comments counts distinct peer posts with a qualifying comment;
- comment points: comment_points x min(qualifying, required) / required (0 when
  required_comments is 0);
- total: post + comment points rounded to 2 decimals, unless overridden.

Comments are counted by grouped SQL; a page of any size costs the same few statements.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select

from coursehub.accounts.models import User
from coursehub.audit.services import record
from coursehub.blogs.models import PUBLISHED, Assignment, Comment, Post, PostStatus
from coursehub.courses.models import Membership, Role
from coursehub.exceptions import Invalid, NotFound
from coursehub.extensions import db
from coursehub.participation.models import REASON_MAX, ParticipationOverride


@dataclass(slots=True)
class PostCredit:
    id: int
    status: PostStatus
    word_count: int
    is_late: bool
    qualifies: bool


@dataclass(slots=True)
class Override:
    points: float
    reason: str
    by_id: int | None
    at: datetime


@dataclass(slots=True)
class Credit:
    """One student's standing in one assignment."""

    student: User
    assignment_id: int
    post: PostCredit | None
    qualifying_comments: int
    required_comments: int
    post_points_earned: float
    comment_points_earned: float
    computed_total: float
    max_points: float
    override: Override | None

    @property
    def total(self) -> float:
        return self.override.points if self.override else self.computed_total

    @property
    def comments_missing(self) -> int:
        return max(self.required_comments - self.qualifying_comments, 0)

    @property
    def complete(self) -> bool:
        """Every requirement met: a qualifying post and enough qualifying comments."""
        return self.post is not None and self.post.qualifies and not self.comments_missing


def students(course_id: int) -> list[User]:
    """The course's students, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.course_id == course_id, Membership.role == Role.student)
            .order_by(func.lower(User.display_name), User.id)
        )
    )


@dataclass(frozen=True)
class Gradebook:
    """Students (by name) by assignments, each cell a Credit."""

    students: list[User]
    assignments: list[Assignment]
    cells: dict[tuple[int, int], Credit]  # (student id, assignment id)

    def row(self, student: User) -> list[Credit]:
        return [self.cells[(student.id, assignment.id)] for assignment in self.assignments]

    def column(self, assignment: Assignment) -> list[Credit]:
        return [self.cells[(student.id, assignment.id)] for student in self.students]

    def total(self, student: User) -> float:
        return round_points(sum(credit.total for credit in self.row(student)))

    @property
    def max_total(self) -> float:
        return round_points(sum(assignment.max_points for assignment in self.assignments))


def assignment_credit(assignment: Assignment) -> list[Credit]:
    """Every student's credit in one assignment, in four statements."""
    return gradebook(assignment.course_id, [assignment]).column(assignment)


def gradebook(course_id: int, assignments: Iterable[Assignment]) -> Gradebook:
    """Every student's credit in each of the assignments.

    Four statements whatever the number of students, posts or comments.
    """
    assignments = list(assignments)
    ids = [assignment.id for assignment in assignments]
    people = students(course_id)
    posts = _posts(ids)
    comments = _qualifying_comments(ids)
    overrides = _overrides(ids)
    # 20,000 cells for 1,000 students: read each ORM attribute once, not once a cell.
    by_id = [(person.id, person) for person in people]
    cells = {}
    for assignment in assignments:
        rules = _Rules.of(assignment)
        for person_id, person in by_id:
            key = (rules.id, person_id)
            cells[person_id, rules.id] = _credit(
                rules, person, posts.get(key), comments.get(key, 0), overrides.get(key)
            )
    return Gradebook(people, assignments, cells)


def student_credits(assignments: Iterable[Assignment], student: User) -> list[Credit]:
    """One student's credit in each assignment (their own progress), in three statements."""
    assignments = list(assignments)
    ids = [assignment.id for assignment in assignments]
    posts = _posts(ids, student.id)
    comments = _qualifying_comments(ids, student.id)
    overrides = _overrides(ids, student.id)
    return [
        _credit(
            _Rules.of(assignment),
            student,
            posts.get((assignment.id, student.id)),
            comments.get((assignment.id, student.id), 0),
            overrides.get((assignment.id, student.id)),
        )
        for assignment in assignments
    ]


class _Rules(NamedTuple):
    """An assignment's credit settings, read once rather than once per student."""

    id: int
    min_words: int
    post_points: float
    late_penalty_percent: float | None
    required_comments: int
    comment_points: float
    max_points: float

    @classmethod
    def of(cls, a: Assignment) -> "_Rules":
        return cls(
            a.id, a.min_words, a.post_points, a.late_penalty_percent, a.required_comments,
            a.comment_points, round_points(a.max_points),
        )  # fmt: skip


class _PostFacts(NamedTuple):
    """What credit needs of a post (not its text)."""

    id: int
    assignment_id: int
    author_id: int
    status: PostStatus
    word_count: int
    late: bool | None  # None: not published


def _credit(
    rules: _Rules,
    student: User,
    post: _PostFacts | None,
    qualifying: int,
    override: ParticipationOverride | None,
) -> Credit:
    post_credit = None
    post_points = 0.0
    if post is not None:
        published = post.status is PostStatus.published
        late = published and bool(post.late)
        qualifies = published and post.word_count >= rules.min_words
        post_credit = PostCredit(post.id, post.status, post.word_count, late, qualifies)
        if qualifies and not late:
            post_points = rules.post_points
        elif qualifies and rules.late_penalty_percent is not None:
            post_points = rules.post_points * (1 - rules.late_penalty_percent / 100)
    required = rules.required_comments
    comment_points = (
        rules.comment_points * min(qualifying, required) / required if required else 0.0
    )
    return Credit(
        student=student,
        assignment_id=rules.id,
        post=post_credit,
        qualifying_comments=qualifying,
        required_comments=required,
        post_points_earned=round_points(post_points),
        comment_points_earned=round_points(comment_points),
        computed_total=round_points(post_points + comment_points),
        max_points=rules.max_points,
        override=(
            Override(override.points, override.reason, override.by_id, override.at)
            if override
            else None
        ),
    )


def round_points(value: float) -> float:
    """Two decimals, halves up, as a gradebook rounds (not binary float's half-even).

    Points are never negative; the epsilon puts 2.675 (stored as 2.67499...) on 2.68.
    """
    return math.floor(value * 100 + 0.5 + 1e-9) / 100


def _posts(
    assignment_ids: list[int], author_id: int | None = None
) -> dict[tuple[int, int], _PostFacts]:
    """Each post's facts by (assignment id, author id), lateness decided in SQL."""
    late = and_(Assignment.due_at.is_not(None), Post.published_at > Assignment.due_at)
    query = (
        select(
            Post.id,
            Post.assignment_id,
            Post.author_id,
            Post.status,
            Post.word_count,
            late.label("late"),
        )  # fmt: skip
        .join(Assignment, Assignment.id == Post.assignment_id)
        .where(Post.assignment_id.in_(assignment_ids), Post.deleted_at.is_(None))
    )
    if author_id is not None:
        query = query.where(Post.author_id == author_id)
    # A Row's named fields cost a microsecond each, a NamedTuple's next to nothing: the
    # gradebook reads six of each of its 20,000 posts.
    facts = (_PostFacts(*row) for row in db.session.execute(query))
    return {(post.assignment_id, post.author_id): post for post in facts}


def comment_credit_words(membership: Membership | None, post: Post, now: datetime) -> int | None:
    """How many words this member's comment on `post` needs to count toward their
    participation, as _qualifying_comments counts it; None when no comment of theirs
    there can count (staff, their own post, a draft, comments past due or not graded)."""
    assignment = post.assignment
    if (
        membership is None
        or membership.role is not Role.student
        or post.author_id == membership.user_id
        or not post.is_published
        or not assignment.required_comments
        or (assignment.comments_due_at is not None and now > assignment.comments_due_at)
    ):
        return None
    return assignment.comment_min_words


def _qualifying_comments(
    assignment_ids: list[int], author_id: int | None = None
) -> dict[tuple[int, int], int]:
    """(assignment id, comment author id) -> distinct peer posts with a qualifying comment."""
    query = (
        select(Post.assignment_id, Comment.author_id, func.count(func.distinct(Comment.post_id)))
        .join(Post, Post.id == Comment.post_id)
        .join(Assignment, Assignment.id == Post.assignment_id)
        .where(
            Post.assignment_id.in_(assignment_ids),
            Post.status == PUBLISHED,
            Post.author_id != Comment.author_id,
            Comment.deleted_at.is_(None),
            Comment.word_count >= Assignment.comment_min_words,
            or_(
                Assignment.comments_due_at.is_(None),
                Comment.created_at <= Assignment.comments_due_at,
            ),
        )
        .group_by(Post.assignment_id, Comment.author_id)
    )
    if author_id is not None:
        query = query.where(Comment.author_id == author_id)
    return {(row[0], row[1]): row[2] for row in db.session.execute(query)}


def _overrides(
    assignment_ids: list[int], student_id: int | None = None
) -> dict[tuple[int, int], ParticipationOverride]:
    query = select(ParticipationOverride).where(
        ParticipationOverride.assignment_id.in_(assignment_ids)
    )
    if student_id is not None:
        query = query.where(ParticipationOverride.student_id == student_id)
    return {(o.assignment_id, o.student_id): o for o in db.session.scalars(query)}


def set_override(
    actor: User, assignment: Assignment, student_id: int, points: float, reason: str, now: datetime
) -> ParticipationOverride:
    """Replace a student's total with `points`, for `reason`; audited with before and after.

    Raises NotFound when the person is not a student of the course, Invalid for points
    outside 0 to twice the maximum or an empty reason.
    """
    _require_student(assignment.course_id, student_id)
    limit = 2 * assignment.max_points
    if not 0 <= points <= limit:
        raise Invalid(
            f"Points must be between 0 and {limit:g}: up to twice the assignment's "
            f"{assignment.max_points:g}, for extra credit.",
            field="points",
        )
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why the total is overridden.", field="reason")
    if len(reason) > REASON_MAX:
        raise Invalid(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    existing = db.session.scalar(
        select(ParticipationOverride).where(
            ParticipationOverride.assignment_id == assignment.id,
            ParticipationOverride.student_id == student_id,
        )
    )
    before = _snapshot(existing) if existing else None
    override = existing or ParticipationOverride(assignment_id=assignment.id, student_id=student_id)
    override.points, override.reason, override.by_id, override.at = points, reason, actor.id, now
    db.session.add(override)
    db.session.flush()
    record(actor, assignment.course_id, "override.set", override, now, before, _snapshot(override))
    return override


def clear_override(actor: User, assignment: Assignment, student_id: int, now: datetime) -> None:
    """Return to the computed total; the removed override stays in the audit log.

    Raises NotFound when the person is not a student of the course.
    """
    _require_student(assignment.course_id, student_id)
    existing = db.session.scalar(
        select(ParticipationOverride).where(
            ParticipationOverride.assignment_id == assignment.id,
            ParticipationOverride.student_id == student_id,
        )
    )
    if existing is None:
        return
    record(actor, assignment.course_id, "override.clear", existing, now, _snapshot(existing))
    db.session.delete(existing)


def _snapshot(override: ParticipationOverride) -> dict[str, object]:
    return {
        "assignment_id": override.assignment_id,
        "student_id": override.student_id,
        "points": override.points,
        "reason": override.reason,
    }


def _require_student(course_id: int, user_id: int) -> None:
    is_student = db.session.scalar(
        select(Membership.id).where(
            and_(
                Membership.course_id == course_id,
                Membership.user_id == user_id,
                Membership.role == Role.student,
            )
        )
    )
    if is_student is None:
        raise NotFound("That person is not a student of this course.", field="user_id")


@dataclass(frozen=True)
class CommentCheck:
    """One comment a student wrote in an assignment, and why it counts or does not."""

    comment: Comment
    post: Post
    reasons: tuple[str, ...]  # empty when it qualifies

    @property
    def qualifies(self) -> bool:
        return not self.reasons


def comment_checks(assignment: Assignment, student: User) -> list[CommentCheck]:
    """The student's comments on the assignment's posts, each checked against the rules
    (the same rules _qualifying_comments counts in SQL), oldest first."""
    rows = db.session.execute(
        select(Comment, Post)
        .join(Post, Post.id == Comment.post_id)
        .where(Post.assignment_id == assignment.id, Comment.author_id == student.id)
        .order_by(Comment.created_at, Comment.id)
    )
    checks = []
    for comment, post in rows:
        reasons = []
        if post.author_id == student.id:
            reasons.append("on their own post")
        if post.status is not PostStatus.published:
            reasons.append("on a draft")
        if comment.deleted_at is not None:
            reasons.append("deleted")
        if comment.word_count < assignment.comment_min_words:
            reasons.append(f"{comment.word_count} words, {assignment.comment_min_words} needed")
        if (
            assignment.comments_due_at is not None
            and comment.created_at > assignment.comments_due_at
        ):
            reasons.append("after comments were due")
        checks.append(CommentCheck(comment, post, tuple(reasons)))
    return checks
