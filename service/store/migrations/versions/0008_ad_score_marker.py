"""Ads say which content version was last scored, so scoring finds new and edited ads through a partial index.

Before, finding the ads without a score compared every ad with the scores (an anti-join over the whole store:
0.7 s a query at 1,000,000 ads, several a scrape page; issue #12). Existing ads are marked as scored when a score
for their current content exists, by any model: a model switch is caught by the per-model sweep in
`service.scoring.pending`, not by this marker.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STALE_INDEX = "ix_ads_score_stale"


def upgrade() -> None:
    op.add_column("ads", sa.Column("scored_content_hash", sa.String(64), nullable=True))
    op.execute("UPDATE ads SET scored_content_hash = content_hash WHERE EXISTS (SELECT 1 FROM scores s "
               "WHERE s.ad_id = ads.id AND s.content_hash = ads.content_hash)")
    # Only ads waiting for a score are in it: never scored (NULL) or scored for an older version of their text.
    op.create_index(STALE_INDEX, "ads", ["id"],
                    postgresql_where=sa.text("scored_content_hash IS DISTINCT FROM content_hash"),
                    sqlite_where=sa.text("scored_content_hash IS NOT content_hash"))


def downgrade() -> None:
    op.drop_index(STALE_INDEX, "ads")
    # Plain ALTER TABLE (SQLite >= 3.35 has DROP COLUMN): a batch copy of `ads` would break the scores' foreign keys.
    op.drop_column("ads", "scored_content_hash")
