"""`lokerwatch import images DIR`: posters an analyst saved by hand, one ad per image, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from service.collect.image_import import SOURCE_NAME, import_images
from service.errors import InputFileError
from service.scoring.pipeline import process_new_ads
from service.settings import Settings
from service.store.session import Store
from service.store.tables import Ad, AdSnapshot, ParseError, QueueEntry, Snapshot
from tests.scraper.poster_pages import CORRUPT_JPEG, HTML_AS_IMAGE, poster_png
from tests.scraper.test_images import png_bomb


def blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (255, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def saved_posters(tmp_path: Path) -> Path:
    folder = tmp_path / "posters"
    folder.mkdir()
    (folder / "ig-loker-kamboja.png").write_bytes(poster_png())
    (folder / "same-poster-forwarded.png").write_bytes(poster_png())  # the same picture under another name
    (folder / "cut-off.jpg").write_bytes(CORRUPT_JPEG)
    (folder / "bomb.png").write_bytes(png_bomb(20_000, 20_000))
    (folder / "saved-page.png").write_bytes(HTML_AS_IMAGE)
    (folder / "blank.png").write_bytes(blank_png())
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return folder


def test_each_readable_poster_becomes_one_ad_and_bad_files_are_problems(
        store: Store, settings: Settings, saved_posters: Path) -> None:
    summary = import_images(store.session_factory, saved_posters)

    assert (summary.status, summary.images, summary.new_ads, summary.unchanged_ads) == ("partial", 6, 1, 1)
    assert summary.errors == 4
    with store.session_factory() as session:
        (ad,) = session.scalars(select(Ad)).all()
        assert (ad.source, ad.text, ad.extra["file_name"]) == (SOURCE_NAME, "", "ig-loker-kamboja.png")
        assert ad.ocr_text is not None and "visa turis" in ad.ocr_text and ad.contact_handles == ["0812-3456-7890"]
        linked = session.scalars(select(Snapshot.url).join(AdSnapshot, AdSnapshot.snapshot_id == Snapshot.id)
                                 .where(AdSnapshot.ad_id == ad.id)).all()
        assert sorted(url.rsplit("/", 1)[-1] for url in linked) == ["ig-loker-kamboja.png", "same-poster-forwarded.png"]
        reasons = {row.reason.split(": ", 1)[0]: row.reason for row in session.scalars(select(ParseError))}
        assert "image refused (corrupt)" in reasons["cut-off.jpg"]
        assert "image refused (too_many_pixels)" in reasons["bomb.png"]
        assert "image refused (not_an_image)" in reasons["saved-page.png"]
        assert "no text read" in reasons["blank.png"]
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 6  # every file kept, hidden ones not
    processed = process_new_ads(store.session_factory, settings, summary)
    assert processed is not None and processed.scored == 1
    with store.session_factory() as session:
        entry = session.get(QueueEntry, ad.id)
        assert entry is not None and entry.in_queue and entry.source == SOURCE_NAME


def test_importing_the_folder_again_stores_nothing_twice(store: Store, saved_posters: Path) -> None:
    import_images(store.session_factory, saved_posters)
    again = import_images(store.session_factory, saved_posters)

    assert (again.new_ads, again.unchanged_ads) == (0, 2)
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Ad)) == 1
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 6


def test_a_wrong_folder_is_a_user_mistake(store: Store, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "poster.png").write_bytes(b"x")
    for wrong, words in ((tmp_path / "missing", "is not a folder"), (tmp_path / "poster.png", "is not a folder"),
                         (tmp_path / "empty", "holds no files")):
        with pytest.raises(InputFileError, match=words):
            import_images(store.session_factory, wrong)
