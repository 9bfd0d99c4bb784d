"""Records that go into and come out of every scorer, rule-based or trained."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from model.risk import risk_of


@dataclass(frozen=True)
class AdText:
    """What a scorer needs to know about an ad."""

    ad_id: str
    text: str
    title: str = ""
    source: str = ""

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class IndicatorHit:
    """A red flag found in an ad, with the exact words that fired it (offsets into `full_text`)."""

    name: str
    category: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Score:
    """A scorer's verdict on one ad, with its reasons."""

    ad_id: str
    model_version: str
    p_scam: float
    p_trafficking: float
    indicators: list[IndicatorHit] = field(default_factory=list)
    top_features: list[tuple[str, float]] = field(default_factory=list)
    # Entities found in the ad (contacts in E.164/lowercase, monthly pay, ages, destinations).
    entities: dict[str, Any] = field(default_factory=dict)
    # The deciding facts (`model.facts.Fact` as JSON: kind, value, effect, text, start, end, negated).
    facts: list[dict[str, Any]] = field(default_factory=list)
    # The likeliest modus if the ad is suspicious (None when the scorer cannot name one), and its probability.
    modus: str | None = None
    modus_probability: float = 0.0

    @property
    def p_legit(self) -> float:
        return max(0.0, 1.0 - self.p_scam - self.p_trafficking)

    @property
    def risk(self) -> float:
        """Probability that the ad is suspicious at all (scam or trafficking): `model.risk.risk_of`."""
        return risk_of(self.p_scam, self.p_trafficking)

    def indicators_json(self) -> list[dict[str, Any]]:
        return [asdict(hit) for hit in self.indicators]


# The version of the transparent rule scorer (`model.rule_scorer.RuleScorer`), here so that code which only needs
# the name does not load the rules' language models.
RULES_VERSION = "rules-0"


class Scorer(Protocol):
    """One object that training, evaluation, the CLI and the service all use the same way."""

    @property
    def version(self) -> str: ...

    def predict(self, ads: Sequence[AdText]) -> list[Score]: ...
