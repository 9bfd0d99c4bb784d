"""The research export's name finder on the seeded name mentions, and the tokens names get in the text."""

from __future__ import annotations

import re

import pytest

from service.research.known_names import KnownNames
from service.research.person_names import find_person_names
from service.research.pseudonymise import Pseudonymiser
from tests.name_mentions import KNOWN_NAMES, Sentence, load_sentences, score

MIN_MENTIONS = 300
MIN_NEGATIVES = 100
MIN_REPLACEMENT_RATE = 0.99
TOKEN = r"\[name:[a-p]{16}\]"


@pytest.fixture(scope="module")
def sentences() -> list[Sentence]:
    return load_sentences()


@pytest.fixture(scope="module")
def known() -> KnownNames:
    return KnownNames.from_written(KNOWN_NAMES)


@pytest.fixture(scope="module")
def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser(b"a-research-export-secret-key-for-tests")


def test_seeded_set_is_large_and_varied_enough(sentences: list[Sentence]) -> None:
    mentions = sum(len(sentence.mentions) for sentence in sentences)
    negatives = [sentence for sentence in sentences if not sentence.mentions]
    groups = {sentence.group for sentence in sentences}
    assert mentions >= MIN_MENTIONS
    assert len(negatives) >= MIN_NEGATIVES
    for kind in ("lowercase", "ALL CAPS", "in parentheses", "after a phone number", "in lists", "multi-word",
                 "glued to punctuation", "at a line start", "English / Indonesian mix"):
        assert kind in groups, f"no seeded group {kind!r}"


def test_at_least_99_percent_of_seeded_name_mentions_are_found_and_nothing_else(
        sentences: list[Sentence], known: KnownNames) -> None:
    result = score(sentences, lambda text: [(m.start, m.end) for m in find_person_names(text, known)])
    missed = "\n".join(f"  {name!r} in {text!r}" for name, text in result.missed)
    assert result.replacement_rate >= MIN_REPLACEMENT_RATE, f"{result.replacement_rate:.3f}, missed:\n{missed}"
    assert result.false == [], "replaced words that are not names:\n" + "\n".join(
        f"  {words!r} in {text!r}" for words, text in result.false)
    assert result.negatives_touched == 0


def _whole_word(words: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text, flags=re.IGNORECASE) is not None


def test_pseudonymised_text_keeps_no_seeded_name_and_every_word_that_must_stay(
        sentences: list[Sentence], known: KnownNames, pseudonymiser: Pseudonymiser) -> None:
    leaked: list[str] = []
    lost: list[str] = []
    for sentence in sentences:
        output = pseudonymiser.text(sentence.text, known)
        for span in sentence.mentions:
            name = sentence.said(span)
            # A name word that is also written elsewhere in the sentence as an ordinary word does not count.
            rest = sentence.text[:span[0]] + sentence.text[span[1]:]
            if _whole_word(name, output) and not _whole_word(name, rest):
                leaked.append(f"{name!r} in {output!r}")
        for span in sentence.keep:
            if sentence.said(span) not in output:
                lost.append(f"{sentence.said(span)!r} in {output!r}")
    mentions = sum(len(sentence.mentions) for sentence in sentences)
    assert len(leaked) <= (1 - MIN_REPLACEMENT_RATE) * mentions, "\n".join(leaked)
    assert lost == [], "\n".join(lost)


def test_the_outside_testers_sentence_keeps_the_honorific_and_loses_the_name(pseudonymiser: Pseudonymiser) -> None:
    output = pseudonymiser.text("Hubungi Mak Lina 0812-3456-7781, cewek2 cantik ditunggu.")
    assert re.fullmatch(rf"Hubungi Mak {TOKEN} \[phone:[a-p]{{16}}\], cewek2 cantik ditunggu\.", output), output


def test_one_name_gets_one_token_however_it_is_written(pseudonymiser: Pseudonymiser) -> None:
    forms = ["Hubungi Mak Lina 0812-3456-7781", "HUBUNGI MAK LINA SEKARANG", "wa mak lina aja say",
             "CP:Lina/0813 4470 9921", "Kontak 0812 4455 6677 (lina)"]
    tokens = {token for form in forms for token in re.findall(TOKEN, pseudonymiser.text(form))}
    assert tokens == {pseudonymiser.name_token("Lina")}
    assert pseudonymiser.name_token("Mak Lina") == pseudonymiser.name_token("LINA")
    assert pseudonymiser.name_token("Lina Susanti") != pseudonymiser.name_token("Lina")
    assert Pseudonymiser(b"another-key").name_token("Lina") != pseudonymiser.name_token("Lina")


def test_names_in_a_list_after_one_cue_are_all_replaced(pseudonymiser: Pseudonymiser) -> None:
    output = pseudonymiser.text("Kontak: Pak Anto, Bu Ratna, Mas Bayu. Admin: Sarah, Kevin & Lia")
    for name in ("Anto", "Ratna", "Bayu", "Sarah", "Kevin", "Lia"):
        assert name not in output, output
    assert output.startswith("Kontak: Pak [name:") and ", Bu [name:" in output


@pytest.mark.parametrize("text", [
    "Bapak/Ibu yang terhormat, kami membuka lowongan staf gudang.",
    "Lowongan operator produksi PT Sinar Jaya Abadi, Cikarang. Hubungi HRD kami.",
    "Kerja di Toko Mas Jaya Pasar Baru, chat Admin untuk detail.",
    "Interview hari Sabtu, hubungi Senin-Jumat. Berangkat akhir Desember.",
    "Lowongan driver Gojek dan Grab di Makassar, daftar via WhatsApp atau Telegram.",
])
def test_generic_addresses_companies_places_months_and_brands_stay(pseudonymiser: Pseudonymiser, text: str) -> None:
    assert pseudonymiser.text(text) == text


@pytest.mark.parametrize(("text", "names"), [
    ("transfer ke rek pribadi admin a.n Siti Rohani pendaftaran ditutup jumat", ["Siti Rohani"]),
    ("Bayar ke rekening a/n dr. Hendra Wijaya (BNI), bisa reimburse", ["Hendra Wijaya"]),
    ("Lamaran langsung ke kede ya, tanya Inang Boru Silalahi.", ["Boru Silalahi"]),
    ("hubungin desi aja ya kak, dia yg pegang", ["desi"]),
    ("nnt ci lili yg jemput di bandara", ["lili"]),
    ("biaya seragam ditransfer ke BNI 0392118476 a/n Rudi H. paling lambat besok", ["Rudi H"]),
])
def test_names_found_in_writers_ads_shapes(text: str, names: list[str]) -> None:
    assert [text[m.start:m.end] for m in find_person_names(text)] == names


@pytest.mark.parametrize("text", [
    "Pengalaman 5+ tahun dengan Golang, paham PostgreSQL",
    "Familiar dengan Micromine/Leapfrog, bersedia di site",
    "Hub Ustadz Fathurrahman 0853-3702-8841 (Aikmel)",
    "Gak lewat PT, langsung contact bos farm DM / WA 0822 7711 3090",
    "kiriman dr Budi sudah sampai",
])
def test_tools_places_and_workplaces_next_to_cues_are_not_names(text: str) -> None:
    found = [text[m.start:m.end] for m in find_person_names(text)]
    assert found in ([], ["Fathurrahman"]), found


def test_a_name_the_store_knows_is_replaced_without_any_cue(pseudonymiser: Pseudonymiser) -> None:
    known = KnownNames.from_written(["Siti Rahma", "Info Loker Batam"], ["@loker_batam26"])
    output = pseudonymiser.text("Terima kasih Siti Rahma sudah share. Info Loker Batam, follow loker_batam26", known)
    assert "Siti" not in output and "Rahma" not in output and "loker_batam26" not in output
    assert "Info Loker Batam" in output, "a channel title names no person"
    assert pseudonymiser.name_token("Siti Rahma") in output
    assert pseudonymiser.token("handle", "loker_batam26") in output


def test_a_known_name_that_is_a_month_is_replaced_only_as_a_whole(pseudonymiser: Pseudonymiser) -> None:
    known = KnownNames.from_written(["Ci Mei", "Mei Lestari"])
    output = pseudonymiser.text("Berangkat Mei 2027. Terima kasih Mei Lestari, hubungi Ci Mei", known)
    assert output.startswith("Berangkat Mei 2027. Terima kasih [name:"), output
    assert "Lestari" not in output and output.endswith("Ci " + pseudonymiser.name_token("Mei"))


def test_a_known_name_that_is_also_a_word_counts_alone_only_outside_other_proper_nouns(
        pseudonymiser: Pseudonymiser) -> None:
    known = KnownNames.from_written(["Indah", "Jaya Kusuma"])
    output = pseudonymiser.text("Indah yang urus tiket. Mess di Taman Indah Permai, kerja di Sinar Jaya Abadi. "
                                "Terima kasih Jaya Kusuma", known)
    assert output.startswith(pseudonymiser.name_token("Indah") + " yang urus tiket."), output
    assert "Taman Indah Permai" in output and "Sinar Jaya Abadi" in output
    assert output.endswith(pseudonymiser.name_token("Jaya Kusuma"))


def test_a_second_pass_does_not_read_words_around_a_token_as_a_name(pseudonymiser: Pseudonymiser) -> None:
    once = pseudonymiser.text("CP: Maya 0813 4470 9921 Kantor Pusat")
    assert pseudonymiser.text(once) == once
    assert once.endswith("Kantor Pusat")
