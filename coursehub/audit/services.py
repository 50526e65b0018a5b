"""Recording audit events. Callers pass what changed; nothing here commits."""

from datetime import datetime
from typing import Any

from coursehub.accounts.models import User
from coursehub.audit.models import AuditEvent
from coursehub.extensions import db


def record(
    actor: User | None,
    course_id: int | None,
    action: str,
    target: Any,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event for `target` (a model instance with an id)."""
    event = AuditEvent(
        course_id=course_id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=type(target).__name__,
        target_id=target.id,
        before=before,
        after=after,
        at=now,
    )
    db.session.add(event)
    return event
