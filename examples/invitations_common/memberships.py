"""Granting the memberships accepted invitations stand for, inside the caller's transaction (SQLAlchemy apps).

The apps run, in one transaction: write every membership (flushed, so constraint failures surface here), then
tell Vortex the invitations are accepted, then commit. Any failure before the commit rolls the memberships back
and Vortex was either not told or refused, so a caller never ends up half-accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from vortex_sdk import Invitation

from .models import GroupMembership

MIGRATIONS = Path(__file__).with_name("migrations")


def grant_memberships(session: Session, user_id: str, invitations: Iterable[Invitation]) -> list[GroupMembership]:
    """Add the user to every group of the invitations (existing memberships are kept); flush, do not commit."""
    granted: list[GroupMembership] = []
    for invitation in invitations:
        for group in invitation.groups:
            membership = session.scalars(
                select(GroupMembership).filter_by(user_id=user_id, group_type=group.type, group_id=group.group_id)
            ).first()
            if membership is None:
                membership = GroupMembership(user_id=user_id, group_type=group.type, group_id=group.group_id)
                session.add(membership)
                session.flush()
            granted.append(membership)
    return granted


def memberships_of(session: Session, user_id: str) -> list[GroupMembership]:
    """The user's memberships, oldest first."""
    return list(session.scalars(select(GroupMembership).filter_by(user_id=user_id).order_by(GroupMembership.id)))


def migrate(database_url: str) -> None:
    """Bring the database to the latest Alembic revision (creates `group_memberships`)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url)
    command.upgrade(config, "head")
