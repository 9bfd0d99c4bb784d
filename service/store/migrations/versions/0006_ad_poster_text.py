"""Text read by OCR from an ad's attached images (posters), kept beside the ad's own text (issue #14).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: ads stored before this revision, and ads without a readable image, have no poster text.
    with op.batch_alter_table("ads") as batch:
        batch.add_column(sa.Column("ocr_text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("ocr_confidence", sa.Float(), nullable=True))
        batch.add_column(sa.Column("ocr_engine", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ads") as batch:
        batch.drop_column("ocr_engine")
        batch.drop_column("ocr_confidence")
        batch.drop_column("ocr_text")
