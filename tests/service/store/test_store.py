"""The store: migrations, idempotent upserts, evidence that re-hashes, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, inspect, select, update

from scraper.records import JobPost, RawPage
from service.store.ads import content_hash, upsert_job_post
from service.store.evidence import find_corrupt_snapshots, snapshot_body, snapshot_is_intact, store_snapshot
from service.store.migrate import current_revision, head_revision
from service.store.session import Store
from service.store.tables import Ad, AdSnapshot, Snapshot

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def _page(body: bytes, url: str = "https://t.me/s/lokerkalbar") -> RawPage:
    return RawPage(url=url, final_url=url, status=200, headers={"Content-Type": "text/html", "Set-Cookie": "x"},
                   body=body, fetched_at=T0, fetcher_version="test/1")


def _post(text: str = "Dicari admin online ke Kamboja", ad_id: str = "lokerkalbar/1") -> JobPost:
    return JobPost(source="telegram", source_ad_id=ad_id, text=text, title="Lowongan")


def test_migrations_create_every_table_and_reach_head(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"sources", "snapshots", "parse_errors", "scrape_runs", "ads", "ad_snapshots", "scores",
            "reviews", "audit_log", "app_state", "alembic_version"} <= tables
    assert current_revision(store.engine) == head_revision()


def test_snapshot_bytes_rehash_to_stored_sha256(store: Store) -> None:
    body = "<html>Gaji 15 jt, tiket ditanggung \u2603</html>".encode() + bytes(range(256))
    with store.session_factory() as session, session.begin():
        snapshot_id = store_snapshot(session, _page(body)).id
    with store.session_factory() as session:
        snapshot = session.get(Snapshot, snapshot_id)
        assert snapshot is not None
        assert snapshot_body(snapshot) == body
        assert snapshot_is_intact(snapshot)
        assert snapshot.size_bytes == len(body)
        assert "set-cookie" not in snapshot.headers and snapshot.headers["content-type"] == "text/html"


def test_altered_snapshot_bytes_are_detected(store: Store) -> None:
    import zlib

    with store.session_factory() as session, session.begin():
        snapshot_id = store_snapshot(session, _page(b"original evidence")).id
    with store.session_factory() as session, session.begin():
        session.execute(update(Snapshot).where(Snapshot.id == snapshot_id)
                        .values(body_zlib=zlib.compress(b"tampered evidence")))
    with store.session_factory() as session:
        assert find_corrupt_snapshots(session) == [snapshot_id]


def test_reseen_ad_updates_last_seen_and_never_duplicates(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        first = store_snapshot(session, _page(b"page one")).id
        assert upsert_job_post(session, _post(), first, T0) == "new"
    with store.session_factory() as session, session.begin():
        second = store_snapshot(session, _page(b"page two")).id
        assert upsert_job_post(session, _post(), second, T0 + timedelta(hours=2)) == "unchanged"
        assert upsert_job_post(session, _post(), second, T0 + timedelta(hours=2)) == "unchanged"
    with store.session_factory() as session:
        ads = list(session.scalars(select(Ad)))
        assert len(ads) == 1
        assert ads[0].first_seen_at == T0 and ads[0].last_seen_at == T0 + timedelta(hours=2)
        links = session.scalars(select(AdSnapshot.snapshot_id).order_by(AdSnapshot.snapshot_id)).all()
        assert links == [first, second]


def test_changed_text_updates_the_ad_and_its_content_hash(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        upsert_job_post(session, _post("versi pertama"), None, T0)
    with store.session_factory() as session, session.begin():
        assert upsert_job_post(session, _post("versi kedua"), None, T0 + timedelta(days=1)) == "updated"
    with store.session_factory() as session:
        ad = session.scalars(select(Ad)).one()
        assert ad.text == "versi kedua"
        assert ad.content_hash == content_hash("Lowongan", "versi kedua")
        assert session.scalar(select(func.count()).select_from(Ad)) == 1


def test_content_hash_ignores_whitespace_and_unicode_form() -> None:
    assert content_hash("", "Gaji  besar\n\nKAMBOJA") == content_hash("", "gaji besar kamboja")
    assert content_hash("", "ｇａｊｉ") == content_hash("", "gaji")
    assert content_hash("", "gaji besar") != content_hash("", "gaji kecil")


def test_datetimes_come_back_timezone_aware(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        upsert_job_post(session, _post(), None, T0)
    with store.session_factory() as session:
        ad = session.scalars(select(Ad)).one()
        assert ad.first_seen_at.tzinfo is not None and ad.first_seen_at == T0


def test_richer_page_with_same_text_fills_missing_metadata(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        upsert_job_post(session, _post(), None, T0)
    richer = _post()
    richer.author, richer.location, richer.contact_handles = "Bang Rudi", "Pontianak", ["+6281277881201"]
    with store.session_factory() as session, session.begin():
        assert upsert_job_post(session, richer, None, T0 + timedelta(hours=1)) == "updated"
        assert upsert_job_post(session, richer, None, T0 + timedelta(hours=2)) == "unchanged"
    with store.session_factory() as session:
        ad = session.scalars(select(Ad)).one()
        assert (ad.author, ad.location, ad.contact_handles) == ("Bang Rudi", "Pontianak", ["+6281277881201"])
