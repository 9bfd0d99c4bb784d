"""Posters end to end (issue #14), on SQLite and PostgreSQL: a Telegram post whose text is only in its photo.

Local fault server -> polite fetcher -> page and image snapshots -> Telegram parser -> Tesseract -> ad with its
poster text apart from its caption -> rules-0 scorer -> review queue. Bad images end as problems beside their
snapshots; the run goes on.
"""

from __future__ import annotations

from sqlalchemy import func, select

from scraper.fetcher import FetchPolicy
from scraper.records import sha256_hex
from service.collect.runs import default_source_name, run_source
from service.collect.source_rows import ensure_source
from service.scoring.pipeline import process_new_ads
from service.settings import Settings
from service.store.ads import POSTER_HEADING, ad_text
from service.store.evidence import snapshot_body
from service.store.session import Store
from service.store.tables import Ad, AdSnapshot, ParseError, QueueEntry, ScoreRow, Snapshot
from tests.scraper.fault_server import FaultServer
from tests.scraper.poster_pages import PhotoPost, serve_images, serve_photo_channel

CHANNEL = "lokerjkt"


def add_channel(store: Store) -> str:
    name = default_source_name("telegram", {"channel": CHANNEL})
    ensure_source(store.session_factory, name, "telegram", {"channel": CHANNEL})
    return name


def test_a_post_whose_text_is_only_in_its_photo_is_scored_from_the_poster_and_queued(
        store: Store, settings: Settings, server: FaultServer, fast_policy: FetchPolicy) -> None:
    images = serve_images(server)
    serve_photo_channel(server, CHANNEL, [
        PhotoPost(1, "Loker kasir Bogor, gaji UMK, lamar langsung ke toko", ()),
        PhotoPost(2, "", ("/img/poster.png",)),
    ])
    name = add_channel(store)

    summary = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})
    processed = process_new_ads(store.session_factory, settings, summary)

    assert (summary.status, summary.new_ads, summary.images) == ("ok", 2, 1), summary.messages
    assert processed is not None and processed.scored == 2
    with store.session_factory() as session:
        ad = session.scalars(select(Ad).where(Ad.source_ad_id == f"{CHANNEL}/2")).one()
        assert ad.text == "" and ad.ocr_text is not None and "paspor dipegang agen" in ad.ocr_text
        assert ad.ocr_confidence is not None and ad.ocr_confidence > 0.8
        assert ad.ocr_engine is not None and ad.ocr_engine.startswith("tesseract")
        # The image is evidence of this ad: linked, stored byte for byte with its type, intact.
        linked = session.scalars(select(Snapshot).join(AdSnapshot, AdSnapshot.snapshot_id == Snapshot.id)
                                 .where(AdSnapshot.ad_id == ad.id).order_by(Snapshot.id)).all()
        assert [s.url.rsplit("/", 1)[-1] for s in linked] == [CHANNEL, "poster.png"]
        image = linked[1]
        assert snapshot_body(image) == images["/img/poster.png"] and image.sha256 == sha256_hex(snapshot_body(image))
        assert image.headers["content-type"] == "image/png"
        # Scored from the poster: every indicator quotes the poster's words at its offsets in the full text.
        score = session.scalars(select(ScoreRow).where(ScoreRow.ad_id == ad.id)).one()
        full_text = ad_text(ad).full_text
        assert full_text.startswith(POSTER_HEADING)
        assert score.risk >= 0.5 and score.p_trafficking > score.p_scam
        names = {hit["name"] for hit in score.indicators}
        assert {"visit_visa", "documents_held", "high_risk_destination"} <= names
        poster_start = full_text.index("\n") + 1
        for hit in score.indicators:
            assert hit["start"] >= poster_start and full_text[hit["start"]:hit["end"]] == hit["text"]
        entry = session.get(QueueEntry, ad.id)
        assert entry is not None and entry.in_queue and entry.kind == "trafficking"
        plain = session.scalars(select(Ad).where(Ad.source_ad_id == f"{CHANNEL}/1")).one()
        assert plain.ocr_text is None and session.get(QueueEntry, plain.id) is None


def test_bad_images_are_kept_as_problems_and_a_captioned_post_is_still_stored(
        store: Store, server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_images(server)
    serve_photo_channel(server, CHANNEL, [
        PhotoPost(1, "Loker admin gudang Cikarang, kirim CV ke hrd@example.co.id", ("/img/corrupt.jpg",)),
        PhotoPost(2, "", ("/img/bomb.png",)),
        PhotoPost(3, "Loker kurir Bekasi", ("/img/page.png",)),
    ])
    name = add_channel(store)

    summary = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert summary.status == "partial" and summary.new_ads == 2
    with store.session_factory() as session:
        stored = {ad.source_ad_id: ad for ad in session.scalars(select(Ad))}
        assert sorted(stored) == [f"{CHANNEL}/1", f"{CHANNEL}/3"]
        assert all(ad.ocr_text is None for ad in stored.values())
        problems = {(s.url.rsplit("/", 1)[-1], e.parser, e.reason.split(": ")[2] if e.parser == "ocr" else e.reason)
                    for e, s in session.execute(select(ParseError, Snapshot)
                                                .join(Snapshot, Snapshot.id == ParseError.snapshot_id))}
        assert problems == {
            ("corrupt.jpg", "ocr", "image refused (corrupt)"),
            ("bomb.png", "ocr", "image refused (too_many_pixels)"),
            ("page.png", "ocr", "image refused (not_an_image)"),
            (CHANNEL, "telegram", f"post '{CHANNEL}/2': no text; not stored"),
        }
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 4  # the page and every image


def test_a_poster_is_read_once_and_its_ad_is_not_scored_again(
        store: Store, settings: Settings, server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_images(server)
    serve_photo_channel(server, CHANNEL, [PhotoPost(1, "", ("/img/poster.png",))])
    name = add_channel(store)
    first = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})
    process_new_ads(store.session_factory, settings, first)

    second = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert (first.new_ads, second.new_ads, second.updated_ads, second.unchanged_ads) == (1, 0, 0, 1)
    assert (first.images, second.images) == (1, 0) and len(server.requests_to("/img/poster.png")) == 1
    assert process_new_ads(store.session_factory, settings, second) is None
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ScoreRow)) == 1
