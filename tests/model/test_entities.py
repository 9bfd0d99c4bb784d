"""Entities: contacts in every evasive form, pay as monthly rupiah, ages, genders and places."""

from __future__ import annotations

import pytest

from model.entities import extract_entities, find_contacts
from model.normalise import normalise

PHONE = "+6281234567890"


@pytest.mark.parametrize("written", [
    "0812-3456-7890",
    "08l2 3456 789O",
    "nol delapan satu dua tiga empat lima enam tujuh delapan sembilan nol",
    "+62 812-3456-7890",
    "6281234567890",
    "0 8 1 2 3 4 5 6 7 8 9 0",
])
def test_evasive_phone_numbers_become_one_e164_number(written: str) -> None:
    text = f"Minat hubungi {written} ya"
    phones = [c for c in find_contacts(text) if c.kind == "phone"]
    assert [p.value for p in phones] == [PHONE]
    # the span covers the whole written number, so pseudonymising it leaves nothing recoverable
    assert text[phones[0].start:phones[0].end] == written


def test_replacing_every_contact_span_leaves_no_recoverable_contact() -> None:
    text = ("WA 08l2 3456 789O atau nol delapan satu dua tiga empat lima enam tujuh delapan sembilan nol, "
            "email hrd [at] gmail [dot] com, telegram: @rekrut_kh, +62 813-1111-2222")
    contacts = find_contacts(text)
    redacted = text
    for contact in sorted(contacts, key=lambda c: c.start, reverse=True):
        redacted = redacted[:contact.start] + "[X]" + redacted[contact.end:]
    assert find_contacts(redacted) == []
    assert {c.kind for c in contacts} >= {"phone", "email", "telegram"}


def test_money_amounts_become_monthly_rupiah() -> None:
    text = ("Gaji Rp 15 jt/bln. Bonus $1500/bln. USD 1.000 per bulan. Pokok 15.000.000. "
            "Harian 500rb/hari. RM 3000.")
    money = extract_entities(normalise(text)).money
    monthly = [round(m.monthly_idr) for m in money]
    assert monthly == [15_000_000, 24_450_000, 16_300_000, 15_000_000, 13_000_000, 11_400_000]
    assert [text[m.start:m.end] for m in money][:2] == ["Rp 15 jt/bln", "$1500/bln"]


def test_salary_range_takes_its_upper_end() -> None:
    money = extract_entities(normalise("gaji 8-12 juta")).money
    assert [m.monthly_idr for m in money] == [12_000_000]


def test_phone_numbers_and_years_are_not_money() -> None:
    money = extract_entities(normalise("Hub 0812 3456 7890, lulusan tahun 2020")).money
    assert money == []


def test_age_ranges_and_bounds() -> None:
    ages = extract_entities(normalise("Usia 18-25 thn; umur maksimal 30 tahun; usia minimal 21 tahun")).ages
    assert [(a.min_age, a.max_age) for a in ages] == [(18, 25), (None, 30), (21, None)]


def test_gender_requirements() -> None:
    genders = extract_entities(normalise("Dicari cewek, bukan cowok")).genders
    assert [g.value for g in genders] == ["female", "male"]


def test_destinations_carry_their_risk_and_transit_towns_are_found() -> None:
    entities = extract_entities(normalise("Berangkat ke Phnom Penh lewat Batam, atau kerja di Dubai"))
    assert [(d.value, d.risk) for d in entities.destinations] == [("phnom penh", "high"), ("dubai", "kepmenaker260")]
    assert [t.value for t in entities.transit_towns] == ["batam"]


def test_kepmenaker_260_countries_come_from_the_reference_table() -> None:
    entities = extract_entities(normalise("Kerja di Yordania dan Qatar"))
    assert {d.value for d in entities.destinations if d.risk == "kepmenaker260"} == {"yordania", "qatar"}


def test_urls_shortlinks_and_handles() -> None:
    contacts = find_contacts("Daftar di www.recruitment-pertamina.info atau bit.ly/abc, ig @loker.jkt, t.me/rekrut")
    assert [(c.kind, c.value) for c in contacts] == [
        ("url", "www.recruitment-pertamina.info"), ("url", "bit.ly/abc"), ("instagram", "loker.jkt"),
        ("url", "t.me/rekrut"), ("telegram", "rekrut"),
    ]
