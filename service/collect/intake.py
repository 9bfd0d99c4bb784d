"""Manual intake: an analyst hands in an ad's text, or the URL of an ad on a configured source host.

URLs go through the scraper's polite fetcher (robots.txt, pacing, size and time limits) with the
allow-list checked on every request it makes; the page is kept as an evidence snapshot before it
is read. The new ad is scored at once, joins the queue if its risk is over the threshold, and is
linked to the ads it shares a contact or its text with.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from model.records import Scorer
from model.rule_scorer import RuleScorer
from scraper.errors import FetchError
from scraper.fetcher import Fetcher, FetchPolicy
from scraper.htmltext import soup_of, text_of
from scraper.records import JobPost, RawPage
from service.audit import record_audit
from service.auth.users import Principal
from service.collect.runs import fetch_policy
from service.collect.url_guard import check_resolution, check_url
from service.errors import RefusedError
from service.links.linking import link_ads
from service.review.queue_sync import sync_queue
from service.scoring.score import score_row
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.ads import _find, ad_text, upsert_job_post
from service.store.evidence import store_snapshot
from service.store.locking import write_lock
from service.store.tables import Ad, QueueEntry
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.intake")
MAX_TEXT_CHARS = 100_000


@dataclass(frozen=True)
class IntakeResult:
    ad_id: int
    outcome: str
    snapshot_id: int | None
    risk: float | None
    in_queue: bool


class GuardedFetcher(Fetcher):
    """The shared fetcher, with the intake allow-list enforced on every outgoing request."""

    def __init__(self, policy: FetchPolicy, allow_list: list[str], allow_private: bool) -> None:
        super().__init__(policy)
        self.allow_list = allow_list
        self.allow_private = allow_private

    async def __aenter__(self) -> GuardedFetcher:
        await super().__aenter__()
        assert self._client is not None
        self._client.event_hooks["request"].append(self._guard)
        return self

    async def _guard(self, request: httpx.Request) -> None:
        host = check_url(str(request.url), self.allow_list)
        await check_resolution(host, request.url.port or (443 if request.url.scheme == "https" else 80),
                               self.allow_private)


def intake_policy(settings: Settings) -> FetchPolicy:
    """One page, fetched once, with the scraper's politeness but an analyst's patience."""
    return fetch_policy(settings, max_retries=1, retry_budget=1, deadline=min(settings.scrape_deadline_seconds, 30.0),
                        min_interval=0.0)


def fetch_for_intake(settings: Settings, url: str, policy: FetchPolicy | None = None) -> RawPage:
    """Fetch one allow-listed URL; UrlRefused for anything the guard refuses, RefusedError if it fails."""
    check_url(url, settings.intake_source_hosts)

    async def run() -> RawPage:
        async with GuardedFetcher(policy or intake_policy(settings), settings.intake_source_hosts,
                                  settings.intake_allow_private_addresses) as fetcher:
            return await fetcher.fetch(url)

    try:
        page = asyncio.run(run())
    except FetchError as exc:
        raise RefusedError(f"could not fetch {url}: {exc}") from exc
    check_url(page.final_url, settings.intake_source_hosts)  # belt and braces: the page we keep is on the list
    if not 200 <= page.status < 300:
        raise RefusedError(f"{url} answered HTTP {page.status}; nothing was stored")
    return page


def page_as_post(page: RawPage) -> JobPost:
    """A generic reading of any ad page: its <title> and its visible text."""
    soup = soup_of(page.body, page.headers.get("content-type"))
    title = text_of(soup.title) if soup.title else ""
    text = text_of(soup.body or soup)[:MAX_TEXT_CHARS]
    if not text.strip():
        raise RefusedError(f"{page.final_url} has no readable text; paste the ad's text instead")
    host = urlsplit(page.final_url).hostname or "web"
    key = hashlib.sha256(page.final_url.encode()).hexdigest()[:32]
    return JobPost(source=f"intake:{host}"[:40], source_ad_id=key, url=page.final_url, title=title[:1000], text=text,
                   extra={"intake": "url"})


def active_scorer(session: Session, settings: Settings) -> Scorer:
    """The active trained model if the model registry has one, else the transparent rule scorer."""
    from service.scoring.registry import load_active_scorer

    try:
        return load_active_scorer(session, settings)
    except Exception:  # a broken model must not stop intake; the rules still score it
        log.exception("event=active_model_unavailable fallback=rules")
        return RuleScorer()


def _score(session: Session, settings: Settings, ad: Ad) -> float:
    scorer = active_scorer(session, settings)
    score = scorer.predict([ad_text(ad)])[0]
    try:
        with session.begin_nested():
            session.add(score_row(ad, scorer.version, score, utc_now()))
            ad.scored_content_hash = ad.content_hash  # leaves the stale index (service.scoring.pending)
    except IntegrityError:
        pass  # already scored for this content by this model
    return score.risk


def store_intake(session: Session, settings: Settings, user: Principal, post: JobPost, page: RawPage | None,
                 details: dict[str, Any]) -> IntakeResult:
    """Snapshot (if any), ad, score and audit entry in one transaction; then the queue and the links catch up."""
    # Read-then-write: on SQLite the write lock must come with BEGIN, so end any read the request began first
    # (a deferred transaction that read cannot take the lock later while another writer holds it).
    session.commit()
    write_lock(session, "intake")
    snapshot_id = store_snapshot(session, page, source_name="intake").id if page else None
    outcome = upsert_job_post(session, post, snapshot_id)
    ad = _find(session, post.source, post.source_ad_id)
    assert ad is not None
    ad_id = ad.id  # read now: after a commit, `ad.id` would reload the row and begin a read transaction
    risk = _score(session, settings, ad)
    record_audit(session, user.actor, "ad.intake", "ad", ad_id, {**details, "outcome": outcome})
    session.commit()
    sync_queue(session, review_threshold(session, settings))  # commits
    session.commit()  # link_ads reads, then writes: its lock must begin its own transaction
    link_ads(session, [ad_id], settings.near_duplicate_threshold)
    session.commit()
    entry = session.get(QueueEntry, ad_id)
    in_queue = bool(entry and entry.in_queue)
    session.commit()
    return IntakeResult(ad_id, outcome, snapshot_id, risk, in_queue)


def intake_text(session: Session, settings: Settings, user: Principal, text: str, title: str = "",
                source: str = "manual", url: str | None = None, location: str | None = None) -> IntakeResult:
    """An ad from its pasted text (nothing is fetched, even if a URL is given)."""
    return store_intake(session, settings, user, text_post(text, title, source, url, location), None,
                        {"via": "text"})


def intake_url(session: Session, settings: Settings, user: Principal, url: str) -> IntakeResult:
    """An ad page fetched from a configured source host, kept as evidence, read as an ad.

    The page is fetched before any transaction begins, so no lock is held over the network.
    """
    page = fetch_for_intake(settings, url)
    return store_intake(session, settings, user, page_as_post(page), page, {"via": "url", "url": url})


def text_post(text: str, title: str, source: str, url: str | None, location: str | None) -> JobPost:
    """Pasted text is keyed by its content, so pasting the same ad twice does not duplicate it."""
    key = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:32]
    return JobPost(source=source, source_ad_id=f"text:{key}", text=text, title=title, url=url, location=location,
                   extra={"intake": "text"})
