"""Participation credit, pinned by hand-computed cases of the rules in DESIGN.md."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from coursehub.blogs import services as blogs
from coursehub.extensions import db
from coursehub.participation import services as credit
from tests import factories
from tests.sql import count_statements

DUE = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
BEFORE = DUE - timedelta(days=1)
LATE = DUE + timedelta(hours=1)
WORDS = "one two three four five six"  # 6 words
SHORT = "too short"  # 2 words
COMMENT = "this is a fair point"  # 5 words


@pytest.fixture
def rules(chapter):
    """10 post points (20% off when late), 5 comment points for comments on 2 peers' posts."""
    return factories.assignment(
        chapter,
        topic_ids=(),
        opens_at=DUE - timedelta(days=7),
        due_at=DUE,
        comments_due_at=DUE + timedelta(days=2),
        min_words=5,
        required_comments=2,
        comment_min_words=3,
        post_points=10,
        comment_points=5,
        late_penalty_percent=20,
    )


@pytest.fixture
def third_student(course):
    return factories.member(course, "tara", "student", display_name="Tara Third")


def write(author, assignment, body=WORDS, at=BEFORE, publish=True):
    post = blogs.create_post(
        author, assignment, f"Post by {author.username}", body, [], publish, at
    )
    db.session.commit()
    return post


def say(author, post, body=COMMENT, at=BEFORE, parent=None):
    comment = blogs.add_comment(author, post, body, parent.id if parent else None, at)
    db.session.commit()
    return comment


def credit_of(assignment, user):
    return next(c for c in credit.assignment_credit(assignment) if c.student.id == user.id)


def test_on_time_post_and_two_peer_comments_earn_everything(
    rules, student, other_student, third_student
):
    write(student, rules)
    say(student, write(other_student, rules))
    say(student, write(third_student, rules))
    mine = credit_of(rules, student)
    assert mine.post.qualifies and not mine.post.is_late
    assert mine.qualifying_comments == 2
    assert (mine.post_points_earned, mine.comment_points_earned, mine.total) == (10, 5, 15)
    assert mine.max_points == 15 and mine.complete


def test_late_post_loses_the_penalty(rules, student):
    write(student, rules, at=LATE)
    mine = credit_of(rules, student)
    assert mine.post.is_late and mine.post.qualifies
    assert mine.post_points_earned == 8  # 10 x (1 - 20 / 100)


def test_late_post_earns_nothing_without_a_penalty_rule(chapter, student):
    assignment = factories.assignment(
        chapter, topic_ids=(), opens_at=BEFORE - timedelta(days=1), due_at=DUE,
        post_points=10, late_penalty_percent=None,
    )  # fmt: skip
    write(student, assignment, at=LATE)
    assert credit_of(assignment, student).post_points_earned == 0


def test_short_post_does_not_qualify(rules, student):
    write(student, rules, body=SHORT)
    mine = credit_of(rules, student)
    assert not mine.post.qualifies and mine.post.word_count == 2
    assert mine.post_points_earned == 0


def test_a_draft_does_not_qualify(rules, student):
    write(student, rules, publish=False)
    mine = credit_of(rules, student)
    assert mine.post.status.value == "draft" and not mine.post.qualifies
    assert mine.total == 0


def test_short_comment_does_not_count(rules, student, other_student):
    say(student, write(other_student, rules), body=SHORT)
    assert credit_of(rules, student).qualifying_comments == 0


def test_comment_after_comments_due_does_not_count(rules, student, other_student):
    say(student, write(other_student, rules), at=DUE + timedelta(days=2, seconds=1))
    assert credit_of(rules, student).qualifying_comments == 0


def test_comment_exactly_at_comments_due_counts(rules, student, other_student):
    say(student, write(other_student, rules), at=DUE + timedelta(days=2))
    assert credit_of(rules, student).qualifying_comments == 1


def test_ten_comments_on_one_post_count_once(rules, student, other_student):
    post = write(other_student, rules)
    for _ in range(10):
        say(student, post)
    mine = credit_of(rules, student)
    assert mine.qualifying_comments == 1
    assert mine.comment_points_earned == 2.5  # 5 x 1 / 2


def test_comment_on_own_post_does_not_count(rules, student):
    say(student, write(student, rules))
    assert credit_of(rules, student).qualifying_comments == 0


def test_reply_on_a_peers_post_counts(rules, student, other_student, third_student):
    post = write(other_student, rules)
    top = say(third_student, post)
    say(student, post, parent=top)
    assert credit_of(rules, student).qualifying_comments == 1


def test_reply_on_own_post_does_not_count(rules, student, other_student):
    post = write(student, rules)
    say(student, post, parent=say(other_student, post))
    assert credit_of(rules, student).qualifying_comments == 0
    assert credit_of(rules, other_student).qualifying_comments == 1


def test_deleted_comment_does_not_count(rules, student, other_student):
    comment = say(student, write(other_student, rules))
    blogs.delete_comment(comment, student, LATE)
    db.session.commit()
    assert credit_of(rules, student).qualifying_comments == 0


def test_comment_keeps_counting_when_the_post_is_removed(rules, student, other_student):
    post = write(other_student, rules)
    say(student, post)
    blogs.delete_post(post, other_student, LATE)
    db.session.commit()
    assert credit_of(rules, student).qualifying_comments == 1
    assert credit_of(rules, other_student).post is None


def test_comment_on_another_assignments_post_never_counts(rules, chapter, student, other_student):
    other = factories.assignment(chapter, title="Another blog", topic_ids=(), opens_at=None)
    say(student, write(other_student, other))
    assert credit_of(rules, student).qualifying_comments == 0
    assert credit_of(other, student).qualifying_comments == 1


def test_the_three_readings_of_the_comment_rule_agree(chapter, student, other_student):
    # The rule is read three ways: the credit (SQL), the grading view's verdict on each
    # comment, and the hint under the comment box before one is written. Each comment
    # below gets an assignment of its own, so its credit is 1 or 0.
    from coursehub.courses.queries import membership_of_id

    membership = membership_of_id(student.id, chapter.course_id)
    cases = itertools.product(
        (True, False),  # on the student's own post
        (SHORT + " three", SHORT),  # 3 words (enough), 2 words
        (DUE - timedelta(minutes=1), DUE, DUE + timedelta(minutes=1)),  # comments due at DUE
        (False, True),  # the comment deleted
        (False, True),  # the post removed afterwards
    )
    disagreements = []
    for own, body, at, comment_deleted, post_removed in cases:
        assignment = factories.assignment(
            chapter, topic_ids=(), comments_due_at=DUE, required_comments=1,
            comment_min_words=3, comment_points=5,
        )  # fmt: skip
        post = write(student if own else other_student, assignment)
        hint = credit.comment_credit_words(membership, post, at)
        comment = say(student, post, body, at)
        if comment_deleted:
            blogs.delete_comment(comment, student, at)
        if post_removed:
            blogs.delete_post(post, post.author, at)
        db.session.commit()
        counted = credit_of(assignment, student).qualifying_comments == 1
        [check] = credit.comment_checks(assignment, student)
        readings = {"credit": counted, "grading view": not check.reasons}
        if not comment_deleted:  # the hint is about the comment about to be written
            readings["hint"] = hint is not None and comment.word_count >= hint
        if len(set(readings.values())) > 1:
            disagreements.append((own, body, at.time(), comment_deleted, post_removed, readings))
    assert disagreements == []


def test_staff_are_not_graded_and_their_comments_count_for_no_one(rules, ta, instructor, student):
    say(ta, write(student, rules))
    graded = {c.student.username for c in credit.assignment_credit(rules)}
    assert graded == {"sofia"}
    assert credit_of(rules, student).qualifying_comments == 0


def test_no_required_comments_means_comments_are_not_graded(chapter, student, other_student):
    assignment = factories.assignment(
        chapter, topic_ids=(), required_comments=0, comment_points=0, post_points=4
    )
    say(student, write(other_student, assignment))
    mine = credit_of(assignment, student)
    assert mine.qualifying_comments == 1 and mine.comment_points_earned == 0
    assert mine.max_points == 4


def test_comment_points_without_required_comments_are_refused(chapter):
    from coursehub.exceptions import Invalid

    with pytest.raises(Invalid) as refused:
        factories.assignment(chapter, required_comments=0, comment_points=3)
    assert refused.value.field == "comment_points"


def test_total_rounds_half_up_to_two_decimals(chapter, student, other_student):
    assignment = factories.assignment(
        chapter, topic_ids=(), required_comments=3, comment_points=1.01, post_points=0
    )
    say(student, write(other_student, assignment))
    # 1.01 x 1 / 3 = 0.33666... -> 0.34
    assert credit_of(assignment, student).total == 0.34


def test_override_replaces_the_total_and_is_audited(rules, instructor, student):
    from coursehub.audit.models import AuditEvent

    write(student, rules, body=SHORT)
    credit.set_override(instructor, rules, student.id, 12.5, "Posted on paper in class", LATE)
    db.session.commit()
    mine = credit_of(rules, student)
    assert mine.computed_total == 0 and mine.total == 12.5
    assert mine.override.reason == "Posted on paper in class"
    credit.set_override(instructor, rules, student.id, 14, "Regraded", LATE)
    db.session.commit()
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.before, e.after["points"]) for e in events] == [
        ("override.set", None, 12.5),
        ("override.set", {"assignment_id": rules.id, "student_id": student.id, "points": 12.5,
                          "reason": "Posted on paper in class"}, 14),
    ]  # fmt: skip
    assert all(e.actor_id == instructor.id for e in events)


@pytest.mark.parametrize(
    ("points", "reason", "field"),
    [(-1, "x", "points"), (30.01, "x", "points"), (5, "   ", "reason"), (5, "r" * 501, "reason")],
)
def test_bad_overrides_are_refused(rules, instructor, student, points, reason, field):
    from coursehub.exceptions import Invalid

    with pytest.raises(Invalid) as refused:
        credit.set_override(instructor, rules, student.id, points, reason, LATE)
    assert refused.value.field == field


def test_override_for_a_non_student_is_refused(rules, instructor, ta, outsider):
    from coursehub.exceptions import NotFound

    for person in (ta, outsider):
        with pytest.raises(NotFound):
            credit.set_override(instructor, rules, person.id, 5, "x", LATE)


def test_statement_count_does_not_grow_with_the_course(rules, course, student, other_student):
    say(student, write(other_student, rules))
    db.session.refresh(rules)
    small = count_statements(lambda: credit.assignment_credit(rules))
    people = [factories.member(course, f"extra{n}", "student") for n in range(12)]
    for person in people:
        post = write(person, rules)
        say(student, post)
        say(other_student, post)
    db.session.refresh(rules)
    large = count_statements(lambda: credit.assignment_credit(rules))
    assert small == large == 4
