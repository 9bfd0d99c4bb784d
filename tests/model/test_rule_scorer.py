"""`rules-0`: weights over the same indicators and facts the trained model reads; no patterns of its own."""

from __future__ import annotations

import pytest

from model.facts import FACT_INFO
from model.indicators.catalogue import spec_by_name
from model.records import AdText
from model.rule_scorer import RULES, Rule, RuleScorer

ILLEGAL = AdText("a", "Admin online di Kamboja, tiket gratis, berangkat pakai visa turis, paspor dipegang agen.")
LAWFUL = AdText("b", "PT Sinar (P3MI, SIP3MI 12/2020), job order Taiwan, visa kerja sebelum berangkat, paspor "
                     "dipegang sendiri, tanpa biaya.")


def test_every_rule_names_a_catalogue_indicator_or_a_fact() -> None:
    for rule in RULES:
        assert (rule.name in FACT_INFO) if rule.is_fact else (rule.name in spec_by_name()), rule.name


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no_such_thing"):
        RuleScorer([Rule("no_such_thing", 1.0, 1.0)])


def test_illegal_facts_raise_risk_and_lawful_facts_lower_it() -> None:
    illegal, lawful = RuleScorer().predict([ILLEGAL, LAWFUL])
    assert illegal.risk > 0.9 and illegal.p_trafficking > illegal.p_scam
    assert lawful.risk < 0.1
    assert any(weight < 0 for _, weight in lawful.top_features)
    assert {"visa:visit", "passport:held_by_other"} <= {name for name, _ in illegal.top_features}
    for hit in illegal.indicators:
        assert ILLEGAL.full_text[hit.start:hit.end] == hit.text


def test_risk_is_the_sum_of_the_two_classes() -> None:
    for score in RuleScorer().predict([ILLEGAL, LAWFUL]):
        assert score.risk == pytest.approx(score.p_scam + score.p_trafficking)
