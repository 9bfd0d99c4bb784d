"""`TrainedScorer`: a fitted `AdClassifier` behind the `Scorer` interface, with reasons for every score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from model.analysis import Analysis, analyse
from model.classifier import AdClassifier
from model.records import AdText, Score


def entity_summary(analysis: Analysis) -> dict[str, Any]:
    """The entities an analyst and the linker need, in plain JSON types."""
    entities = analysis.entities
    return {
        "contacts": [{"kind": c.kind, "value": c.value, "start": c.start, "end": c.end} for c in entities.contacts],
        "monthly_pay_idr": round(entities.max_monthly_idr) or None,
        "ages": [[a.min_age, a.max_age] for a in entities.ages],
        "genders": sorted({g.value for g in entities.genders}),
        "destinations": sorted({d.value for d in entities.destinations}),
        "transit_towns": sorted({t.value for t in entities.transit_towns}),
    }


def fact_summary(analysis: Analysis) -> list[dict[str, Any]]:
    """Facts as JSON for the store and the desk: spans into the text the analyst sees."""
    keys = ("kind", "value", "effect", "text", "start", "end", "negated")
    return [{key: value for key, value in asdict(fact).items() if key in keys} for fact in analysis.facts]


class TrainedScorer:
    """Scores ads with a trained model; `version` is the artifact's version string."""

    def __init__(self, classifier: AdClassifier, version: str, review_threshold: float = 0.5) -> None:
        self.classifier = classifier
        self._version = version
        self.review_threshold = review_threshold

    @property
    def version(self) -> str:
        return self._version

    def predict(self, ads: Sequence[AdText]) -> list[Score]:
        if not ads:
            return []
        analyses = analyse(ads)
        matrix = self.classifier.decision_matrix(analyses)
        probabilities = self.classifier.proba_from_matrix(matrix)
        reasons = self.classifier.contributions(matrix)
        modus = self.classifier.modus_of(analyses, matrix)
        classes = list(self.classifier.classes_)
        return [
            Score(ad_id=analysis.ad.ad_id, model_version=self.version,
                  p_scam=float(probabilities[row, classes.index("scam")]),
                  p_trafficking=float(probabilities[row, classes.index("trafficking")]),
                  indicators=list(analysis.hits), top_features=reasons[row], entities=entity_summary(analysis),
                  facts=fact_summary(analysis), modus=modus[row][0], modus_probability=round(modus[row][1], 4))
            for row, analysis in enumerate(analyses)
        ]
