"""The seed's `GroupMembership` (SQLAlchemy), used by the FastAPI and Flask apps; its table comes from Alembic."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the example apps' tables."""


class GroupMembership(Base):
    """A user's membership of one of the application's groups, granted by accepting an invitation."""

    __tablename__ = "group_memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), nullable=False)
    group_type: Mapped[str] = mapped_column(String(100), nullable=False)
    group_id: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str | None] = mapped_column(String(50), default="member", server_default="member")
    joined_at: Mapped[dt.datetime | None] = mapped_column(DateTime(), server_default=func.now())

    __table_args__ = (
        UniqueConstraint("user_id", "group_type", "group_id", name="unique_membership"),
        Index("idx_group", "group_type", "group_id"),
        Index("idx_user", "user_id"),
    )

    def as_dict(self) -> dict[str, str | None]:
        """The membership as JSON."""
        return {"userId": self.user_id, "groupType": self.group_type, "groupId": self.group_id, "role": self.role}
