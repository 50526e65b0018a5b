"""Staff overrides of a student's participation total."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehub.accounts.models import User
from coursehub.db import utcnow
from coursehub.extensions import db

REASON_MAX = 500


class ParticipationOverride(db.Model):
    """Replaces a student's computed total for one assignment; every change is audited."""

    __tablename__ = "participation_overrides"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    points: Mapped[float]
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    by: Mapped[User | None] = relationship(foreign_keys=[by_id])
