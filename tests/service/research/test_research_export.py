"""Research export: reviewed ads in the labelled-data schema, no recoverable phone, e-mail, handle or name."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from model.entities import find_contacts
from model.labelled import read_labelled_jsonl
from model.normalise import normalise
from scraper.records import PosterText
from service.errors import LokerwatchError
from service.research.export import export_labelled
from service.research.pseudonymise import Pseudonymiser
from service.review.ad_records import ad_record, record_json
from service.settings import Settings
from service.store.ads import POSTER_HEADING, iter_ads_with_scores
from service.store.session import Store
from service.store.tables import ResearchExport
from tests.service.lead_data import add_ad, decide

DIGITS = "81234567890"  # national significant number of +62 812-3456-7890
# Every evasive spelling of one number that the model's normaliser turns back into digits.
EVASIONS = [
    "0812-3456-7890",
    "08l2 3456 789O",
    "nol delapan satu dua tiga empat lima enam tujuh delapan sembilan nol",
    "kosong delapan satu dua - tiga empat lima enam - tujuh delapan sembilan nol",
    "zero eight one two three four five six seven eight nine zero",
    "+62 812 3456 7890",
    "+62-812-3456-7890",
    "6281234567890",
    "(0812) 3456-7890",
    "0 8 1 2 3 4 5 6 7 8 9 0",
    "O812.3456.789O",
    "0812\u200b3456\u200b7890",
    "０８１２３４５６７８９０",
    "wa.me/6281234567890",
]
OTHER_NUMBER = "0857 1111 2222"


def _seed(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        for number, form in enumerate(EVASIONS):
            ad = add_ad(session, f"ev-{number}",
                        f"Lowongan admin di Kamboja, gaji 12 juta, tiket ditanggung. Hubungi Bapak Andi Wijaya {form}",
                        title=f"Kerja luar negeri {number}", author="Siti Rahma")
            decide(session, ad, "trafficking", note=f"nomor {form} sama dengan jaringan lama")
        scam = add_ad(session, "scam-1", f"Kerja online, biaya pendaftaran 150rb. Email hrd.job@gmail.com, "
                                         f"telegram @hrd_lowongan, WA {OTHER_NUMBER}")
        decide(session, scam, "scam")
        benign = add_ad(session, "legit-1", "Kasir minimarket Pontianak, gaji UMK, BPJS. Lamaran ke kantor cabang.",
                        source="olx")
        decide(session, benign, "benign")
        unsure = add_ad(session, "unsure-1", f"Butuh sopir, hubungi {OTHER_NUMBER}")
        decide(session, unsure, "need_info")
        changed = add_ad(session, "changed-1", "Admin gudang Batam, hubungi 0813 9999 0000")
        decide(session, changed, "scam")
        decide(session, changed, "benign")  # the later decision stands


def _export(store: Store, settings: Settings) -> list[dict[str, object]]:
    handle = io.StringIO()
    export_labelled(store.session_factory, settings, handle, actor="peneliti1")
    return [json.loads(line) for line in handle.getvalue().splitlines()]


def _assert_no_number(text: str) -> None:
    """Nothing in `text` reads back as the seeded numbers, however the normaliser undoes evasions."""
    phones = [c for c in find_contacts(text) if c.kind in ("phone", "email", "handle", "telegram", "instagram")]
    assert phones == [], f"contact left in export: {phones} in {text!r}"
    squeezed = re.sub(r"[^0-9]", "", normalise(text).text)
    for digits in (DIGITS, "85711112222", "81399990000"):
        assert digits not in squeezed, f"{digits} recoverable from {text!r}"


def test_export_contains_no_recoverable_phone_number_in_any_evasion_form(store: Store, settings: Settings) -> None:
    _seed(store)
    records = _export(store, settings)
    assert records
    for record in records:
        for field in ("title", "text"):
            _assert_no_number(str(record[field]))
            assert "Siti" not in str(record[field]) and "Andi" not in str(record[field])
        for form in [*EVASIONS, OTHER_NUMBER, "hrd.job@gmail.com", "hrd_lowongan"]:
            assert form not in json.dumps(record, ensure_ascii=False)
    assert "notes" not in records[0], "analyst notes may quote numbers and names; they stay out of the export"


def test_same_number_gets_the_same_token_across_ads_and_fields(store: Store, settings: Settings) -> None:
    _seed(store)
    records = {str(r["id"]): r for r in _export(store, settings)}
    evasive = [r for r in records.values() if str(r["title"]).startswith("Kerja luar negeri")]
    assert len(evasive) == len(EVASIONS)
    tokens = {re.findall(r"\[phone:[a-p]{16}\]", str(r["text"]))[0] for r in evasive}
    assert len(tokens) == 1, f"one number, several tokens: {tokens}"
    token = tokens.pop()
    assert all(r["contacts"] == [token] for r in evasive)
    assert len({r["author"] for r in evasive}) == 1
    scam = next(r for r in records.values() if "biaya pendaftaran" in str(r["text"]))
    assert token not in str(scam["text"])  # a different number gets a different token
    assert re.search(r"\[email:[a-p]{16}\]", str(scam["text"]))
    assert re.search(r"\[handle:[a-p]{16}\]", str(scam["text"]))


def test_tokens_depend_on_the_secret_key(store: Store, settings: Settings) -> None:
    one = Pseudonymiser(b"first-secret").token("phone", "+6281234567890")
    assert one == Pseudonymiser(b"first-secret").token("phone", "+6281234567890")
    assert one != Pseudonymiser(b"other-secret").token("phone", "+6281234567890")
    assert not re.search(r"\d", one), "a token holds no digits, so it can never be read as a number"


def test_decisions_map_to_labels_and_need_info_is_left_out(store: Store, settings: Settings) -> None:
    _seed(store)
    records = _export(store, settings)
    labels = {str(r["text"])[:20]: r["label"] for r in records}
    assert labels["Kerja online, biaya "] == "scam"
    assert labels["Kasir minimarket Pon"] == "legit"
    assert labels["Admin gudang Batam, "] == "legit"  # latest decision (benign) stands over the earlier scam
    assert not any("sopir" in str(r["text"]) for r in records)  # need_info is not a label
    assert len(records) == len(EVASIONS) + 3
    with store.session_factory() as session:
        row = session.scalars(select(ResearchExport)).one()
        assert (row.exported_by, row.records) == ("peneliti1", len(records))


def test_export_needs_a_pseudonym_key_outside_dev_mode(store: Store, settings: Settings) -> None:
    production = settings.model_copy(update={"dev_mode": False, "pseudonym_key": None})
    with pytest.raises(LokerwatchError, match="LOKERWATCH_PSEUDONYM_KEY"):
        export_labelled(store.session_factory, production, io.StringIO(), actor="peneliti1")


def test_cli_export_is_accepted_by_the_labelled_data_reader(store: Store, settings: Settings, tmp_path: Path) -> None:
    _seed(store)
    output = tmp_path / "reviews.jsonl"
    env = {**os.environ, "LOKERWATCH_DATABASE_URL": settings.database_url,
           "LOKERWATCH_PSEUDONYM_KEY": "a-research-export-secret-key-for-tests"}
    result = subprocess.run([sys.executable, "-m", "service.cli", "export", "labelled", "--out", str(output)],
                            cwd=tmp_path, env=env, text=True, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"exported {len(EVASIONS) + 3} reviewed ads" in result.stdout
    records = list(read_labelled_jsonl(output))
    assert {r.label for r in records} == {"trafficking", "scam", "legit"}
    for record in records:
        _assert_no_number(record.title + "\n" + record.text)


POSTER_WITH_NUMBER = PosterText(
    "LOKER ADMIN KAMBOJA\nGaji 15 juta, visa turis diurus agen\nHubungi Bapak Andi Wijaya WA 0812-3456-7890",
    0.87, "tesseract 5.3.0")


def test_a_posters_phone_number_is_pseudonymised_in_its_ocr_text_with_the_same_token(
        store: Store, settings: Settings) -> None:
    _seed(store)
    with store.session_factory() as session, session.begin():
        photo_only = add_ad(session, "poster-1", "", poster=POSTER_WITH_NUMBER)
        decide(session, photo_only, "trafficking")
    records = {str(r["id"]): r for r in _export(store, settings)}
    poster = records[f"lokerwatch-{photo_only.id}"]
    assert poster["ocr_confidence"] == 0.87
    ocr_text = str(poster["ocr_text"])
    _assert_no_number(ocr_text)
    assert "Andi" not in ocr_text and "Wijaya" not in ocr_text
    assert "Gaji 15 juta, visa turis diurus agen" in ocr_text  # only identities are replaced
    # The same number in a caption elsewhere and on this poster: one token, in the text, the OCR text and contacts.
    caption_token = re.findall(r"\[phone:[a-p]{16}\]", str(records[next(iter(records))]["text"]))[0]
    assert caption_token in ocr_text and poster["contacts"] == [caption_token]
    # A photo-only ad's text is what the model read: the poster's text under its heading.
    assert str(poster["text"]) == f"{POSTER_HEADING}\n{ocr_text}"
    assert all(r["ocr_text"] is None and r["ocr_confidence"] is None for key, r in records.items()
               if key != f"lokerwatch-{photo_only.id}")


def test_the_ads_export_carries_the_posters_ocr_text_and_confidence(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        add_ad(session, "poster-1", "Info lengkap di gambar", poster=POSTER_WITH_NUMBER)
        add_ad(session, "plain-1", "Kasir minimarket Pontianak, gaji UMK")
    with store.session_factory() as session:
        lines = [json.loads(record_json(ad_record(item))) for item in iter_ads_with_scores(session)]
    by_id = {line["source_ad_id"]: line for line in lines}
    assert by_id["poster-1"]["ocr_text"] == POSTER_WITH_NUMBER.text
    assert by_id["poster-1"]["ocr_confidence"] == 0.87
    assert by_id["poster-1"]["text"] == "Info lengkap di gambar"  # the caption stays apart from the poster
    assert by_id["plain-1"]["ocr_text"] is None and by_id["plain-1"]["ocr_confidence"] is None
