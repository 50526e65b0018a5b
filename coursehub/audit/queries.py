"""Reading the audit log."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coursehub.accounts.models import User
from coursehub.audit.models import AuditEvent
from coursehub.blogs.models import Assignment, Comment, Post
from coursehub.courses.models import Membership
from coursehub.extensions import db

# Deleting these removes their rows; the event's snapshot keeps the name.
DELETED_STRUCTURE = {"chapter.delete", "topic.delete", "video.delete", "assignment.delete"}


def course_events(course_id: int, offset: int, limit: int) -> list[AuditEvent]:
    """A course's audit events, newest first, with who did them."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.course_id == course_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .options(joinedload(AuditEvent.actor))
            .offset(offset)
            .limit(limit)
        )
    )


def subjects(events: list[AuditEvent]) -> dict[int, str]:
    """What each event was about, in words ("a comment by Maya Lindqvist on “Mirror
    Neurons”"), by event id; one statement per kind of target on the page. An event
    whose target is gone is left out."""
    ids: dict[str, set[int]] = {}
    for event in events:
        ids.setdefault(event.target_type, set()).add(event.target_id)
    # Overrides are named by their snapshot: a cleared override's row is gone.
    snapshots = {
        e.id: e.after or e.before or {} for e in events if e.target_type == "ParticipationOverride"
    }
    # Members are named by the snapshot too: the membership may be gone. (Role changes
    # recorded before their snapshot held the user are named by the membership.)
    people = {
        e.id: e.before["user_id"]
        for e in events
        if e.target_type == "Membership" and "user_id" in (e.before or {})
    }
    students = {s.get("student_id") for s in snapshots.values()} | set(people.values())
    assignments = {s.get("assignment_id") for s in snapshots.values()} | ids.get(
        "Assignment", set()
    )
    comments = {
        comment_id: f"a comment by {author} on “{title}”"
        for comment_id, author, title in db.session.execute(
            select(Comment.id, User.display_name, Post.title)
            .join(User, User.id == Comment.author_id)
            .join(Post, Post.id == Comment.post_id)
            .where(Comment.id.in_(ids.get("Comment", ())))
        )
    }
    posts = {
        post_id: f"“{title}” by {author}"
        for post_id, title, author in db.session.execute(
            select(Post.id, Post.title, User.display_name)
            .join(User, User.id == Post.author_id)
            .where(Post.id.in_(ids.get("Post", ())))
        )
    }
    members = dict(
        db.session.execute(
            select(Membership.id, User.display_name)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id.in_(ids.get("Membership", ())))
        ).all()
    )
    names = dict(
        db.session.execute(select(User.id, User.display_name).where(User.id.in_(students))).all()
    )
    titles = dict(
        db.session.execute(
            select(Assignment.id, Assignment.title).where(Assignment.id.in_(assignments))
        ).all()
    )
    # SQLite may give a deleted row's id to a new one: an event from before an
    # assignment's deletion is about the deleted one, named by the deletion's snapshot.
    deletions: dict[int, list[tuple[datetime, str]]] = {}
    for target_id, at, before in db.session.execute(
        select(AuditEvent.target_id, AuditEvent.at, AuditEvent.before)
        .where(
            AuditEvent.course_id.in_({event.course_id for event in events}),
            AuditEvent.action == "assignment.delete",
            AuditEvent.target_id.in_(assignments),
        )
        .order_by(AuditEvent.at)
    ):
        deletions.setdefault(target_id, []).append((at, before["title"]))

    def title_of(assignment_id: int | None, at: datetime) -> str | None:
        deleted = (title for gone_at, title in deletions.get(assignment_id, ()) if at <= gone_at)
        return next(deleted, None) or titles.get(assignment_id)

    found = {"Comment": comments, "Post": posts, "Membership": members}
    said = {}
    for event in events:
        if event.action in DELETED_STRUCTURE:  # gone: named by its snapshot
            snapshot = event.before or {}
            said[event.id] = f"“{snapshot.get('title') or snapshot.get('name')}”"
        elif event.id in snapshots:
            snapshot = snapshots[event.id]
            student, title = (
                names.get(snapshot.get("student_id")),
                title_of(snapshot.get("assignment_id"), event.at),
            )
            if student and title:
                said[event.id] = f"{student} in “{title}”"
        elif event.id in people:
            if name := names.get(people[event.id]):
                said[event.id] = name
        elif event.target_type == "Assignment":
            if title := title_of(event.target_id, event.at):
                said[event.id] = f"“{title}”"
        elif (text := found.get(event.target_type, {}).get(event.target_id)) is not None:
            said[event.id] = text
    return said
