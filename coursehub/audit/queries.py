"""Reading the audit log."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coursehub.audit.models import AuditEvent
from coursehub.extensions import db


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
