"""The audit chain appended in one server-side call on PostgreSQL; ads say which content version they were linked for.

`lokerwatch_audit_append` takes the chain's advisory lock, reads the last hash, hashes and inserts the entry in one
statement, so no client round trip happens while the lock is held (issue #12: most busy connections were waiting
on it). `ads.linked_content_hash` with a partial index lets the linker find the ads a run added or changed without
scanning the whole store.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STALE_INDEX = "ix_ads_link_stale"

# Each statement of a VOLATILE PL/pgSQL function takes a new snapshot, so the last hash is read after the lock is
# held and sees the entry the previous holder committed. The body's bytes up to and after the previous hash come
# from Python (`service.audit.digest_body`), so the hash is the one `audit verify` recomputes.
AUDIT_APPEND = """
CREATE OR REPLACE FUNCTION lokerwatch_audit_append(
    p_lock_key bigint, p_at timestamptz, p_actor varchar, p_action varchar, p_object_type varchar,
    p_object_id varchar, p_details json, p_body_head bytea, p_body_tail bytea)
RETURNS TABLE (entry_id bigint, entry_prev_hash varchar, entry_digest varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    previous varchar;
    digest varchar;
    new_id bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock_key);
    SELECT a.entry_hash INTO previous FROM audit_log a ORDER BY a.id DESC LIMIT 1;
    previous := coalesce(previous, repeat('0', 64));
    digest := encode(sha256(p_body_head || convert_to(previous, 'UTF8') || p_body_tail), 'hex');
    INSERT INTO audit_log (at, actor, action, object_type, object_id, details, prev_hash, entry_hash)
    VALUES (p_at, p_actor, p_action, p_object_type, p_object_id, p_details, previous, digest)
    RETURNING audit_log.id INTO new_id;
    RETURN QUERY SELECT new_id, previous, digest;
END
$$;
"""


def upgrade() -> None:
    with op.batch_alter_table("ads") as batch:
        batch.add_column(sa.Column("linked_content_hash", sa.String(64), nullable=True))
    op.execute("UPDATE ads SET linked_content_hash = (SELECT s.content_hash FROM ad_link_state s "
               "WHERE s.ad_id = ads.id)")
    # Only ads waiting to be linked are in it: never linked (NULL) or linked for an older version of their text.
    op.create_index(STALE_INDEX, "ads", ["id"],
                    postgresql_where=sa.text("linked_content_hash IS DISTINCT FROM content_hash"),
                    sqlite_where=sa.text("linked_content_hash IS NOT content_hash"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(AUDIT_APPEND)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS lokerwatch_audit_append")
    op.drop_index(STALE_INDEX, "ads")
    with op.batch_alter_table("ads") as batch:
        batch.drop_column("linked_content_hash")
