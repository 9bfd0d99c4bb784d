"""The deciding facts the desk shows for an ad (visa, passport, cost, channel, ...), with their spans.

They are found when the ad is scored and stored with the score (`scores.facts`, migration 0005), so the
ad page, its legal checklist and the score agree on what the ad said. Scores stored before that column
existed (or an ad not scored yet) have none; for those the facts are found when the ad is read, with the
same `model.analysis.analyse` every scorer uses.
"""

from __future__ import annotations

from typing import Any

from model.analysis import analyse
from model.facts import Fact
from model.scorer import fact_summary
from service.store.ads import ad_text
from service.store.tables import Ad, ScoreRow


def find_facts(ad: Ad) -> list[dict[str, Any]]:
    """The facts of the ad's full text, as a scorer stores them (spans into `AdText.full_text`)."""
    return fact_summary(analyse([ad_text(ad)])[0])


def stored_or_found_facts(score: ScoreRow | None, ad: Ad) -> list[dict[str, Any]]:
    """The facts stored with the ad's latest score, or found now for a score stored without them."""
    if score is not None and score.facts is not None:
        return [dict(fact) for fact in score.facts]
    return find_facts(ad)


def as_facts(stored: list[dict[str, Any]]) -> list[Fact]:
    """Stored facts back as `model.facts.Fact`s (for the legal checklist); malformed entries are skipped."""
    facts = []
    for item in stored:
        try:
            facts.append(Fact(str(item["kind"]), str(item["value"]), str(item["effect"]), str(item["text"]),
                              int(item["start"]), int(item["end"]), bool(item.get("negated", False))))
        except (KeyError, TypeError, ValueError):
            continue
    return facts
