"""The bare model every lokerwatch model must beat: word + char TF-IDF and a logistic regression.

On ads by one author it already reaches macro-F1 ~0.96 (explicit ads are lexically easy); what the
fact layer adds only shows on other authors' text and real ads. Training fits it on the same ads and
reports it beside the model; `benchmarks/score.py` times it as the speed reference.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


class BareTextModel:
    """Raw text in, class probabilities out; nothing lokerwatch-specific (no normaliser, no indicators)."""

    def __init__(self, C: float = 4.0) -> None:
        self.pipeline = Pipeline([
            ("features", FeatureUnion([
                ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
                ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                         max_features=150_000)),
            ])),
            ("regression", LogisticRegression(C=C, class_weight="balanced", max_iter=3000)),
        ])

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> BareTextModel:
        self.pipeline.fit(list(texts), list(labels))
        return self

    @property
    def classes_(self) -> np.ndarray:
        return np.asarray(self.pipeline.classes_)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.pipeline.predict_proba(list(texts)))
