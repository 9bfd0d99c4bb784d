"""Scoring finds its work through the stale marker and a per-model sweep: every ad lacking the active model's score
for its current text is scored exactly once, after edits, model switches and scores written elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select

from model.records import AdText, Score
from model.rule_scorer import RuleScorer
from scraper.records import JobPost
from service.scoring.pending import SWEEP_KEY, count_pending, is_score_stale, sweep_state
from service.scoring.score import score_row, score_unscored
from service.settings import Settings
from service.store.ads import upsert_job_post
from service.store.engine import make_engine
from service.store.migrate import alembic_config, upgrade
from service.store.session import Store, open_store
from service.store.tables import Ad, AppState, ScoreRow

T0 = datetime(2026, 11, 1, tzinfo=UTC)


class CountingScorer:
    """rules-0 under another version name, counting which ads it was asked to score."""

    def __init__(self, version: str = "rules-0") -> None:
        self.rules = RuleScorer()
        self.version = version
        self.seen: list[int] = []

    def predict(self, ads: Sequence[AdText]) -> list[Score]:
        self.seen.extend(int(ad.ad_id) for ad in ads)
        return self.rules.predict(ads)


def _store_posts(store: Store, texts: dict[str, str]) -> None:
    with store.session_factory() as session, session.begin():
        for key, text in texts.items():
            upsert_job_post(session, JobPost(source="telegram", source_ad_id=key, text=text), None)


def _ad_id(store: Store, key: str) -> int:
    with store.session_factory() as session:
        return int(session.scalar(select(Ad.id).where(Ad.source_ad_id == key)) or 0)


def _scores(store: Store, version: str) -> list[tuple[int, str]]:
    with store.session_factory() as session:
        return sorted((ad_id, digest) for ad_id, digest in session.execute(
            select(ScoreRow.ad_id, ScoreRow.content_hash).where(ScoreRow.model_version == version)))


def _stale_count(store: Store) -> int:
    with store.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Ad).where(is_score_stale())) or 0


ADS = {f"a{n}": f"Dicari admin online ke Kamboja, visa turis, gaji {n + 10} juta" for n in range(5)}


def test_new_ads_are_scored_once_and_an_edited_ad_again_alone(store: Store) -> None:
    _store_posts(store, ADS)
    assert _stale_count(store) == 5
    first = CountingScorer()
    assert score_unscored(store.session_factory, first, batch_size=2) == 5
    assert sorted(first.seen) == sorted(_ad_id(store, key) for key in ADS)
    assert _stale_count(store) == 0
    again = CountingScorer()
    assert score_unscored(store.session_factory, again) == 0 and again.seen == []

    _store_posts(store, {"a3": "Dicari admin online ke Kamboja, paspor ditahan agen"})  # the post was edited
    assert _stale_count(store) == 1
    edited = CountingScorer()
    assert score_unscored(store.session_factory, edited) == 1
    assert edited.seen == [_ad_id(store, "a3")]
    assert len(_scores(store, "rules-0")) == 6  # both versions of a3's text keep their score


def test_a_model_switch_scores_every_ad_with_the_new_model_and_back_again(store: Store) -> None:
    _store_posts(store, ADS)
    assert score_unscored(store.session_factory, CountingScorer("rules-0"), batch_size=2) == 5
    other = CountingScorer("rules-other")
    assert score_unscored(store.session_factory, other, batch_size=2) == 5  # the sweep finds what the marker cannot
    assert len(set(other.seen)) == 5
    with store.session_factory() as session:
        assert sweep_state(session, "rules-other") == {"version": "rules-other", "after": max(other.seen),
                                                      "done": True}
    _store_posts(store, {"a1": "Loker kasir toko roti, gaji UMR, kirim lamaran ke email"})  # edited while `other`
    assert score_unscored(store.session_factory, CountingScorer("rules-other")) == 1
    back = CountingScorer("rules-0")
    assert score_unscored(store.session_factory, back, batch_size=2) == 1  # only a1's new text lacks rules-0
    assert back.seen == [_ad_id(store, "a1")]
    assert len(_scores(store, "rules-0")) == 6 and len(_scores(store, "rules-other")) == 6


def test_a_score_written_elsewhere_is_never_scored_twice(store: Store) -> None:
    _store_posts(store, ADS)
    rules = RuleScorer()
    with store.session_factory() as session, session.begin():  # e.g. intake or a restored backup: marker not set
        ad = session.scalars(select(Ad).where(Ad.source_ad_id == "a0")).one()
        text = AdText(ad_id=str(ad.id), title=ad.title, text=ad.text)
        session.add(score_row(ad, rules.version, rules.predict([text])[0], T0))
    scorer = CountingScorer()
    assert score_unscored(store.session_factory, scorer, batch_size=1) == 4
    assert _ad_id(store, "a0") not in scorer.seen
    assert _stale_count(store) == 0  # a0 left the stale index without a second score
    assert len(_scores(store, "rules-0")) == 5


def test_an_empty_store_ends_the_sweep_at_once(store: Store) -> None:
    assert score_unscored(store.session_factory, CountingScorer()) == 0
    with store.session_factory() as session:
        assert session.get(AppState, SWEEP_KEY) is not None
        assert sweep_state(session, "rules-0")["done"] is True


def test_migration_0008_marks_the_ads_scored_for_their_current_text(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    upgrade(engine, "0007")
    with engine.begin() as connection:
        for key, digest, scored in (("old-1", "h1", "h1"), ("old-2", "h2", "h-older"), ("old-3", "h3", None)):
            ad_id = connection.execute(sa.text(
                "INSERT INTO ads (source, source_ad_id, title, text, contact_handles, extra, content_hash, "
                "first_seen_at, last_seen_at) VALUES ('telegram', :k, '', 'Loker', '[]', '{}', :h, :t, :t) "
                "RETURNING id"), {"k": key, "h": digest, "t": T0}).scalar_one()
            if scored:
                connection.execute(sa.text(
                    "INSERT INTO scores (ad_id, model_version, content_hash, p_scam, p_trafficking, risk, indicators, "
                    "top_features, scored_at) VALUES (:a, 'rules-0', :h, 0.1, 0.1, 0.1, '[]', '[]', :t)"),
                    {"a": ad_id, "h": scored, "t": T0})
    engine.dispose()
    store = open_store(settings)
    try:
        with store.session_factory() as session:
            marks = {key: mark for key, mark in session.execute(select(Ad.source_ad_id, Ad.scored_content_hash))}
        assert marks == {"old-1": "h1", "old-2": None, "old-3": None}  # old-2's score is for an older text
        config = alembic_config()
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0007")
        assert "scored_content_hash" not in {column["name"] for column in sa.inspect(store.engine).get_columns("ads")}
        upgrade(store.engine)
    finally:
        store.dispose()


def test_the_pending_count_a_progress_bar_starts_from(store: Store) -> None:
    _store_posts(store, ADS)
    with store.session_factory() as session:
        assert count_pending(session, "rules-0") == 5  # new ads (and a sweep that has not looked yet: nothing after)
    score_unscored(store.session_factory, CountingScorer("rules-0"))
    with store.session_factory() as session:
        assert count_pending(session, "rules-0") == 0
        assert count_pending(session, "rules-other") == 5  # a model that never scored: every ad may need it
    _store_posts(store, {"a6": "Loker baru: admin gudang, gaji UMR"})
    score_unscored(store.session_factory, CountingScorer("rules-other"))
    with store.session_factory() as session:
        assert count_pending(session, "rules-other") == 0
