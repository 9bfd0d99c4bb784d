"""The team's generated labelled data (team_v1.jsonl): schema, size, balance, coverage, slices."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import phonenumbers
import pytest

from model.datasets.common import MODUS_VALUES, SOURCES
from model.labelled import LabelledAd, read_labelled_jsonl
from tests.conftest import REPO_ROOT

LABELLED_DIR = REPO_ROOT / "labelled_data"


@pytest.fixture(scope="module")
def ads() -> list[LabelledAd]:
    files = sorted(LABELLED_DIR.glob("*.jsonl"))
    assert files, f"no labelled data in {LABELLED_DIR}"
    return [ad for path in files for ad in read_labelled_jsonl(path)]


def test_size_balance_and_unique_ids(ads: list[LabelledAd]) -> None:
    assert len(ads) >= 3000
    assert len({ad.id for ad in ads}) == len(ads)
    labels = Counter(ad.label for ad in ads)
    assert set(labels) == {"legit", "scam", "trafficking"}
    assert labels["legit"] / len(ads) >= 0.40


def test_every_modus_and_source_is_covered_with_the_right_label(ads: list[LabelledAd]) -> None:
    by_modus = Counter(ad.modus for ad in ads)
    # The generator filed household work in Kepmenaker 260 countries under non-procedural migration.
    team_modus = set(MODUS_VALUES) - {"domestic_work_ban"}
    assert team_modus <= set(by_modus), team_modus - set(by_modus)
    assert min(by_modus[m] for m in team_modus) >= 100
    assert {ad.source for ad in ads} == set(SOURCES)
    for ad in ads:
        assert (ad.label == "legit") == (ad.modus or "").startswith("legit_"), ad.id


def test_every_record_says_where_it_came_from_and_who_wrote_it(ads: list[LabelledAd]) -> None:
    for ad in ads:
        assert ad.notes and (ad.notes.startswith("written by the lokerwatch team") or "imported from" in ad.notes)
        assert isinstance(ad.extra.get("group"), str) and ad.extra["group"]
    voices = {ad.extra["group"] for ad in ads if ad.extra["group"].startswith("voice-")}
    assert len(voices) >= 8
    for voice in voices:  # each voice writes all three labels, so a held-out voice tests all of them
        assert {ad.label for ad in ads if ad.extra["group"] == voice} == {"legit", "scam", "trafficking"}


def test_contrast_pairs_are_whole_and_turn_on_the_label(ads: list[LabelledAd]) -> None:
    pairs: dict[str, list[LabelledAd]] = defaultdict(list)
    for ad in ads:
        if ad.extra.get("slice") == "contrast":
            pairs[ad.extra["pair_id"]].append(ad)
    assert len(pairs) >= 200
    for pair_id, members in pairs.items():
        assert sorted(ad.label == "legit" for ad in members) == [False, True], pair_id
        assert len({ad.extra["group"] for ad in members}) == 1
    twins = [ad for members in pairs.values() for ad in members if ad.label != "legit"]
    assert {ad.label for ad in twins} == {"scam", "trafficking"}
    assert all("decisive flag" in (ad.notes or "") for ad in twins)


def test_evasive_slice_holds_evasive_spellings_on_both_sides(ads: list[LabelledAd]) -> None:
    evasive = [ad for ad in ads if ad.extra.get("slice") == "evasive"]
    assert len(evasive) >= 150
    assert {ad.label for ad in evasive} == {"legit", "scam", "trafficking"}
    techniques = Counter(t for ad in evasive for t in ad.extra["evasion"])
    for kind in ("leet", "spaced", "zero_width", "homoglyph", "phone_words", "phone_letters", "emoji"):
        assert techniques[kind] > 0, kind
    zero_width = re.compile("[\u200b\u200c\u200d\u2060]")
    assert any(zero_width.search(ad.text) for ad in evasive)
    assert not any(zero_width.search(ad.text) for ad in ads if ad.extra.get("slice") != "evasive")


def test_no_text_carries_two_labels(ads: list[LabelledAd]) -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for ad in ads:
        labels[" ".join(ad.text.lower().split())].add(ad.label)
    assert [text[:60] for text, found in labels.items() if len(found) > 1] == []


@pytest.mark.parametrize("phrase", ["paspor", "gaji besar", "luar negeri", "tiket", "mess", "tanpa biaya",
                                    "bpjs", "p3mi", "visa", "admin online", "kamboja", "open bo", "biaya",
                                    "tidak perlu pengalaman", "malaysia", "karaoke"])
def test_feared_words_appear_on_both_sides(ads: list[LabelledAd], phrase: str) -> None:
    sides = {ad.label == "legit" for ad in ads if phrase in f"{ad.title} {ad.text}".lower()}
    assert sides == {True, False}, phrase


def test_phone_numbers_are_valid_looking_indonesian_mobiles_never_shared_across_ads(ads: list[LabelledAd]) -> None:
    pattern = re.compile(r"(?:\+62 ?|62|0)8\d[\d .\-]{6,14}\d")
    owners: dict[str, set[str]] = defaultdict(set)
    for ad in ads:
        if ad.extra.get("slice") == "evasive" or not ad.notes or not ad.notes.startswith("written by"):
            continue
        for found in pattern.findall(ad.text):
            digits = re.sub(r"\D", "", found)
            number = phonenumbers.parse("0" + digits[2:] if digits.startswith("62") else digits, "ID")
            assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE, found
            owners[phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)].add(
                ad.extra.get("pair_id") or ad.id)
    assert len(owners) > 1000
    assert [number for number, who in owners.items() if len(who) > 1] == []  # only a pair's twins share one


def test_datasheet_states_the_file_s_total() -> None:
    readme = (LABELLED_DIR / "README.md").read_text(encoding="utf-8")
    total = sum(1 for line in (LABELLED_DIR / "team_v1.jsonl").read_text(encoding="utf-8").splitlines() if line)
    assert f"Total: {total} ads." in readme
