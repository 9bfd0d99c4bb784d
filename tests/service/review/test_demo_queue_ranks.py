"""`make run`'s demo queue ranks the ads: few sit at the very top of the risk scale, and the queue lists them in
order (trafficking first, then by risk, as `service.review.queue.list_queue` promises).

The demo goes through `run_quickstart` itself, with rules-0 and with the small trained model (`tests/trained.py`)
in the model folder (quickstart activates it instead of training the full default model).
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from service.demo.quickstart import run_quickstart
from service.review.queue import QueueFilters, list_queue
from service.scoring.registry import active_version
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.session import Store
from tests.trained import install_model

SATURATED = 0.99  # a risk this high says nothing about which ad to read first
MOST_SATURATED_SHARE = 0.25
SMALL_MODEL_SATURATES = pytest.mark.xfail(
    strict=True, reason="the model's risk saturates on blatant posts: the small model puts 16 of its 20 queued demo "
                        "ads at risk >= 0.99, quickstart's default model 21 of 22; that model is calibrated (lowest "
                        "log-loss at temperature 1), so a spread needs a severity tie-break, not a flatter risk "
                        "(issue #11, model/README.md)")


def _demo_queue(store: Store, settings: Settings, scorer: str, request: pytest.FixtureRequest) -> list[float]:
    """The demo imported and scored as `quickstart` does; the queued ads' risks in the queue's order."""
    if scorer == "small-model":
        install_model(request.getfixturevalue("small_model"), settings.model_dir)
    run_quickstart(store, settings, Console(file=io.StringIO()), allow_training=False)
    with store.session_factory() as session:
        assert (active_version(session) is None) == (scorer == "rules-0")
        threshold = review_threshold(session, settings)
        items, more = list_queue(session, QueueFilters(), None, 1000)
    assert more is None and len(items) >= 8, len(items)
    risks = [item.entry.risk for item in items]
    assert min(risks) >= threshold
    # Listed in order: every trafficking ad before every scam ad, each class from the highest risk down.
    order = [(item.entry.kind_rank, item.entry.risk) for item in items]
    assert order == sorted(order, reverse=True), order
    return risks


@pytest.mark.parametrize("scorer", ["rules-0", "small-model"])
def test_the_demo_queue_is_listed_by_class_then_risk(
        store: Store, settings: Settings, scorer: str, request: pytest.FixtureRequest) -> None:
    risks = _demo_queue(store, settings, scorer, request)
    assert len(set(risks)) >= len(risks) // 2, risks  # the scorer tells most ads apart


@pytest.mark.parametrize("scorer", ["rules-0", pytest.param("small-model", marks=SMALL_MODEL_SATURATES)])
def test_at_most_a_quarter_of_the_demo_queue_is_at_the_top_of_the_risk_scale(
        store: Store, settings: Settings, scorer: str, request: pytest.FixtureRequest) -> None:
    risks = _demo_queue(store, settings, scorer, request)
    saturated = sum(risk >= SATURATED for risk in risks)
    assert saturated <= MOST_SATURATED_SHARE * len(risks), (saturated, len(risks), sorted(risks))
