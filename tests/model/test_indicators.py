"""Every indicator fires on its positive examples and not on its negatives; hits point at real words."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import spacy

from model.analysis import find_indicators
from model.indicators.catalogue import catalogue
from model.indicators.component import COMPONENT_NAME, SPAN_KEY, TOKENIZER_NAME, indicator_pipeline
from model.indicators.derived import RULES
from model.indicators.spec import IndicatorSpec

SOURCES_CSV = Path(__file__).resolve().parents[2] / "model" / "data" / "sources.csv"

POSITIVES = [(spec.name, text) for spec in catalogue() for text in spec.positives]
NEGATIVES = [(spec.name, text) for spec in catalogue() for text in spec.negatives]


def _fired(text: str) -> set[str]:
    return {hit.name for hit in find_indicators(text)}


@pytest.mark.parametrize(("name", "text"), POSITIVES)
def test_indicator_fires_on_its_positive_example(name: str, text: str) -> None:
    assert name in _fired(text)


@pytest.mark.parametrize(("name", "text"), NEGATIVES)
def test_indicator_stays_silent_on_its_negative_example(name: str, text: str) -> None:
    assert name not in _fired(text)


@pytest.mark.parametrize("spec", catalogue(), ids=lambda spec: spec.name)
def test_every_indicator_has_examples_both_ways_and_a_known_source(spec: IndicatorSpec) -> None:
    with SOURCES_CSV.open(encoding="utf-8") as handle:
        sources = {row["id"] for row in csv.DictReader(line for line in handle if not line.startswith("#"))}
    assert spec.positives and spec.negatives
    assert spec.source in sources
    assert spec.derived or spec.phrases or spec.patterns


def test_every_derived_indicator_has_a_rule() -> None:
    rule_outputs = {rule.__name__ for rule in RULES} | {"minor_targeted"}
    derived = {spec.name for spec in catalogue() if spec.derived}
    assert derived <= rule_outputs


def test_hits_point_at_the_words_in_the_original_text() -> None:
    text = "🔥LOKER CS ONLINE🔥 di K A M B O J A, G4JI 25jt/bln, TNP PGLMN. Minat WA 0812 3456 7890"
    hits = {hit.name: hit for hit in find_indicators(text)}
    for hit in hits.values():
        assert text[hit.start:hit.end] == hit.text
    assert hits["high_risk_destination"].text == "K A M B O J A"
    assert hits["no_skills_needed"].text == "TNP PGLMN"
    assert hits["unrealistic_pay"].text == "25jt/bln"


def test_a_claimed_licence_with_a_visit_visa_is_trafficking_evidence_not_reassurance() -> None:
    legal = _fired("P3MI resmi, job order BP2MI. Visa kerja diurus sebelum berangkat ke Taiwan.")
    dressed = _fired("P3MI resmi, job order BP2MI. Berangkat ke Taiwan pakai visa kunjungan dulu.")
    assert "licence_claim" in legal and "licence_claim" in dressed
    assert "licence_claim_with_visit_visa" in dressed
    assert "licence_claim_with_visit_visa" not in legal


def test_a_denied_fee_is_not_a_fee_but_a_later_one_is() -> None:
    assert "upfront_fee" not in _fired("Tanpa biaya pendaftaran.")
    assert "upfront_fee" in _fired("Tanpa pengalaman. Biaya pendaftaran 100rb.")


def test_component_is_registered_and_runs_on_a_blank_indonesian_pipeline() -> None:
    # the registered tokenizer spares the default one's ~16,000 special cases (seconds of start-up)
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    nlp.add_pipe(COMPONENT_NAME)
    doc = nlp("lowongan lc karaoke, tanpa pengalaman")
    assert {span.label_ for span in doc.spans[SPAN_KEY]} == {"lc_companion", "nightlife_venue", "no_skills_needed"}
    assert indicator_pipeline().pipe_names == [COMPONENT_NAME]
