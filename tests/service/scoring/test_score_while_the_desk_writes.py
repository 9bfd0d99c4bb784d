"""Scoring while others write to the store (every audited desk read appends to the audit chain, a scrape run renews
its lease): the scores still land, on SQLite as on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from model.records import AdText, Score
from model.rule_scorer import RuleScorer
from scraper.records import JobPost
from service.audit import record_audit
from service.scoring.score import score_unscored
from service.store.ads import upsert_job_post
from service.store.session import Store
from service.store.tables import AuditEntry, ScoreRow


class ScorerWhileTheDeskReads:
    """rules-0, while an analyst's audited read is committed in the middle of each batch."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rules = RuleScorer()
        self.version = self.rules.version

    def predict(self, ads: Sequence[AdText]) -> list[Score]:
        with self.store.session_factory() as desk:
            record_audit(desk, "user:ana", "ad.read", "ad", ads[0].ad_id)
            desk.commit()
        return self.rules.predict(ads)


def test_scores_land_when_an_audited_read_commits_while_the_batch_is_scored(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        for n in range(5):
            text = f"Dicari admin online ke Kamboja, visa turis, gaji 20 juta ({n})"
            upsert_job_post(session, JobPost(source="telegram", source_ad_id=f"s{n}", text=text), None)
    assert score_unscored(store.session_factory, ScorerWhileTheDeskReads(store), batch_size=2) == 5
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ScoreRow)) == 5
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 3  # one read per batch
