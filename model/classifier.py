"""`AdClassifier`: the one estimator that training, evaluation, scoring and the service share.

Two stages, because the decision between a lawful and an illegal placement rests on a handful of facts
(work visa or tourist visa, who holds the passport, who pays) that thousands of shared n-grams out-vote:

1. Text: TF-IDF word and character n-grams of the normalised text, multinomial logistic regression (and,
   switchable, a sentence embedding with its own regression). Fitted out-of-fold, by author, its
   log-odds become features of stage 2: stage 2 learns how far wording can be trusted on ads by authors
   the text model did not see.
2. Decision: gradient-boosted trees over the deciding facts (typed, with polarity), the indicator hits,
   entity facts and the text log-odds, with monotone constraints: an illegal fact can only raise risk,
   a lawful one (a claimed licence, a work visa, zero cost) can only lower it, whatever the words around
   it. One ensemble gives risk = P(scam or trafficking); a second splits suspicious ads into trafficking
   and scam. A Platt calibration fitted on validation ads (never training ads) maps risk to frequencies.
3. Modus: logistic regression over text and facts, fitted on suspicious ads, names the pattern.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from model.analysis import Analysis
from model.features import EmbeddingFeatures, MatchedText, as_analyses, decision_dict, monotone_direction
from model.records import AdText

CLASSES = ("legit", "scam", "trafficking")
# Token pattern keeps one-letter and digit tokens ("lc", "s1", "18"); no stop-word list, because
# spaCy's Indonesian one drops `tidak`, `tanpa`, `luar` (decision: never drop red-flag words).
_TOKEN_PATTERN = r"(?u)\b\w+\b"
_TEXT_FEATURES = ("text:scam", "text:trafficking")
_EMBEDDING_FEATURES = ("embedding:scam", "embedding:trafficking")
_EPS = 1e-4


def _log_odds(probabilities: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """log p(scam)/p(legit) and log p(trafficking)/p(legit) per row: how strongly the words point away from legit."""
    p = np.clip(probabilities, _EPS, 1.0)
    legit = p[:, list(classes).index("legit")]
    return np.column_stack([np.log(p[:, list(classes).index(c)] / legit) for c in ("scam", "trafficking")])


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


class AdClassifier(BaseEstimator, ClassifierMixin):
    """legit / scam / trafficking with the facts deciding; `fit`/`predict_proba` take `AdText`s or analyses."""

    def __init__(self, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] = (2, 5),
                 word_bits: int = 18, char_bits: int = 19, C: float = 4.0, folds: int = 5,
                 trees: int = 300, learning_rate: float = 0.08, max_depth: int = 4, min_leaf: int = 20,
                 embedding_model: str | None = None, embedding_weight: float = 1.0, modus_C: float = 5.0,
                 mask_facts: str = "decisive", random_state: int = 0) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.word_bits = word_bits
        self.char_bits = char_bits
        self.C = C
        self.folds = folds
        self.trees = trees
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_leaf = min_leaf
        self.embedding_model = embedding_model
        self.embedding_weight = embedding_weight
        self.modus_C = modus_C
        self.mask_facts = mask_facts
        self.random_state = random_state

    # --- stage 1: text ------------------------------------------------------------------------
    def _text_model(self) -> Pipeline:
        # Hashed n-grams, not a vocabulary: nothing to store per n-gram (a vocabulary of 200,000 n-grams made a
        # 200 MB artifact), and stage 2 reads the text model's verdict, never an n-gram's name.
        union = FeatureUnion([
            ("word", Pipeline([("text", MatchedText(self.mask_facts)), ("hash", HashingVectorizer(
                analyzer="word", ngram_range=tuple(self.word_ngrams), n_features=2 ** self.word_bits,
                alternate_sign=False, norm=None, lowercase=False, token_pattern=_TOKEN_PATTERN, dtype=np.float32)),
                ("tfidf", TfidfTransformer(sublinear_tf=True))])),
            ("char", Pipeline([("text", MatchedText(self.mask_facts)), ("hash", HashingVectorizer(
                analyzer="char_wb", ngram_range=tuple(self.char_ngrams), n_features=2 ** self.char_bits,
                alternate_sign=False, norm=None, lowercase=False, dtype=np.float32)),
                ("tfidf", TfidfTransformer(sublinear_tf=True))])),
        ])
        return Pipeline([("features", union), ("regression", LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state))])

    def _embedding_model(self) -> Pipeline:
        assert self.embedding_model
        return Pipeline([("embedding", EmbeddingFeatures(self.embedding_model, self.embedding_weight)),
                         ("regression", LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000,
                                                           random_state=self.random_state))])

    def _splits(self, labels: np.ndarray, groups: Sequence[str] | None) -> list[tuple[np.ndarray, np.ndarray]]:
        """Folds that keep an author (and a counterfactual twin with its original) on one side."""
        n_folds = max(2, min(self.folds, int(np.min(np.unique(labels, return_counts=True)[1]))))
        placeholder = np.zeros(len(labels))
        if groups is not None and len(set(groups)) >= n_folds:
            return list(GroupKFold(n_splits=n_folds).split(placeholder, labels, np.asarray(groups)))
        splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=self.random_state)
        return list(splitter.split(placeholder, labels))

    def _out_of_fold(self, make: Any, analyses: list[Analysis], labels: np.ndarray,
                     splits: list[tuple[np.ndarray, np.ndarray]]) -> tuple[Any, np.ndarray]:
        """The model fitted on all ads, and its log-odds on each ad from a model that did not see it."""
        log_odds = np.zeros((len(analyses), 2))
        for train_idx, test_idx in splits:
            fold = make().fit([analyses[i] for i in train_idx], labels[train_idx])
            log_odds[test_idx] = _log_odds(fold.predict_proba([analyses[i] for i in test_idx]), fold.classes_)
        return make().fit(analyses, labels), log_odds

    def _text_log_odds(self, analyses: list[Analysis]) -> np.ndarray:
        parts = [_log_odds(self.text_model_.predict_proba(analyses), self.text_model_.classes_)]
        if self.embedding_model_ is not None:
            parts.append(_log_odds(self.embedding_model_.predict_proba(analyses), self.embedding_model_.classes_))
        return np.hstack(parts)

    # --- stage 2: decision ----------------------------------------------------------------------
    def _rows(self, analyses: Sequence[Analysis], log_odds: np.ndarray) -> list[dict[str, float]]:
        names = _TEXT_FEATURES + (_EMBEDDING_FEATURES if self.embedding_model else ())
        rows = []
        for analysis, odds in zip(analyses, log_odds, strict=True):
            row = decision_dict(analysis)
            row.update({name: float(value) for name, value in zip(names, odds, strict=True)})
            rows.append(row)
        return rows

    def _trees(self, monotone: list[int] | None) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.trees, learning_rate=self.learning_rate, max_depth=self.max_depth,
            min_samples_leaf=self.min_leaf, l2_regularization=1.0, monotonic_cst=monotone,
            random_state=self.random_state)

    def fit(self, ads: Sequence[AdText] | Sequence[Analysis], y: Sequence[str] | np.ndarray,
            groups: Sequence[str] | None = None, modus: Sequence[str | None] | None = None,
            sample_weight: Sequence[float] | np.ndarray | None = None) -> AdClassifier:
        """`groups` keep an author on one side of the text model's folds; `sample_weight` weighs ads in the
        decision stage (training gives minimal pairs more weight: they are where a fact, not wording, decides)."""
        analyses = as_analyses(ads)
        labels = np.asarray(y)
        missing = set(CLASSES) - set(labels.tolist())
        if missing:
            raise ValueError(f"training needs all three labels; missing {sorted(missing)}")
        splits = self._splits(labels, groups)
        self.text_model_, log_odds = self._out_of_fold(self._text_model, analyses, labels, splits)
        self.embedding_model_ = None
        if self.embedding_model:
            self.embedding_model_, embedded = self._out_of_fold(self._embedding_model, analyses, labels, splits)
            log_odds = np.hstack([log_odds, embedded])
        self.vectoriser_ = DictVectorizer(sparse=False, dtype=np.float64)
        matrix = self.vectoriser_.fit_transform(self._rows(analyses, log_odds))
        self.feature_names_ = np.asarray(self.vectoriser_.get_feature_names_out(), dtype=object)
        monotone = [monotone_direction(str(name)) for name in self.feature_names_]
        suspicious = labels != "legit"
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.risk_model_ = self._trees(monotone).fit(matrix, suspicious.astype(int), sample_weight=weights)
        self.type_model_ = self._trees(None).fit(matrix[suspicious], (labels[suspicious] == "trafficking").astype(int),
                                                 sample_weight=None if weights is None else weights[suspicious])
        self.calibration_ = (1.0, 0.0)
        self.modus_model_ = self._fit_modus(analyses, matrix, labels, modus)
        self.classes_ = np.asarray(CLASSES)
        return self

    # --- modus ---------------------------------------------------------------------------------
    def _fit_modus(self, analyses: list[Analysis], matrix: np.ndarray, labels: np.ndarray,
                   modus: Sequence[str | None] | None) -> Pipeline | None:
        if modus is None:
            return None
        chosen = [i for i, (label, name) in enumerate(zip(labels, modus, strict=True)) if label != "legit" and name]
        if len({modus[i] for i in chosen}) < 2:
            return None
        self.modus_words_ = Pipeline([("hash", HashingVectorizer(
            analyzer="word", ngram_range=(1, 2), n_features=2 ** self.word_bits, alternate_sign=False, norm=None,
            lowercase=False, token_pattern=_TOKEN_PATTERN, dtype=np.float32)), ("tfidf", TfidfTransformer(
                sublinear_tf=True))])
        words = self.modus_words_.fit_transform([analyses[i].text for i in chosen])
        facts = sparse.csr_matrix(np.clip(matrix[chosen][:, self._fact_columns()], 0.0, 1.0))
        regression = LogisticRegression(C=self.modus_C, class_weight="balanced", max_iter=3000,
                                        random_state=self.random_state)
        regression.fit(sparse.hstack([words, facts]).tocsr(), [modus[i] for i in chosen])
        return Pipeline([("regression", regression)])

    def _fact_columns(self) -> list[int]:
        return [i for i, name in enumerate(self.feature_names_) if str(name).startswith(("fact=", "indicator="))]

    def predict_modus(self, ads: Sequence[AdText] | Sequence[Analysis]) -> list[tuple[str | None, float]]:
        """The likeliest modus of each ad (as if it were suspicious) and its probability."""
        analyses = as_analyses(ads)
        if self.modus_model_ is None or not analyses:
            return [(None, 0.0)] * len(analyses)
        return self.modus_of(analyses, self.decision_matrix(analyses))

    def modus_of(self, analyses: Sequence[Analysis], matrix: np.ndarray) -> list[tuple[str | None, float]]:
        """`predict_modus` for analyses whose stage-2 rows are already computed (the scorer has them)."""
        if self.modus_model_ is None:
            return [(None, 0.0)] * len(analyses)
        words = self.modus_words_.transform([analysis.text for analysis in analyses])
        facts = sparse.csr_matrix(np.clip(matrix[:, self._fact_columns()], 0.0, 1.0))
        proba = self.modus_model_.predict_proba(sparse.hstack([words, facts]).tocsr())
        names = self.modus_model_.classes_
        best = np.argmax(proba, axis=1)
        return [(str(names[j]), float(proba[i, j])) for i, j in enumerate(best)]

    # --- prediction ----------------------------------------------------------------------------
    def decision_matrix(self, ads: Sequence[AdText] | Sequence[Analysis]) -> np.ndarray:
        """Stage-2 features of each ad: facts, hits, entities and the text models' log-odds."""
        analyses = as_analyses(ads)
        return np.asarray(self.vectoriser_.transform(self._rows(analyses, self._text_log_odds(analyses))))

    def risk_from_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """Calibrated P(scam or trafficking) for stage-2 feature rows."""
        raw = self.risk_model_.predict_proba(matrix)[:, 1]
        slope, intercept = self.calibration_
        return 1.0 / (1.0 + np.exp(-(slope * _logit(raw) + intercept)))

    def proba_from_matrix(self, matrix: np.ndarray) -> np.ndarray:
        risk = self.risk_from_matrix(matrix)
        trafficking_share = self.type_model_.predict_proba(matrix)[:, 1]
        return np.column_stack([1.0 - risk, risk * (1.0 - trafficking_share), risk * trafficking_share])

    def predict_proba(self, ads: Sequence[AdText] | Sequence[Analysis]) -> np.ndarray:
        """Columns follow `classes_`: legit, scam, trafficking; risk = scam + trafficking."""
        analyses = as_analyses(ads)
        if not analyses:
            return np.zeros((0, len(CLASSES)))
        return self.proba_from_matrix(self.decision_matrix(analyses))

    def predict(self, ads: Sequence[AdText] | Sequence[Analysis]) -> np.ndarray:
        return np.asarray(self.classes_[np.argmax(self.predict_proba(ads), axis=1)])

    def calibrate(self, ads: Sequence[AdText] | Sequence[Analysis],
                  y: Sequence[str] | np.ndarray) -> tuple[float, float]:
        """Fit the Platt map of risk on held-out validation ads (never training ads) and keep it."""
        self.calibration_ = (1.0, 0.0)
        raw = self.risk_model_.predict_proba(self.decision_matrix(as_analyses(ads)))[:, 1]
        target = (np.asarray(y) != "legit").astype(int)
        if len(set(target.tolist())) < 2:
            return self.calibration_
        regression = LogisticRegression(C=100.0).fit(_logit(raw).reshape(-1, 1), target)
        self.calibration_ = (float(regression.coef_[0, 0]), float(regression.intercept_[0]))
        return self.calibration_

    # --- explanations --------------------------------------------------------------------------
    def contributions(self, matrix: np.ndarray, top: int = 6) -> list[list[tuple[str, float]]]:
        """Per ad, the features that moved its risk most: risk with the feature minus risk without it.

        A fact, an indicator or an entity fact is switched off (set to 0); the text evidence is replaced
        by neutral log-odds (0: the words point neither way). Positive values raise risk, negative ones
        (a lawful channel, a work visa) lower it.
        """
        if matrix.shape[0] == 0:
            return []
        names = [str(name) for name in self.feature_names_]
        text_columns = [i for i, name in enumerate(names) if name.startswith(("text:", "embedding:"))]
        base = self.risk_from_matrix(matrix)
        variants: list[np.ndarray] = []
        owners: list[tuple[int, str]] = []
        for row in range(matrix.shape[0]):
            for column in np.flatnonzero(matrix[row]):
                if column in text_columns:
                    continue
                changed = matrix[row].copy()
                changed[column] = 0.0
                variants.append(changed)
                owners.append((row, names[column]))
            neutral = matrix[row].copy()
            neutral[text_columns] = 0.0
            variants.append(neutral)
            owners.append((row, "text"))
        risks = self.risk_from_matrix(np.vstack(variants))
        per_ad: list[dict[str, float]] = [{} for _ in range(matrix.shape[0])]
        for (row, name), risk in zip(owners, risks, strict=True):
            delta = float(base[row] - risk)
            if abs(delta) >= 0.005:
                per_ad[row][name] = round(delta, 4)
        return [sorted(found.items(), key=lambda item: abs(item[1]), reverse=True)[:top] for found in per_ad]

