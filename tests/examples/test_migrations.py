"""The example apps' migrations create exactly the models they ship (Alembic vs SQLAlchemy, Django's own check)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from invitations_common.memberships import migrate
from invitations_common.models import Base


def test_alembic_migration_matches_the_sqlalchemy_model(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        indexes = {ix["name"] for ix in sa.inspect(connection).get_indexes("group_memberships")}
    assert indexes == {"idx_group", "idx_user"}
    migrate(url)  # a second run is a no-op
    engine.dispose()


def test_unique_membership_is_enforced(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url)
    engine = sa.create_engine(url)
    row = {"user_id": "u1", "group_type": "team", "group_id": "t1"}
    insert = sa.text(
        "INSERT INTO group_memberships (user_id, group_type, group_id) VALUES (:user_id, :group_type, :group_id)"
    )
    with engine.begin() as connection:
        connection.execute(insert, row)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(insert, row)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT role FROM group_memberships")).scalar_one() == "member"
    engine.dispose()


def test_django_migrations_are_complete(django_db: Path) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "invitations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) if not
