"""Two analysts claiming (or deciding) the same ad at the same moment: exactly one wins, on both stores."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select

from service.auth.users import Principal
from service.errors import ConflictError
from service.review.decisions import ad_lock, claim_ad, claim_next_ad, decide
from service.review.queue import QueueFilters
from service.review.queue_sync import sync_queue
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.locking import try_write_lock
from service.store.session import Store
from service.store.tables import AdClaim, Review
from tests.service.desk import add_scored_ad, make_users

ROUNDS = 8


def _race(store: Store, users: list[Principal], action: Callable[..., object]) -> list[str]:
    """Run `action(session, user)` for every user at once (a barrier releases them together)."""
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: Principal) -> None:
        with store.session_factory() as session:
            barrier.wait()
            try:
                action(session, user)
                result = f"won:{user.username}"
            except ConflictError:
                result = "conflict"
            except Exception as exc:  # anything else (e.g. a lock error) is a failure of the test
                result = f"error:{type(exc).__name__}:{exc}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _ads(store: Store, settings: Settings, count: int) -> list[int]:
    with store.session_factory() as session:
        ids = [add_scored_ad(session, f"race-{n}", f"Kerja di Kamboja {n}", 0.1, 0.8) for n in range(count)]
        session.commit()
        sync_queue(session, review_threshold(session, settings))
    return ids


def test_claim_is_exclusive_between_two_analysts(settings: Settings, store: Store) -> None:
    with store.session_factory() as session:
        users = make_users(session)
    analysts = [users["analyst"], users["analyst2"]]
    for ad_id in _ads(store, settings, ROUNDS):
        outcomes = _race(store, analysts, lambda session, user, ad=ad_id: claim_ad(session, user, ad, 600))
        assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "won"], outcomes
        with store.session_factory() as session:
            holder = session.get(AdClaim, ad_id)
        winner = next(o for o in outcomes if o.startswith("won")).split(":")[1]
        assert holder is not None and holder.username == winner


def test_a_claimed_ad_is_decided_first_by_its_claimant_even_when_both_decide_at_once(
        settings: Settings, store: Store) -> None:
    """The other analyst's decision is refused while the claim stands; if it arrives after the claimant's
    decision (which ends the claim), it is a later decision superseding that one, never a second first one."""
    with store.session_factory() as session:
        users = make_users(session)
    (ad_id,) = _ads(store, settings, 1)
    with store.session_factory() as session:
        claim_ad(session, users["analyst"], ad_id, 600)
        threshold = review_threshold(session, settings)
    outcomes = _race(store, [users["analyst"], users["analyst2"]],
                     lambda session, user: decide(session, user, ad_id, "scam", "race", threshold))
    assert "won:ana" in outcomes and sorted(outcomes) in (["conflict", "won:ana"], ["won:ana", "won:budi"]), outcomes
    with store.session_factory() as session:
        reviews = list(session.scalars(select(Review).order_by(Review.id)))
    assert reviews[0].reviewer == "ana" and reviews[0].supersedes_id is None
    assert [(r.reviewer, r.supersedes_id) for r in reviews[1:]] == (
        [("budi", reviews[0].id)] if "won:budi" in outcomes else [])


def test_claim_next_passes_over_an_ad_another_analyst_is_taking(settings: Settings, store: Store) -> None:
    if store.dialect == "sqlite":
        pytest.skip("SQLite has one lock for the whole database: a second claim waits for the first, it cannot pass")
    with store.session_factory() as session:
        users = make_users(session)
    first, second = sorted(_ads(store, settings, 2), reverse=True)  # equal risk: the newer ad comes first
    with store.session_factory() as taking:
        assert try_write_lock(taking, ad_lock(first))  # analyst 1 is in the middle of claiming the first ad
        with store.session_factory() as session:
            claim = claim_next_ad(session, users["analyst2"], QueueFilters(), 600)
        assert claim is not None and claim.ad_id == second  # analyst 2 gets the next one at once, no waiting
        taking.rollback()
    with store.session_factory() as session:
        claim = claim_next_ad(session, users["analyst"], QueueFilters(), 600)
    assert claim is not None and claim.ad_id == first  # released, the first ad is claimable again
