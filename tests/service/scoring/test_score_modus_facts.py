"""The model's modus and deciding facts are stored with the score (migration 0005); old scores still work."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from model.rule_scorer import RuleScorer
from scraper.records import JobPost
from service.display.labels import MODUS_LABELS
from service.review.ad_detail import ad_detail
from service.scoring.registry import activate, load_active_scorer
from service.scoring.score import score_unscored
from service.settings import Settings
from service.store.ads import _find, upsert_job_post
from service.store.engine import make_engine
from service.store.migrate import alembic_config, current_revision, head_revision, upgrade
from service.store.session import Store, open_store
from service.store.tables import ScoreRow
from tests.service.scoring.old_scores import store_one_old_score
from tests.trained import install_model

KAMBOJA = ("Info loker admin online Kamboja, gaji 20jt, tiket & visa turis ditanggung, paspor dipegang agen. "
           "WA 0812-3456-7890")
T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def _ad(store: Store, source_ad_id: str = "m1", text: str = KAMBOJA, title: str = "Loker Kamboja") -> int:
    with store.session_factory() as session, session.begin():
        upsert_job_post(session, JobPost(source="telegram", source_ad_id=source_ad_id, title=title, text=text), None,
                        T0)
        ad = _find(session, "telegram", source_ad_id)
        assert ad is not None
        return ad.id


def test_a_trained_model_s_modus_and_facts_are_stored_and_the_detail_reads_them_back(
        store: Store, settings: Settings, small_model: Path) -> None:
    version = install_model(small_model, settings.model_dir)
    with store.session_factory() as session:
        activate(session, settings, version)
        scorer = load_active_scorer(session, settings)
    ad_id = _ad(store)
    assert score_unscored(store.session_factory, scorer) == 1
    with store.session_factory() as session, session.begin():
        row = session.scalars(select(ScoreRow).where(ScoreRow.ad_id == ad_id)).one()
        assert row.modus in MODUS_LABELS and MODUS_LABELS[row.modus][1] == "trafficking"
        assert row.modus_probability is not None and 0.0 < row.modus_probability <= 1.0
        assert row.facts is not None
        full_text = f"Loker Kamboja\n{KAMBOJA}"
        for fact in row.facts:  # spans into the text the analyst sees
            assert full_text[fact["start"]:fact["end"]] == fact["text"], fact
        keys = {f"{fact['kind']}:{fact['value']}" for fact in row.facts if not fact["negated"]}
        assert {"visa:visit", "passport:held_by_other", "destination:no_placement_agreement"} <= keys
        row.facts = [{**row.facts[0], "text": "stored", "kind": "visa", "value": "visit", "start": 0, "end": 6}]
    with store.session_factory() as session:
        detail = ad_detail(session, ad_id)
    assert detail.score is not None and detail.score.modus in MODUS_LABELS
    assert [fact["text"] for fact in detail.facts] == ["stored"]  # read from the store, not found again
    assert {item.code: item.status for item in detail.checklist}["work_visa"] == "contradicted"


def test_rules_0_stores_facts_and_no_modus(store: Store) -> None:
    ad_id = _ad(store)
    assert score_unscored(store.session_factory, RuleScorer()) == 1
    with store.session_factory() as session:
        row = session.scalars(select(ScoreRow).where(ScoreRow.ad_id == ad_id)).one()
        detail = ad_detail(session, ad_id)
    assert row.modus is None and row.modus_probability is None
    assert row.facts and any(fact["kind"] == "visa" and fact["value"] == "visit" for fact in row.facts)
    assert detail.facts == row.facts


def test_a_score_stored_before_0005_has_no_facts_and_the_detail_finds_them(settings: Settings) -> None:
    ad_id = store_one_old_score(settings, "0004", KAMBOJA, "lw-old", 0.8, 0.9, T0)
    store = open_store(settings)  # brings the old store to head, as every command does
    try:
        assert current_revision(store.engine) == head_revision()
        with store.session_factory() as session:
            row = session.scalars(select(ScoreRow)).one()
            assert (row.modus, row.modus_probability, row.facts) == (None, None, None)
            detail = ad_detail(session, ad_id)
        assert detail.score is not None and detail.score.modus is None
        assert any(fact["kind"] == "visa" and fact["value"] == "visit" for fact in detail.facts)
        assert KAMBOJA[detail.facts[0]["start"]:detail.facts[0]["end"]] == detail.facts[0]["text"]
        assert detail.checklist, "an overseas ad gets its legal checklist from facts found on view"
    finally:
        store.dispose()


def test_migration_0005_can_be_taken_down_and_up_again(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    config = alembic_config()

    def columns() -> set[str]:
        return {c["name"] for c in sa.inspect(engine).get_columns("scores")}

    def indexes() -> set[str]:
        return {str(i["name"]) for i in sa.inspect(engine).get_indexes("queue_entries")}

    assert {"modus", "modus_probability", "facts"} <= columns() and "ix_queue_modus" in indexes()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    assert not {"modus", "modus_probability", "facts"} & columns() and "ix_queue_modus" not in indexes()
    upgrade(engine)
    assert {"modus", "modus_probability", "facts"} <= columns() and "ix_queue_modus" in indexes()
    engine.dispose()
