"""The model's modus and deciding facts stored with each score; the queue filters by modus through an index.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE_MODUS_INDEX = "ix_queue_modus"


def upgrade() -> None:
    # Nullable: scores stored before this revision have no modus and no facts; the desk finds the facts when it
    # reads the ad, and shows no modus for them.
    with op.batch_alter_table("scores") as batch:
        batch.add_column(sa.Column("modus", sa.String(60), nullable=True))
        batch.add_column(sa.Column("modus_probability", sa.Float(), nullable=True))
        batch.add_column(sa.Column("facts", sa.JSON(), nullable=True))
    # The queue's modus filter walks the queue in its own order within one modus.
    op.create_index(QUEUE_MODUS_INDEX, "queue_entries", ["modus", "in_queue", "kind_rank", "risk", "ad_id"])


def downgrade() -> None:
    op.drop_index(QUEUE_MODUS_INDEX, table_name="queue_entries")
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("facts")
        batch.drop_column("modus_probability")
        batch.drop_column("modus")
