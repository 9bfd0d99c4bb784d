"""Users, API tokens, login throttling, claims and other review-desk tables.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Utc = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", BigId, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(200), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", Utc, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", BigId, nullable=False),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", Utc, nullable=False),
        sa.Column("expires_at", Utc, nullable=True),
        sa.Column("revoked_at", Utc, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", BigId, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("client_addr", sa.String(64), nullable=False),
        sa.Column("at", Utc, nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])
    op.create_index("ix_login_attempts_client_at", "login_attempts", ["client_addr", "at"])
    op.create_table(
        "queue_entries",
        sa.Column("ad_id", BigId, nullable=False),
        sa.Column("score_id", BigId, nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("p_scam", sa.Float(), nullable=False),
        sa.Column("p_trafficking", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("kind_rank", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("in_queue", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("modus", sa.String(60), nullable=True),
        sa.Column("cluster_id", BigId, nullable=True),
        sa.Column("seen_at", Utc, nullable=False),
        sa.Column("entered_at", Utc, nullable=False),
        sa.Column("indicator_names", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["ad_id"], ["ads.id"]),
        sa.PrimaryKeyConstraint("ad_id"),
    )
    op.create_index("ix_queue_order", "queue_entries", ["in_queue", "kind_rank", "risk", "ad_id"])
    op.create_index("ix_queue_status", "queue_entries", ["status"])
    op.create_index("ix_queue_counts", "queue_entries", ["in_queue", "status", "kind"])
    op.create_table(
        "queue_indicators",
        sa.Column("ad_id", BigId, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(["ad_id"], ["ads.id"]),
        sa.PrimaryKeyConstraint("ad_id", "name"),
    )
    op.create_index("ix_queue_indicators_name", "queue_indicators", ["name", "ad_id"])
    op.create_table(
        "ad_claims",
        sa.Column("ad_id", BigId, nullable=False),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("claimed_at", Utc, nullable=False),
        sa.Column("expires_at", Utc, nullable=False),
        sa.ForeignKeyConstraint(["ad_id"], ["ads.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("ad_id"),
    )
    op.create_index("ix_ad_claims_expires_at", "ad_claims", ["expires_at"])
    with op.batch_alter_table("reviews") as batch_op:
        batch_op.add_column(sa.Column("supersedes_id", BigId, nullable=True))
        batch_op.create_index("ix_reviews_reviewer_created_at", ["reviewer", "created_at"])
    # A unique prev_hash makes a forked audit chain impossible even if a lock were ever missed.
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.create_index("uq_audit_log_prev_hash", ["prev_hash"], unique=True)
        batch_op.create_index("ix_audit_log_object", ["object_type", "object_id"])
    op.create_index("ix_scores_ad_id_id", "scores", ["ad_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_scores_ad_id_id", table_name="scores")
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_index("ix_audit_log_object")
        batch_op.drop_index("uq_audit_log_prev_hash")
    with op.batch_alter_table("reviews") as batch_op:
        batch_op.drop_index("ix_reviews_reviewer_created_at")
        batch_op.drop_column("supersedes_id")
    op.drop_index("ix_ad_claims_expires_at", table_name="ad_claims")
    op.drop_table("ad_claims")
    op.drop_index("ix_queue_indicators_name", table_name="queue_indicators")
    op.drop_table("queue_indicators")
    op.drop_index("ix_queue_counts", table_name="queue_entries")
    op.drop_index("ix_queue_status", table_name="queue_entries")
    op.drop_index("ix_queue_order", table_name="queue_entries")
    op.drop_table("queue_entries")
    op.drop_index("ix_login_attempts_client_at", table_name="login_attempts")
    op.drop_index("ix_login_attempts_username_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_index("ix_api_tokens_user_id", table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_table("users")
