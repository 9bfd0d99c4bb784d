"""The normaliser undoes each evasion form and still points back at the words the analyst sees."""

from __future__ import annotations

import pytest

from model.normalise import normalise


@pytest.mark.parametrize(("written", "expected"), [
    ("K A M B O J A", "kamboja"),
    ("K.A.M.B.O.J.A", "kamboja"),
    ("G4JI b3sar", "gaji besar"),
    ("k4mb0j4", "kamboja"),
    ("08l2 3456 789O", "0812 3456 7890"),
    ("nol delapan satu dua tiga empat lima enam tujuh delapan sembilan nol", "081234567890"),
    ("𝐊𝐀𝐌𝐁𝐎𝐉𝐀", "kamboja"),           # mathematical bold letters
    ("ｇａｊｉ", "gaji"),                  # fullwidth letters
    ("Кamboja", "kamboja"),               # Cyrillic К
    ("lo\u200bker", "loker"),              # zero-width space
    ("tnp pglmn", "tanpa pengalaman"),
    ("gj 15jt/bln", "gaji 15 juta/bulan"),
    ("usia 18 s/d 25 thn", "usia 18 sampai 25 tahun"),
    ("hrd [at] gmail [dot] com", "hrd@gmail.com"),
])
def test_evasion_forms_are_undone(written: str, expected: str) -> None:
    assert normalise(written).text == expected


def test_flag_emoji_becomes_the_country_it_shows() -> None:
    assert "kamboja" in normalise("Kerja di 🇰🇭 gaji besar").text


def test_other_emoji_become_spaces_not_glue() -> None:
    assert normalise("LOKER🔥ADMIN").text == "loker admin"


@pytest.mark.parametrize("word", ["p3mi", "sip2mi", "s1", "biaya2", "tahun2022", "budi123@gmail.com"])
def test_real_digits_are_not_read_as_leetspeak(word: str) -> None:
    assert word in normalise(word).text


def test_red_flag_stop_words_survive() -> None:
    # spaCy's Indonesian stop-word list holds these; dropping them would hide the flag
    text = normalise("Tidak perlu pengalaman, tanpa ijazah, kerja di luar negeri").text
    assert {"tidak", "tanpa", "luar"} <= set(text.replace(",", " ").split())


def test_span_in_normalised_text_maps_to_the_original_words() -> None:
    original = "Kerja di K A M B O J A, G4JI 15jt"
    norm = normalise(original)
    start = norm.text.index("kamboja")
    a, b = norm.original_span(start, start + len("kamboja"))
    assert original[a:b] == "K A M B O J A"
    start = norm.text.index("gaji")
    a, b = norm.original_span(start, start + len("gaji"))
    assert original[a:b] == "G4JI"


def test_ocr_noise_passes_through_without_breaking() -> None:
    text = "HIRINC  Sorvige\n\n\nStaff Adrnin  WA:0812 3456 7890"
    norm = normalise(text)
    assert "0812 3456 7890" in norm.text
    assert "\n\n" not in norm.text
    assert len(norm.starts) == len(norm.text) == len(norm.ends)
