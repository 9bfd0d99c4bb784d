"""`lokerwatch import images DIR` through the real console entry point."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from service.settings import Settings
from service.store.session import open_store
from service.store.tables import Ad, QueueEntry
from tests.scraper.poster_pages import CORRUPT_JPEG, poster_png
from tests.service.cli.test_cli_usage import run_cli


def test_import_images_reads_scores_and_queues_the_posters_and_reports_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "poster.png").write_bytes(poster_png())
    (folder / "cut-off.jpg").write_bytes(CORRUPT_JPEG)

    result = run_cli(tmp_path, "import", "images", str(folder))

    assert result.returncode == 0, result.stderr
    assert "import:images: partial; 2 pages, 1 new ads" in result.stdout and "2 images read" in result.stdout
    assert "cut-off.jpg: image refused (corrupt)" in result.stderr
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'cli.db'}", dev_mode=True,
                                _env_file=None))  # type: ignore[call-arg]
    try:
        with store.session_factory() as session:
            (ad,) = session.scalars(select(Ad)).all()
            assert ad.ocr_text is not None and "Kamboja" in ad.ocr_text
            entry = session.get(QueueEntry, ad.id)
            assert entry is not None and entry.in_queue
    finally:
        store.dispose()


def test_a_folder_that_is_not_there_or_empty_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for folder, words in (("missing", "is not a folder"), ("empty", "holds no files")):
        result = run_cli(tmp_path, "import", "images", str(tmp_path / folder))
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ") and words in lines[0]
