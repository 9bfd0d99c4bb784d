"""An ad's poster text (OCR) in the store: apart from its caption, in its content hash, in the text the model
reads; migration 0006 on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from scraper.records import JobPost, PosterText
from service.settings import Settings
from service.store.ads import POSTER_HEADING, _find, ad_text, content_hash, upsert_job_post
from service.store.engine import make_engine
from service.store.migrate import alembic_config, current_revision, head_revision, upgrade
from service.store.session import Store, open_store
from service.store.tables import Ad

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
POSTER = PosterText("LOKER KAMBOJA\nvisa turis, paspor dipegang agen", 0.93, "tesseract 5.3.0")


def store_post(store: Store, post: JobPost) -> tuple[str, Ad]:
    with store.session_factory() as session, session.begin():
        outcome = upsert_job_post(session, post, None, T0)
        ad = _find(session, post.source, post.source_ad_id)
        assert ad is not None
        session.expunge(ad)
        return outcome, ad


def test_a_poster_is_kept_apart_from_the_caption_and_read_after_it(store: Store) -> None:
    outcome, ad = store_post(store, JobPost("telegram", "c/1", "Info lengkap di gambar", poster=POSTER))

    assert outcome == "new" and ad.text == "Info lengkap di gambar"
    assert (ad.ocr_text, ad.ocr_confidence, ad.ocr_engine) == (POSTER.text, 0.93, "tesseract 5.3.0")
    full = ad_text(ad).full_text
    assert full == f"Info lengkap di gambar\n\n{POSTER_HEADING}\n{POSTER.text}"
    assert ad.content_hash == content_hash("", "Info lengkap di gambar", POSTER.text)


def test_a_re_seen_post_keeps_its_poster_and_a_newly_read_poster_changes_the_content(store: Store) -> None:
    store_post(store, JobPost("telegram", "c/2", "", poster=POSTER))

    again, ad = store_post(store, JobPost("telegram", "c/2", ""))  # a later run does not read the image again
    assert again == "unchanged" and ad.ocr_text == POSTER.text

    edited, ad = store_post(store, JobPost("telegram", "c/2", "Lowongan, DM"))
    assert edited == "updated" and ad.text == "Lowongan, DM" and ad.ocr_text == POSTER.text

    new_outcome, plain = store_post(store, JobPost("telegram", "c/3", "Loker kasir"))
    read_outcome, read = store_post(store, JobPost("telegram", "c/3", "Loker kasir", poster=POSTER))
    assert (new_outcome, plain.ocr_text, read_outcome) == ("new", None, "updated")
    assert read.content_hash != plain.content_hash


def test_ads_without_a_poster_keep_their_old_content_hash() -> None:
    assert content_hash("Loker", "gaji besar", None) == content_hash("Loker", "gaji besar", "  ")
    assert content_hash("Loker", "gaji besar") != content_hash("Loker", "gaji besar", "paspor dipegang")


def test_migration_0006_adds_the_poster_columns_to_an_older_store_and_can_be_taken_down(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO ads (source, source_ad_id, title, text, contact_handles, extra, content_hash, first_seen_at, "
            "last_seen_at) VALUES ('telegram', 'old-1', '', 'Loker kasir', '[]', '{}', :h, :t, :t)"),
            {"h": content_hash("", "Loker kasir"), "t": T0})
    engine.dispose()
    store = open_store(settings)
    try:
        assert current_revision(store.engine) == head_revision()
        outcome, ad = store_post(store, JobPost("telegram", "old-1", "Loker kasir"))
        assert outcome == "unchanged" and ad.ocr_text is None  # the old ad's hash still holds
        config = alembic_config()
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
        assert not {"ocr_text", "ocr_confidence", "ocr_engine"} & {
            column["name"] for column in sa.inspect(store.engine).get_columns("ads")}
        upgrade(store.engine)
        with store.session_factory() as session:
            assert session.scalars(select(Ad.text)).all() == ["Loker kasir"]
    finally:
        store.dispose()
