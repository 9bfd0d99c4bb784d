"""What moved a score, and the sources behind facts and requirements, read as Bahasa Indonesia: never a code."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from model.artifact import load_model
from model.facts import FACT_INFO
from model.legal_checklist import REQUIREMENTS
from model.rule_scorer import RULES
from service.display.citations import CITATIONS, UNKNOWN, citation
from service.display.labels import fact_label, indicator_label
from service.display.reasons import OTHER_FEATURE, TEXT_LABEL, feature_label, reasons
from tests.conftest import REPO_ROOT

CODE_SHAPE = re.compile(r"[=_]|\b[a-z]+:[a-z]+\b")


def _source_ids() -> set[str]:
    lines = [line for line in (REPO_ROOT / "model" / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return {row["id"] for row in csv.DictReader(lines)}


def test_every_reason_a_trained_model_can_give_has_bahasa_words(small_model: Path) -> None:
    names = [str(name) for name in load_model(small_model).classifier.feature_names_] + ["text"]
    assert any(name.startswith("fact=") for name in names) and any(name.startswith("contact=") for name in names)
    for name in names:
        label = feature_label(name)
        assert label != OTHER_FEATURE and not CODE_SHAPE.search(label), (name, label)


def test_rules_0_reasons_read_as_the_fact_or_indicator_they_weigh() -> None:
    for rule in RULES:
        expected = fact_label(rule.name) if rule.is_fact else indicator_label(rule.name)
        assert feature_label(rule.name) == expected, rule.name


def test_feature_shapes_are_named_and_unknown_ones_never_show_their_code() -> None:
    assert feature_label("text") == TEXT_LABEL
    assert feature_label("fact=visa:visit") == FACT_INFO["visa:visit"].label
    assert feature_label("denied=visa:visit").startswith("Disangkal atau diperingatkan")
    assert feature_label("pay_monthly_juta=>=50") == "Gaji per bulan 50 juta atau lebih"
    assert feature_label("pay_monthly_juta=<0.001") == "Gaji tidak disebut"
    assert feature_label("age_max=<23") == "Batas usia tertinggi di bawah 23 tahun"
    assert feature_label("gender=female") == "Menyebut jenis kelamin: perempuan"
    for unknown in ("a_future_feature", "future=thing", "fact=future:thing", "gender=other"):
        label = feature_label(unknown)
        assert "future" not in label and "other" not in label and not CODE_SHAPE.search(label), unknown


def test_reasons_keep_their_sign_strongest_first_and_merge_the_same_words() -> None:
    found = reasons([["fact=visa:work", -0.3], ["text", 0.05], ["embedding", 0.02], ["fact=visa:visit", 0.4],
                     ["broken"], ["indicator=x", "not a number"]])
    assert [(r.label, r.sign) for r in found] == [(FACT_INFO["visa:visit"].label, "+"),
                                                 (FACT_INFO["visa:work"].label, "−"), (TEXT_LABEL, "+")]
    assert found[1].raises is False and round(found[2].weight, 4) == 0.07


def test_every_public_source_is_cited_in_bahasa() -> None:
    assert set(CITATIONS) == _source_ids()
    used = {info.source for info in FACT_INFO.values()} | {requirement.source for requirement in REQUIREMENTS}
    assert used <= set(CITATIONS), used - set(CITATIONS)
    assert citation("uu18_2017").text == "UU 18/2017 tentang Pelindungan Pekerja Migran Indonesia (Republik Indonesia)"
    assert citation("kepmenaker_260_2015").reference == "Kepmenaker 260/2015"
    assert citation("not_a_source") == UNKNOWN
    for cited in CITATIONS.values():
        assert not CODE_SHAPE.search(cited.text), cited
