"""`make run`'s demo queue ranks the ads: no more than a quarter of the demo's ads sit at the very top of the risk
scale (issue #11), the queue holds ads across the risk scale, and it lists them in order (trafficking first, then by
risk, as `service.review.queue.list_queue` promises).

The demo goes through `run_quickstart` itself, with rules-0 and with the small trained model (`tests/trained.py`)
in the model folder (quickstart activates it instead of training the full default model).
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from sqlalchemy import select

from service.demo.quickstart import run_quickstart
from service.review.queue import QueueFilters, list_queue
from service.scoring.registry import active_version
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.session import Store
from service.store.tables import ScoreRow
from tests.trained import install_model

SATURATED = 0.99  # a risk this high says nothing about which ad to read first
MOST_SATURATED_SHARE = 0.25


def _demo_queue(store: Store, settings: Settings, scorer: str,
                request: pytest.FixtureRequest) -> tuple[list[float], list[float]]:
    """The demo imported and scored as `quickstart` does: every ad's risk, and the queued ads' risks in order."""
    if scorer == "small-model":
        install_model(request.getfixturevalue("small_model"), settings.model_dir)
    run_quickstart(store, settings, Console(file=io.StringIO()), allow_training=False)
    with store.session_factory() as session:
        assert (active_version(session) is None) == (scorer == "rules-0")
        threshold = review_threshold(session, settings)
        items, more = list_queue(session, QueueFilters(), None, 1000)
        every_risk = [float(risk) for risk in session.scalars(select(ScoreRow.p_scam + ScoreRow.p_trafficking))]
    assert len(every_risk) >= 150 and more is None and len(items) >= 8, len(items)
    risks = [item.entry.risk for item in items]
    assert min(risks) >= threshold
    # Listed in order: every trafficking ad before every scam ad, each class from the highest risk down.
    order = [(item.entry.kind_rank, item.entry.risk) for item in items]
    assert order == sorted(order, reverse=True), order
    return every_risk, risks


@pytest.mark.parametrize("scorer", ["rules-0", "small-model"])
def test_the_demo_queue_is_listed_by_class_then_risk(
        store: Store, settings: Settings, scorer: str, request: pytest.FixtureRequest) -> None:
    _, risks = _demo_queue(store, settings, scorer, request)
    assert len(set(risks)) >= len(risks) // 2, risks  # the scorer tells most ads apart


@pytest.mark.parametrize("scorer", ["rules-0", "small-model"])
def test_at_most_a_quarter_of_the_demo_is_at_the_top_of_the_risk_scale(
        store: Store, settings: Settings, scorer: str, request: pytest.FixtureRequest) -> None:
    every_risk, queued = _demo_queue(store, settings, scorer, request)
    saturated = sum(risk >= SATURATED for risk in every_risk)
    assert saturated <= MOST_SATURATED_SHARE * len(every_risk), (saturated, len(every_risk))
    # The queue is not a wall at the top: besides the blatant posts it holds ads between the threshold and the top.
    under_the_top = [risk for risk in queued if risk < SATURATED]
    assert len(under_the_top) >= 5, sorted(queued)
