"""Entities are stored with the score they came with (migration 0004); old scores without them still work."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import select

from model.rule_scorer import RuleScorer
from scraper.records import JobPost
from service.review.ad_detail import ad_detail
from service.scoring.score import score_unscored
from service.settings import Settings
from service.store.ads import _find, upsert_job_post
from service.store.engine import make_engine
from service.store.migrate import current_revision, head_revision, upgrade
from service.store.session import Store, open_store
from service.store.tables import ScoreRow
from tests.service.scoring.old_scores import store_one_old_score

KAMBOJA = "Dicari admin online, penempatan Kamboja lewat Batam, gaji 15 juta. WA 0812-3456-7890"
T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def _ad(store: Store, title: str = "Lowongan admin") -> int:
    with store.session_factory() as session, session.begin():
        upsert_job_post(session, JobPost(source="telegram", source_ad_id="e1", title=title, text=KAMBOJA), None, T0)
        ad = _find(session, "telegram", "e1")
        assert ad is not None
        return ad.id


def test_scoring_stores_the_entities_of_the_full_text_and_the_detail_reads_them_back(store: Store) -> None:
    ad_id = _ad(store, title="Hubungi hrd@contoh-rekrut.id")
    assert score_unscored(store.session_factory, RuleScorer()) == 1
    with store.session_factory() as session, session.begin():
        row = session.scalars(select(ScoreRow).where(ScoreRow.ad_id == ad_id)).one()
        assert row.entities is not None
        assert {d["value"] for d in row.entities["destinations"]} == {"kamboja"}
        assert {c["value"] for c in row.entities["contacts"]} >= {"+6281234567890", "hrd@contoh-rekrut.id"}
        row.entities = {**row.entities, "destinations": [{"text": "stored", "value": "stored", "risk": ""}]}
    with store.session_factory() as session:
        shown = ad_detail(session, ad_id).entities
    assert [d["value"] for d in shown["destinations"]] == ["stored"]  # read from the store, not extracted again


def test_a_score_stored_before_0004_has_no_entities_and_the_detail_finds_them(settings: Settings) -> None:
    ad_id = store_one_old_score(settings, "0003", KAMBOJA, "rules-0", 0.7, 0.8, T0)
    store = open_store(settings)  # brings the old store to head, as every command does
    try:
        assert current_revision(store.engine) == head_revision()
        with store.session_factory() as session:
            assert session.scalars(select(ScoreRow.entities)).one() is None
            detail = ad_detail(session, ad_id)
        assert detail.score is not None and detail.score.risk == 0.8
        assert {d["value"] for d in detail.entities["destinations"]} == {"kamboja"}
    finally:
        store.dispose()


def test_the_entities_column_can_be_migrated_down_and_up_again(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    from alembic import command

    from service.store.migrate import alembic_config

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    assert "entities" not in {c["name"] for c in sa.inspect(engine).get_columns("scores")}
    upgrade(engine)
    assert "entities" in {c["name"] for c in sa.inspect(engine).get_columns("scores")}
    engine.dispose()
