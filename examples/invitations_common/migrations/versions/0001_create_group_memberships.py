"""Create group_memberships (the seed's migration).

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    """Create the table, its unique membership constraint and its indexes."""
    op.create_table(
        "group_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("group_type", sa.String(100), nullable=False),
        sa.Column("group_id", sa.String(255), nullable=False),
        sa.Column("role", sa.String(50), server_default="member"),
        sa.Column("joined_at", sa.DateTime(), server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "group_type", "group_id", name="unique_membership"),
    )
    op.create_index("idx_group", "group_memberships", ["group_type", "group_id"])
    op.create_index("idx_user", "group_memberships", ["user_id"])


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("group_memberships")
