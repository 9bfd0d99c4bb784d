"""OCR text repairs: each fixes the mistake it names, leaves honest text alone, and lowers the error rate."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scraper.ocr import read_poster
from scraper.ocr_text import ALL_REPAIRS, tidy_ocr_text
from tests.ocr_metrics import ErrorTally
from tests.ocr_posters import clean_style, render_poster


@pytest.mark.parametrize(("read", "tidied"), [
    ("@ Lokasi: Jakarta Barat\n© Gaji 4 juta", "Lokasi: Jakarta Barat\nGaji 4 juta"),
    ("Vv Mess dan makan\nv Tiket ditanggung", "Mess dan makan\nTiket ditanggung"),
    ("Judul\n| — _\nIsi iklan", "Judul\nIsi iklan"),
    ("“Gaji besar” katanya ‘pasti’", "\"Gaji besar\" katanya 'pasti'"),
    ("WA #62 812-3456-7890", "WA +62 812-3456-7890"),
    ("Gaji 1.200 euro/bin, bonus 5jt /bIn, UMR/BIN", "Gaji 1.200 euro/bln, bonus 5jt /bln, UMR/BLN"),
    ("Reguirements: S1 or eguivalent. Gualification", "Requirements: S1 or equivalent. Qualification"),
    ("Header\n\n\n\nBody", "Header\n\nBody"),
])
def test_a_recurring_ocr_mistake_is_repaired(read: str, tidied: str) -> None:
    assert tidy_ocr_text(read) == tidied


@pytest.mark.parametrize("honest", [
    "@lokerjakarta.info\nDM @admin_loker untuk info",  # handles keep their @
    "+62 812 3456 7890 atau #loker62 #62jobs",  # hashtags are not phone numbers
    "Upah 08l2 3456 789O, g4ji b3sar",  # the advertiser's own evasions are model/normalise.py's business
    "Panduan guide untuk gudang, lingkungan kerja",  # g before u in ordinary words
    "Simpan di /bin/app atau bin laden",  # bin that is not a month
    "Laki-laki / Perempuan\n: Wajib vaksin",
    "V. Fasilitas\nWw Tour & Travel",
    "= 5 juta\n€ 1.200 per bulan\n- Jujur",  # symbols that can start an honest line
])
def test_honest_text_is_left_as_it_is(honest: str) -> None:
    assert tidy_ocr_text(honest) == honest


def test_repairs_can_be_chosen_by_name_and_a_wrong_name_is_an_error() -> None:
    assert tidy_ocr_text("@ Gaji #62 812", ("country_code",)) == "@ Gaji +62 812"
    with pytest.raises(ValueError, match="unknown OCR text repair"):
        tidy_ocr_text("x", ("spellcheck",))


def test_on_real_ocr_of_posters_with_icons_the_repairs_lower_the_error_rate() -> None:
    ads = [
        "Dibutuhkan Segera\n📍 Lokasi: Batam\n💰 Gaji 6 juta\n✅ Mess dan makan\n✅ Tiket ditanggung\n📲 WA +62 812",
        "Info Loker\n👉 Usia 18-35 tahun\n👉 Pendidikan min SMA\n👉 Bersedia lembur\n👉 Kirim CV ke hrd@maju.id",
        "LOWONGAN OPERATOR\n⭐ Requirements: SMK or equivalent\n⭐ Gaji 5jt/bln\n⭐ Kontrak 1 tahun",
    ]
    raw, tidied = ErrorTally(), ErrorTally()
    for seed in (60, 63, 66):
        for index, ad in enumerate(ads):
            poster = render_poster(ad, replace(clean_style(seed=seed + index), icons=True))
            text = read_poster(poster.image).text
            raw.add(poster.truth, text)
            tidied.add(poster.truth, tidy_ocr_text(text, ALL_REPAIRS))
    assert tidied.char_edits < raw.char_edits * 0.75
