"""The queue filtered by a red flag is read in queue order from one index.

`queue_indicators` carries its entry's `kind_rank` and `risk`, indexed after the name, so a filtered page is the
first rows of that index instead of a walk over the whole queue probing each entry for the flag (80-190 ms for a
rare flag at 1,000,000 ads; issue #12). Existing rows take the values of their queue entry; rows of entries out of
the queue (decided) go: the filter would walk past them, and nothing else reads them.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER_INDEX = "ix_queue_indicators_order"
NAME_INDEX = "ix_queue_indicators_name"


def upgrade() -> None:
    # Plain ALTER TABLE, nullable as added (SQLite cannot add a NOT NULL column without a default); the ORM
    # writes both on every row it makes.
    op.add_column("queue_indicators", sa.Column("kind_rank", sa.Integer(), nullable=True))
    op.add_column("queue_indicators", sa.Column("risk", sa.Float(), nullable=True))
    op.execute("UPDATE queue_indicators SET kind_rank = (SELECT q.kind_rank FROM queue_entries q "
               "WHERE q.ad_id = queue_indicators.ad_id), risk = (SELECT q.risk FROM queue_entries q "
               "WHERE q.ad_id = queue_indicators.ad_id)")
    # Only queued entries keep rows: nothing lists the others, and the filter must not walk past them.
    op.execute("DELETE FROM queue_indicators WHERE kind_rank IS NULL OR NOT EXISTS (SELECT 1 FROM queue_entries q "
               "WHERE q.ad_id = queue_indicators.ad_id AND q.in_queue)")
    op.drop_index(NAME_INDEX, table_name="queue_indicators")
    op.create_index(ORDER_INDEX, "queue_indicators", ["name", "kind_rank", "risk", "ad_id"])


def downgrade() -> None:
    op.drop_index(ORDER_INDEX, table_name="queue_indicators")
    op.create_index(NAME_INDEX, "queue_indicators", ["name", "ad_id"])
    op.drop_column("queue_indicators", "risk")
    op.drop_column("queue_indicators", "kind_rank")
