"""Every code people can see has its Bahasa Indonesia words, kept in one place: the indicator's own entry."""

from __future__ import annotations

import pytest

from model.facts import FACT_INFO
from model.indicators.catalogue import catalogue, spec_by_name
from model.indicators.spec import CATEGORY_LABELS
from model.rule_scorer import RULES
from service.display import labels


def test_every_indicator_of_the_catalogue_has_a_bahasa_label_and_reason() -> None:
    for spec in catalogue():
        assert spec.label and spec.label != spec.name and "_" not in spec.label, spec.name
        assert len(spec.why.split()) >= 5 and "_" not in spec.why, spec.name
        assert labels.indicator_label(spec.name) == spec.label
        assert labels.indicator_why(spec.name) == spec.why


def test_every_rule_of_rules_0_shows_the_words_of_the_indicator_or_fact_it_weighs() -> None:
    for rule in RULES:
        expected = FACT_INFO[rule.name].label if rule.is_fact else spec_by_name()[rule.name].label
        assert labels.indicator_label(rule.name) == expected, rule.name
    assert labels.indicator_label("visa:visit") == "Berangkat dengan visa turis/kunjungan/umrah"


def test_every_category_in_use_has_a_bahasa_name() -> None:
    used = {spec.category for spec in catalogue()} | {rule.category for rule in RULES}
    assert used <= set(CATEGORY_LABELS), used - set(CATEGORY_LABELS)
    assert all("_" not in name for name in CATEGORY_LABELS.values())


@pytest.mark.parametrize(("name", "category", "expected"), [
    ("a_future_indicator", "visa_passport", "Visa/paspor"),
    ("a_future_indicator", "a_future_category", labels.UNKNOWN_INDICATOR),
    ("a_future_indicator", None, labels.UNKNOWN_INDICATOR),
])
def test_an_unknown_indicator_is_named_by_its_category_and_never_by_its_code(
        name: str, category: str | None, expected: str) -> None:
    assert labels.indicator_label(name, category) == expected
    assert name not in labels.indicator_why(name, category)


def test_contact_kinds_sources_and_modus_read_as_bahasa() -> None:
    assert labels.contact_kind_label("phone") == "Nomor telepon"
    assert labels.contact_kind_label("something_new") == "Kontak"
    assert labels.source_label("whatsapp") == "WhatsApp"
    assert labels.modus_label("online_scam_compound") == "Kompleks penipuan daring"
    assert labels.modus_class("fee_fraud") == "scam" and labels.modus_class("legit_local") == "benign"
    assert labels.modus_label(None) == "Tanpa modus"
