"""`AdClassifier`: the one scikit-learn estimator that training, evaluation, scoring and the service share.

legit / scam / trafficking from TF-IDF word and character n-grams of the normalised text, the
indicator and entity signals, and (switchable) sentence embeddings, through a logistic regression
whose probabilities are calibrated on held-out folds. Linear on purpose: every score splits into
per-feature contributions an analyst can read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler

from model.analysis import Analysis
from model.features import EmbeddingFeatures, MatchedText, SignalDicts, as_analyses
from model.records import AdText

# Token pattern keeps one-letter and digit tokens ("lc", "s1", "18"); no stop-word list, because
# spaCy's Indonesian one drops `tidak`, `tanpa`, `luar` (decision: never drop red-flag words).
_TOKEN_PATTERN = r"(?u)\b\w+\b"


class AdClassifier(BaseEstimator, ClassifierMixin):
    """Calibrated 3-class ad classifier; `fit`/`predict_proba` take `AdText`s (or their analyses)."""

    def __init__(self, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] = (2, 5),
                 min_df: int = 2, max_char_features: int = 150_000, C: float = 4.0,
                 signal_weight: float = 1.0, embedding_model: str | None = None, embedding_weight: float = 1.0,
                 calibration: str = "sigmoid", calibration_folds: int = 3, random_state: int = 0) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_char_features = max_char_features
        self.C = C
        self.signal_weight = signal_weight
        self.embedding_model = embedding_model
        self.embedding_weight = embedding_weight
        self.calibration = calibration
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    def _feature_union(self) -> FeatureUnion:
        parts: list[tuple[str, Any]] = [
            ("word", Pipeline([("text", MatchedText()), ("tfidf", TfidfVectorizer(
                analyzer="word", ngram_range=tuple(self.word_ngrams), min_df=self.min_df, sublinear_tf=True,
                lowercase=False, token_pattern=_TOKEN_PATTERN, dtype=np.float32))])),
            ("char", Pipeline([("text", MatchedText()), ("tfidf", TfidfVectorizer(
                analyzer="char_wb", ngram_range=tuple(self.char_ngrams), min_df=self.min_df, sublinear_tf=True,
                lowercase=False, max_features=self.max_char_features, dtype=np.float32))])),
            ("signal", Pipeline([("dicts", SignalDicts()), ("vector", DictVectorizer(dtype=np.float32)),
                                 ("scale", MaxAbsScaler())])),
        ]
        weights = {"word": 1.0, "char": 1.0, "signal": self.signal_weight}
        if self.embedding_model:
            parts.append(("embedding", EmbeddingFeatures(self.embedding_model, self.embedding_weight)))
            weights["embedding"] = 1.0
        return FeatureUnion(parts, transformer_weights=weights)

    def fit(self, ads: Sequence[AdText] | Sequence[Analysis], y: Sequence[str]) -> AdClassifier:
        analyses = as_analyses(ads)
        self.features_ = self._feature_union()
        matrix = self.features_.fit_transform(analyses)
        base = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state)
        # ensemble=False: one regression fitted on all data (so its weights explain every score),
        # calibrated on cross-validated predictions.
        self.model_ = CalibratedClassifierCV(base, method=self.calibration, cv=self.calibration_folds,
                                             ensemble=False)
        self.model_.fit(matrix, np.asarray(y))
        self.classes_ = self.model_.classes_
        self.feature_names_ = np.asarray(self.features_.get_feature_names_out(), dtype=object)
        return self

    def transform_features(self, ads: Sequence[AdText] | Sequence[Analysis]) -> sparse.csr_matrix:
        return sparse.csr_matrix(self.features_.transform(as_analyses(ads)))

    def predict_proba(self, ads: Sequence[AdText] | Sequence[Analysis]) -> np.ndarray:
        return np.asarray(self.model_.predict_proba(self.transform_features(ads)))

    def predict(self, ads: Sequence[AdText] | Sequence[Analysis]) -> np.ndarray:
        return np.asarray(self.classes_[np.argmax(self.predict_proba(ads), axis=1)])

    @property
    def linear_model(self) -> LogisticRegression:
        """The regression behind the calibrated probabilities (fitted on all training data)."""
        estimator: LogisticRegression = self.model_.calibrated_classifiers_[0].estimator
        return estimator

    def contributions(self, matrix: sparse.csr_matrix, row: int, towards: str,
                      top: int = 6) -> list[tuple[str, float]]:
        """The features that push ad `row` most towards class `towards` rather than legit.

        Embedding dimensions mean nothing one by one, so they are summed into one `embedding` entry.
        """
        model = self.linear_model
        classes = list(model.classes_)
        coef = model.coef_
        direction = coef[classes.index(towards)] - coef[classes.index("legit")] if "legit" in classes \
            else coef[classes.index(towards)]
        vector = matrix.getrow(row)
        totals: dict[str, float] = {}
        for index, value in zip(vector.indices, vector.data, strict=True):
            weight = float(value * direction[index])
            name = _display_name(str(self.feature_names_[index]))
            if name.startswith("embedding"):
                name = "embedding"
            totals[name] = totals.get(name, 0.0) + weight
        ranked = sorted(((n, w) for n, w in totals.items() if w > 0), key=lambda item: item[1], reverse=True)
        return [(name, round(weight, 4)) for name, weight in ranked[:top]]


def _display_name(raw: str) -> str:
    """`word__tfidf__gaji besar` -> `word:gaji besar`; `signal__indicator=x` -> `indicator=x`."""
    block, _, rest = raw.partition("__")
    if block == "signal":
        return rest
    return f"{block}:{rest}"
