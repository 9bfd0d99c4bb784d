"""Entities stored with each score, so reading an ad no longer re-extracts them from its text.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: scores stored before this revision have no entities; the desk finds them when it reads the ad.
    with op.batch_alter_table("scores") as batch:
        batch.add_column(sa.Column("entities", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("entities")
