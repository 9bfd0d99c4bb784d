"""A lead holding a poster ad (text only in its image, read by OCR): the package carries the poster text, the
indicator spans that point into it still check, and police read it in the summary."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

from model.rule_scorer import RuleScorer
from scraper.records import PosterText
from service.leads.package_format import ADS_FILE, SUMMARY_FILE
from service.leads.rules import create_lead
from service.leads.signing import installation_public_key
from service.leads.verify import verify_package
from service.scoring.score import score_unscored
from service.settings import Settings
from service.store.session import Store
from service.store.tables import Ad, ScoreRow
from tests.service.lead_data import add_ad, decide
from tests.service.leads.packages import UNIT, export_package

POSTER = PosterText("LOKER ADMIN KAMBOJA\nvisa turis diurus agen, paspor dipegang perusahaan", 0.91, "tesseract 5")


def test_a_poster_ad_goes_into_a_package_that_verifies(store: Store, settings: Settings, tmp_path: Path) -> None:
    with store.session_factory() as session, session.begin():
        ad_id = add_ad(session, "201", "", title="", poster=POSTER).id  # a photo-only post
    score_unscored(store.session_factory, RuleScorer())
    with store.session_factory() as session, session.begin():
        score = session.query(ScoreRow).filter_by(ad_id=ad_id).one()
        assert any(hit["name"] == "visit_visa" for hit in score.indicators), score.indicators  # found in the poster
        decide(session, session.get_one(Ad, ad_id), "trafficking", "visa turis di poster")
        lead_id = create_lead(session, "supervisor1", UNIT, [ad_id], "Poster Kamboja", "").id
    package = export_package(store, settings, lead_id)
    path = tmp_path / package.filename
    path.write_bytes(package.data)
    report = verify_package(path, installation_public_key(settings.signing_key_path))
    assert report.ok, report.problems
    with zipfile.ZipFile(BytesIO(package.data)) as archive:
        ads = json.loads(archive.read(ADS_FILE))["ads"]
        summary = archive.read(SUMMARY_FILE).decode()
    assert ads[0]["ocr_text"] == POSTER.text and ads[0]["text"] == ""
    assert "Teks pada gambar (dibaca OCR)" in summary and "paspor dipegang perusahaan" in summary
