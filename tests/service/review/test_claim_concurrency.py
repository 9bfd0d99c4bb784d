"""Two analysts claiming (or deciding) the same ad at the same moment: exactly one wins, on both stores."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from service.auth.users import Principal
from service.errors import ConflictError
from service.review.decisions import claim_ad, decide
from service.review.queue_sync import sync_queue
from service.settings import Settings
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
        sync_queue(session, settings.review_threshold)
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


def test_only_one_of_two_simultaneous_decisions_on_a_claimed_ad_lands(settings: Settings, store: Store) -> None:
    with store.session_factory() as session:
        users = make_users(session)
    (ad_id,) = _ads(store, settings, 1)
    with store.session_factory() as session:
        claim_ad(session, users["analyst"], ad_id, 600)
    outcomes = _race(store, [users["analyst"], users["analyst2"]],
                     lambda session, user: decide(session, user, ad_id, "scam", "race", settings.review_threshold))
    assert sorted(outcomes) == ["conflict", "won:ana"], outcomes
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 1
