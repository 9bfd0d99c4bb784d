"""Leads for police units, lead status history, clusters and export records.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "clusters",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.Column("merged_into", sa.BigInteger(), nullable=True),
    )
    op.create_table(
        "ad_contacts",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("ad_id", BigId, sa.ForeignKey("ads.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.String(320), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("found_at", When, nullable=False),
        sa.UniqueConstraint("ad_id", "kind", "value", name="uq_ad_contacts_ad_kind_value"),
    )
    op.create_index("ix_ad_contacts_ad_id", "ad_contacts", ["ad_id"])
    op.create_index("ix_ad_contacts_kind_value", "ad_contacts", ["kind", "value"])
    op.create_table(
        "ad_link_state",
        sa.Column("ad_id", BigId, sa.ForeignKey("ads.id"), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("cluster_id", BigId, sa.ForeignKey("clusters.id"), nullable=True),
        sa.Column("linked_at", When, nullable=False),
    )
    op.create_index("ix_ad_link_state_cluster_id", "ad_link_state", ["cluster_id"])
    op.create_table(
        "ad_minhash_bands",
        sa.Column("ad_id", BigId, sa.ForeignKey("ads.id"), primary_key=True),
        sa.Column("band", sa.Integer(), primary_key=True),
        sa.Column("key", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_ad_minhash_bands_key", "ad_minhash_bands", ["key"])
    op.create_table(
        "ad_near_duplicates",
        sa.Column("ad_id", BigId, sa.ForeignKey("ads.id"), primary_key=True),
        sa.Column("other_ad_id", BigId, sa.ForeignKey("ads.id"), primary_key=True),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("found_at", When, nullable=False),
    )
    op.create_index("ix_ad_near_duplicates_other_ad_id", "ad_near_duplicates", ["other_ad_id"])
    op.create_table(
        "leads",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
    )
    op.create_index("ix_leads_unit", "leads", ["unit"])
    op.create_table(
        "lead_ads",
        sa.Column("lead_id", BigId, sa.ForeignKey("leads.id"), primary_key=True),
        sa.Column("ad_id", BigId, sa.ForeignKey("ads.id"), primary_key=True),
    )
    op.create_index("ix_lead_ads_ad_id", "lead_ads", ["ad_id"])
    op.create_table(
        "lead_events",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("lead_id", BigId, sa.ForeignKey("leads.id"), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_lead_events_lead_id", "lead_events", ["lead_id"])
    op.create_table(
        "lead_exports",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("lead_id", BigId, sa.ForeignKey("leads.id"), nullable=False),
        sa.Column("exported_by", sa.String(100), nullable=False),
        sa.Column("exported_at", When, nullable=False),
        sa.Column("package_sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_lead_exports_lead_id", "lead_exports", ["lead_id"])
    op.create_table(
        "research_exports",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("exported_by", sa.String(100), nullable=False),
        sa.Column("exported_at", When, nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("research_exports", "lead_exports", "lead_events", "lead_ads", "leads", "ad_near_duplicates",
                  "ad_minhash_bands", "ad_link_state", "ad_contacts", "clusters"):
        op.drop_table(table)
