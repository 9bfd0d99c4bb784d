"""What an indicator is: data (name, category, public source, phrases or token patterns, examples)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Categories whose hits argue *for* an ad (a claimed licence, a selection process); the classifier
# weighs them, the desk shows them apart from red flags.
SIGNAL_CATEGORIES = frozenset({"licence_claim", "selection_process", "job_type"})


@dataclass(frozen=True)
class IndicatorSpec:
    """One named indicator.

    `phrases` go to a PhraseMatcher and `patterns` to a Matcher, both on normalised text (so write
    them in the canonical spellings of `model.slang`). A spec with `derived=True` has no patterns: a
    rule in `model.indicators.derived` fires it from other hits and entities. `negatable` hits are
    dropped when a negator (`tanpa`, `tidak`, `bebas` ...) stands just before them, so "tanpa biaya
    pendaftaran" is not a fee. `positives` and `negatives` are ads that must and must not fire it;
    the tests run every one.
    """

    name: str
    category: str
    source: str
    description: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    derived: bool = False
    negatable: bool = False
    positives: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def red_flag(self) -> bool:
        return self.category not in SIGNAL_CATEGORIES
