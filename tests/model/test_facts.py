"""The deciding facts: typed values with polarity, spans into the text the analyst sees."""

from __future__ import annotations

import pytest

from model.analysis import analyse
from model.facts import FACT_INFO, ILLEGAL, LAWFUL, PATTERNS, Fact, fact_effect, illegal_facts, lawful_facts
from model.records import AdText


def facts_of(text: str) -> tuple[Fact, ...]:
    return analyse([AdText("t", text)])[0].facts


def keys(text: str, effect: str | None = None) -> set[str]:
    facts = facts_of(text)
    chosen = illegal_facts(facts) if effect == ILLEGAL else lawful_facts(facts) if effect == LAWFUL else facts
    return {fact.key for fact in chosen}


# Minimal pairs: two sentences identical but for the deciding fact; the fact found follows it.
PAIRS = [
    ("Berangkat ke Malaysia pakai visa kerja, diurus sebelum berangkat.", "visa:work",
     "Berangkat ke Malaysia pakai visa turis, nanti di sana diurus.", "visa:visit"),
    ("Kerja di Taiwan, paspor dipegang sendiri oleh pekerja.", "passport:held_by_worker",
     "Kerja di Taiwan, paspor dipegang agen selama kontrak.", "passport:held_by_other"),
    ("Lowongan operator pabrik, tanpa biaya apapun.", "cost:none_for_worker",
     "Lowongan operator pabrik, biaya pendaftaran 1,5 jt transfer dulu.", "cost:paid_by_applicant"),
    ("Gaji ditransfer tiap bulan ke rekening sendiri.", "wages:monthly_to_worker",
     "Gaji dibayar di akhir kontrak lewat agen.", "wages:withheld"),
    ("ABK kapal niaga, wajib punya BST dan buku pelaut.", "seafarer_papers:required",
     "ABK kapal ikan, tidak perlu BST, buku pelaut dibuatkan agen.", "seafarer_papers:not_needed"),
    ("Perjanjian kerja ditandatangani di Disnaker sebelum berangkat.", "contract:before_departure",
     "Kontrak kerja ditandatangani di sana setelah sampai.", "contract:after_arrival"),
    ("Kerja kebun sawit Sabah, terbang Jakarta - Kota Kinabalu pakai visa kerja.", "visa:work",
     "Kerja kebun sawit Sabah, dari Sebatik nyebrang pakai speed malam, lewat jalur kampung.", "route:irregular"),
    ("Lowongan kasir minimarket, tidak dipungut biaya apapun.", "cost:none_for_worker",
     "Lowongan kasir minimarket, BIAYA 750 RIBU (seragam & berkas) dibayar saat tes.", "cost:paid_by_applicant"),
    ("Rekrutmen Pertamina: daftar hanya di recruitment.pertamina.com", "contact:employer_own_domain",
     "Rekrutmen Pertamina: daftar hanya di pertamina-karir.info", "contact:impersonates_employer"),
]


@pytest.mark.parametrize(("lawful_text", "lawful_key", "illegal_text", "illegal_key"), PAIRS)
def test_each_twin_of_a_minimal_pair_gets_its_own_fact(lawful_text: str, lawful_key: str, illegal_text: str,
                                                       illegal_key: str) -> None:
    assert lawful_key in keys(lawful_text, LAWFUL)
    assert illegal_key not in keys(lawful_text, ILLEGAL)
    assert illegal_key in keys(illegal_text, ILLEGAL)
    assert lawful_key not in keys(illegal_text, LAWFUL)


@pytest.mark.parametrize("text", [
    "Visa kerja resmi, bukan visa turis atau umroh.",
    "Waspada penipuan: kalau ada yang minta transfer biaya pendaftaran ke rekening pribadi, itu bukan kami.",
    "Karaoke keluarga butuh waitress, BUKAN LC, tidak ada open BO.",
    "Jangan mau paspor ditahan agen!",
])
def test_a_denied_or_warned_against_fact_is_not_illegal(text: str) -> None:
    assert not illegal_facts(facts_of(text)), [f.key for f in illegal_facts(facts_of(text))]


def test_household_work_in_a_kepmenaker_260_country_is_closed_but_hotel_work_there_is_not() -> None:
    assert "destination:closed_to_household_work" in keys("Dicari ART untuk keluarga di Riyadh, Arab Saudi.")
    assert "destination:closed_to_household_work" not in keys(
        "Lowongan housekeeping hotel di Arab Saudi (bukan ART, kerja di perusahaan), lewat P3MI.")
    assert "destination:closed_to_household_work" not in keys("Dicari ART untuk keluarga di Hong Kong lewat P3MI.")


def test_evasive_spellings_are_read_and_spans_point_at_the_original_words() -> None:
    text = "Brgkt pk v1sa turis, p4spor d1pegang 4gen, gaji dipotong tiap bulan."
    facts = facts_of(text)
    assert {"visa:visit", "passport:held_by_other", "cost:wage_deduction"} <= {f.key for f in illegal_facts(facts)}
    for fact in facts:
        assert text[fact.start:fact.end] == fact.text


def test_every_fact_has_a_bahasa_label_and_a_public_source() -> None:
    pattern_keys = {f"{p.kind}:{p.value}" for p in PATTERNS}
    assert pattern_keys <= set(FACT_INFO)
    for key, info in FACT_INFO.items():
        assert info.label and info.source, key
    assert fact_effect("visa:visit") == ILLEGAL and fact_effect("visa:work") == LAWFUL


def test_a_fee_word_inside_a_lawful_cost_statement_is_no_red_flag() -> None:
    item = analyse([AdText("t", "Tiket pesawat & biaya proses ditanggung perusahaan, gaji utuh.")])[0]
    assert "cost:none_for_worker" in {fact.key for fact in lawful_facts(item.facts)}
    assert "upfront_fee" not in item.fired
    assert "upfront_fee" in analyse([AdText("t", "Biaya proses 2 juta, transfer sebelum berangkat.")])[0].fired
