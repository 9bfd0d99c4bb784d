"""Snapshots exported as WARC open in warcio and hold every snapshot's exact bytes and URL."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from scraper.fetcher import FetchPolicy
from scraper.records import sha256_hex
from service.collect.imports import import_file
from service.collect.runs import default_source_name, run_source
from service.collect.source_rows import ensure_source
from service.collect.warc_export import export_warc
from service.errors import LokerwatchError
from service.store.evidence import snapshot_body
from service.store.session import Store
from service.store.tables import Snapshot
from tests.scraper.channel_pages import serve_channel
from tests.scraper.fault_server import FaultServer


def test_warc_holds_every_snapshot_with_its_bytes_and_url(store: Store, server: FaultServer,
                                                          fast_policy: FetchPolicy, fixtures_dir: Path,
                                                          tmp_path: Path) -> None:
    serve_channel(server, "lokerjkt", newest=25)
    name = default_source_name("telegram", {"channel": "lokerjkt"})
    ensure_source(store.session_factory, name, "telegram", {"channel": "lokerjkt"})
    run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})
    import_file(store.session_factory, "facebook", fixtures_dir / "facebook/your_posts_in_groups.json")
    with store.session_factory() as session:
        stored = {s.id: (s.final_url, snapshot_body(s), s.sha256) for s in session.scalars(select(Snapshot))}
    assert len(stored) == 4

    output = tmp_path / "evidence.warc.gz"
    manifest = export_warc(store.session_factory, output)

    found: dict[int, tuple[str, bytes, str]] = {}
    with output.open("rb") as handle:
        for record in ArchiveIterator(handle):
            snapshot_id = int(record.rec_headers.get_header("X-Lokerwatch-Snapshot-Id"))
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response":
                status = record.http_headers.get_statuscode()
            else:  # an imported file is a `resource`: no HTTP exchange ever happened
                assert record.rec_type == "resource" and url.startswith("file://")
                status = "200"
            found[snapshot_id] = (url, record.content_stream().read(), status)
    assert set(found) == set(stored)
    for snapshot_id, (url, body, sha) in stored.items():
        assert found[snapshot_id][0] == url
        assert found[snapshot_id][1] == body and sha256_hex(found[snapshot_id][1]) == sha
        assert found[snapshot_id][2] == "200"
    lines = [json.loads(line) for line in Path(f"{output}.manifest.jsonl").read_text().splitlines()]
    assert [entry["sha256"] for entry in lines] == [stored[e.snapshot_id][2] for e in manifest]


def test_export_refusing_an_altered_snapshot_writes_nothing_and_names_the_snapshot(store: Store, fixtures_dir: Path,
                                                                                  tmp_path: Path) -> None:
    for chat in ("WhatsApp Chat - Info Loker Medan.txt", "Chat WhatsApp dengan INFO LOKER JABODETABEK.txt"):
        import_file(store.session_factory, "whatsapp", fixtures_dir / "whatsapp" / chat)
    with store.session_factory() as session, session.begin():
        altered = session.scalars(select(Snapshot).order_by(Snapshot.id.desc())).first()
        assert altered is not None
        altered.body_zlib = zlib.compress(b"an altered chat")
        altered_id = altered.id
    folder = tmp_path / "export"
    folder.mkdir()
    output = folder / "evidence.warc.gz"

    with pytest.raises(LokerwatchError, match=f"^snapshot {altered_id} no longer matches its SHA-256"):
        export_warc(store.session_factory, output)

    assert list(folder.iterdir()) == []
    manifest = export_warc(store.session_factory, output, snapshot_ids=[altered_id - 1])  # the intact one still goes
    assert [entry.snapshot_id for entry in manifest] == [altered_id - 1]
    assert sorted(p.name for p in folder.iterdir()) == ["evidence.warc.gz", "evidence.warc.gz.manifest.jsonl"]
