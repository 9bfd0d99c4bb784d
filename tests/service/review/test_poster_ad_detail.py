"""A photo-only ad on the desk: the analyst reads the poster's OCR text after the caption, with its red flags
marked where OCR found them."""

from __future__ import annotations

from model.rule_scorer import RuleScorer
from scraper.records import PosterText
from service.review.ad_detail import ad_detail
from service.scoring.score import score_unscored
from service.store.ads import POSTER_HEADING
from service.store.session import Store
from service.web.explain import highlight
from tests.service.lead_data import add_ad

POSTER = PosterText("LOKER ADMIN KAMBOJA\nvisa turis diurus agen, paspor dipegang perusahaan", 0.91, "tesseract 5")


def test_the_ad_view_shows_the_poster_text_with_its_red_flags_marked(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        ad_id = add_ad(session, "301", "Info lengkap di gambar ya", poster=POSTER).id
    score_unscored(store.session_factory, RuleScorer())
    with store.session_factory() as session:
        detail = ad_detail(session, ad_id)
    assert detail.ocr_text == POSTER.text
    caption_end = detail.full_text.index(POSTER_HEADING)
    assert detail.full_text.startswith("Info lengkap di gambar ya") and POSTER.text in detail.full_text
    marked = [segment for segment in highlight(detail.full_text, detail.indicators, detail.facts)
              if segment.names or segment.facts]
    assert any("visa turis" in segment.text.lower() for segment in marked), marked
    assert all(detail.full_text.index(segment.text) > caption_end for segment in marked)  # found in the poster
