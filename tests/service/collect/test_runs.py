"""Whole runs: local server with faults -> fetcher -> snapshots -> parser -> ads, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scraper.fetcher import FetchPolicy
from scraper.records import sha256_hex
from service.collect.runs import default_source_name, run_source
from service.collect.source_rows import ensure_source
from service.errors import LokerwatchError
from service.store.evidence import snapshot_body
from service.store.session import Store
from service.store.tables import Ad, AdSnapshot, ParseError, ScrapeRun, Snapshot
from service.store.tables import Source as SourceRow
from tests.scraper.channel_pages import ChannelPost, channel_page, serve_channel
from tests.scraper.fault_server import FaultServer, Reply

CHANNEL = "lokerjkt"


def ads_in(store: Store) -> dict[str, str]:
    with store.session_factory() as session:
        return {ad.source_ad_id: ad.text for ad in session.scalars(select(Ad))}


def expected_ads(newest: int) -> dict[str, str]:
    return {f"{CHANNEL}/{i}": ChannelPost(CHANNEL, i).text for i in range(1, newest + 1)}


def add_channel(store: Store) -> str:
    name = default_source_name("telegram", {"channel": CHANNEL})
    ensure_source(store.session_factory, name, "telegram", {"channel": CHANNEL})
    return name


def assert_every_ad_traces_to_intact_evidence(store: Store) -> None:
    with store.session_factory() as session:
        for ad in session.scalars(select(Ad)):
            links = list(session.scalars(select(AdSnapshot).where(AdSnapshot.ad_id == ad.id)))
            assert links, f"ad {ad.source_ad_id} has no snapshot"
            for link in links:
                snapshot = session.get(Snapshot, link.snapshot_id)
                assert snapshot is not None
                body = snapshot_body(snapshot)
                assert sha256_hex(body) == snapshot.sha256
                assert f'data-post="{ad.source_ad_id}"'.encode() in body


def test_channel_run_through_faults_stores_every_ad_once(store: Store, server: FaultServer,
                                                         fast_policy: FetchPolicy) -> None:
    pages = serve_channel(server, CHANNEL, newest=30)
    # The newest page fails twice, the second is rate limited once, the third is cut off once and then
    # served with a charset header that lies about its UTF-8 bytes.
    server.route(f"/s/{CHANNEL}", Reply(500, b"err"), Reply(502, b"err"), Reply(200, pages[f"/s/{CHANNEL}"]))
    server.route(f"/s/{CHANNEL}?before=21", Reply(429, b"", {"Retry-After": "0"}),
                 Reply(200, pages[f"/s/{CHANNEL}?before=21"]))
    server.route(f"/s/{CHANNEL}?before=11", Reply(200, pages[f"/s/{CHANNEL}?before=11"], truncate_to=500),
                 Reply(200, pages[f"/s/{CHANNEL}?before=11"], {"Content-Type": "text/html; charset=iso-8859-1"}))
    name = add_channel(store)

    summary = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert summary.status == "ok", summary.messages
    assert (summary.pages, summary.new_ads, summary.errors) == (3, 30, 0)
    assert ads_in(store) == expected_ads(30)
    assert_every_ad_traces_to_intact_evidence(store)
    with store.session_factory() as session:
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).one()
        assert row.cursor["last_id"] == 30
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 3


def test_next_run_stops_at_the_newest_stored_post(store: Store, server: FaultServer,
                                                  fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=30)
    name = add_channel(store)
    run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})
    serve_channel(server, CHANNEL, newest=35)  # five new posts since

    summary = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert (summary.pages, summary.new_ads) == (1, 5)  # newest page reaches post 30: no need to go further
    assert ads_in(store) == expected_ads(35)
    assert server.requests_to(f"/s/{CHANNEL}?before=21")[1:] == []


def test_unchanged_channel_is_asked_conditionally_and_costs_no_snapshot(store: Store, server: FaultServer,
                                                                        fast_policy: FetchPolicy) -> None:
    server.route(f"/s/{CHANNEL}", Reply(200, channel_page(CHANNEL, [1, 2, 3]), etag='"p1"'))
    name = add_channel(store)
    run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    again = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert (again.pages, again.not_modified, again.new_ads) == (0, 1, 0)
    assert server.requests_to(f"/s/{CHANNEL}")[-1].headers.get("if-none-match") == '"p1"'


def test_run_killed_halfway_and_restarted_ends_with_the_same_ads(store: Store, server: FaultServer,
                                                                 fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=30)
    name = add_channel(store)
    pages_done = 0

    def die_after_two_pages(step: int) -> None:
        nonlocal pages_done
        pages_done += step
        if pages_done == 2:
            raise KeyboardInterrupt  # what Ctrl-C or a dying worker does in the middle of a run

    with pytest.raises(KeyboardInterrupt):
        run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url}, die_after_two_pages)
    assert 0 < len(ads_in(store)) < 30
    with store.session_factory() as session:
        assert session.scalars(select(SourceRow.cursor).where(SourceRow.name == name)).one() == {}

    summary = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert summary.status == "ok"
    assert ads_in(store) == expected_ads(30)
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Ad)) == 30
        statuses = sorted(session.scalars(select(ScrapeRun.status)))
        assert statuses == ["failed", "ok"]
    assert_every_ad_traces_to_intact_evidence(store)


def test_failed_middle_page_keeps_the_cursor_so_no_ad_is_skipped_later(store: Store, server: FaultServer,
                                                                       fast_policy: FetchPolicy) -> None:
    pages = serve_channel(server, CHANNEL, newest=30)
    server.route(f"/s/{CHANNEL}?before=21", Reply(500, b"down"))
    name = add_channel(store)

    first = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})
    assert first.status == "partial" and len(ads_in(store)) == 10
    server.route(f"/s/{CHANNEL}?before=21", Reply(200, pages[f"/s/{CHANNEL}?before=21"]))
    second = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert second.status == "ok"
    assert ads_in(store) == expected_ads(30)


def test_page_that_does_not_parse_is_kept_with_the_reason_and_the_run_goes_on(
        store: Store, server: FaultServer, fast_policy: FetchPolicy, fixtures_dir: Path) -> None:
    page0 = (fixtures_dir / "olx/search_lowongan_page0.json").read_bytes()
    broken = b"<html><body>Terjadi kesalahan. Coba lagi nanti.</body></html>"
    search = "/api/relevance/v4/search?query=admin&page={}&sorting=desc-creation"
    server.route(search.format(0), Reply(200, page0, {"Content-Type": "application/json"}))
    server.route(search.format(1), Reply(200, broken))
    ensure_source(store.session_factory, "olx:admin", "olx", {"query": "admin"})

    summary = run_source(store.session_factory, "olx:admin", fast_policy, {"base_url": server.base_url})

    assert summary.status == "partial" and summary.new_ads == 3 and summary.errors == 1
    with store.session_factory() as session:
        (error,) = session.scalars(select(ParseError))
        assert "not JSON" in error.reason and error.parser == "olx"
        snapshot = session.get(Snapshot, error.snapshot_id)
        assert snapshot is not None and snapshot_body(snapshot) == broken
        cursor = session.scalars(select(SourceRow.cursor).where(SourceRow.name == "olx:admin")).one()
        # The page that did not parse is where the next run goes on, down to where this one started from.
        assert cursor["resume"] == [{"floor": {}, "pages": [server.url(search.format(1))]}]


def test_source_that_keeps_answering_429_is_paused_and_reported(store: Store, server: FaultServer,
                                                                fast_policy: FetchPolicy) -> None:
    server.route(f"/s/{CHANNEL}", Reply(429, b"", {"Retry-After": "0"}))
    name = add_channel(store)

    summary = run_source(store.session_factory, name, replace(fast_policy, max_retries=2),
                         {"base_url": server.base_url})

    assert summary.status == "paused"
    assert any("paused" in m for m in summary.messages)
    assert len(server.requests_to(f"/s/{CHANNEL}")) == 3
    with store.session_factory() as session:
        run = session.scalars(select(ScrapeRun)).one()
        assert run.status == "paused" and run.message and "paused" in run.message


def test_robots_disallow_stops_the_run_without_fetching_or_storing(store: Store, server: FaultServer,
                                                                  fast_policy: FetchPolicy) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /s/\n"))
    serve_channel(server, CHANNEL, newest=5)
    name = add_channel(store)

    summary = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert summary.errors == 1 and "robots.txt" in summary.messages[0]
    assert server.requests_to(f"/s/{CHANNEL}") == []
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 0


def serve_olx(server: FaultServer, fixtures_dir: Path) -> str:
    search = "/api/relevance/v4/search?query=admin&page={}&sorting=desc-creation"
    for page in (0, 1):
        body = (fixtures_dir / f"olx/search_lowongan_page{page}.json").read_bytes()
        server.route(search.format(page), Reply(200, body, {"Content-Type": "application/json"}))
    return search


def test_olx_search_pages_until_known_ads_and_fetches_details_of_new_ones(
        store: Store, server: FaultServer, fast_policy: FetchPolicy, fixtures_dir: Path) -> None:
    search = serve_olx(server, fixtures_dir)
    server.route("/item/loker-kerja-di-jepang-tanpa-biaya-iid-902345560",
                 Reply(200, (fixtures_dir / "olx/item_loker_jepang_iid_902345560.html").read_bytes()))
    ensure_source(store.session_factory, "olx:admin", "olx", {"query": "admin"})

    first = run_source(store.session_factory, "olx:admin", fast_policy,
                       {"base_url": server.base_url, "details": True})

    # 2 search pages + 5 item pages (4 of them 404: kept as evidence and reported, ads still stored)
    assert first.new_ads == 5 and first.pages == 7
    with store.session_factory() as session:
        ad = session.scalars(select(Ad).where(Ad.source_ad_id == "902345560")).one()
        evidence = [session.get(Snapshot, link.snapshot_id) for link in
                    session.scalars(select(AdSnapshot).where(AdSnapshot.ad_id == ad.id))]
        # seen in the search JSON and on its own item page: both pages are its evidence
        assert sorted(s.final_url.split("/")[3] for s in evidence if s) == ["api", "item"]
        assert ad.salary_text == "Rp 25.000.000 – Rp 30.000.000 / Bulanan"
        cursor = session.scalars(select(SourceRow.cursor).where(SourceRow.name == "olx:admin")).one()
    # A missing item page is reported, but the listing walk was complete: the cursor moves on.
    assert first.status == "partial" and first.errors == 4
    assert cursor["newest_created_at"] == "2023-11-20T09:12:44+07:00"

    second = run_source(store.session_factory, "olx:admin", fast_policy, {"base_url": server.base_url})
    assert second.status == "ok" and second.new_ads == 0
    assert second.pages == 1  # nothing newer than the cursor on page 0: no need for page 1
    assert len(server.requests_to(search.format(1))) == 1


def test_oversized_page_is_refused_and_the_run_keeps_what_it_had(
        store: Store, server: FaultServer, fast_policy: FetchPolicy, fixtures_dir: Path) -> None:
    search = serve_olx(server, fixtures_dir)
    server.route(search.format(1), Reply(200, b"[" + b" " * 300_000 + b"]", chunked_without_length=True))
    ensure_source(store.session_factory, "olx:admin", "olx", {"query": "admin"})

    summary = run_source(store.session_factory, "olx:admin", fast_policy, {"base_url": server.base_url})

    assert summary.status == "partial" and summary.new_ads == 3
    assert any("aborted" in m for m in summary.messages)
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 1


def cursor_of(store: Store, name: str) -> dict:
    with store.session_factory() as session:
        return dict(session.scalars(select(SourceRow.cursor).where(SourceRow.name == name)).one())


def test_runs_bounded_by_max_pages_resume_where_the_last_one_stopped_until_no_post_is_missing(
        store: Store, server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=100, per_page=20)
    name = add_channel(store)
    bounded = {"base_url": server.base_url, "max_pages": 3}

    first = run_source(store.session_factory, name, fast_policy, bounded)
    stored_after_first = len(ads_in(store))
    serve_channel(server, CHANNEL, newest=110, per_page=20)  # ten posts arrive between runs
    second = run_source(store.session_factory, name, fast_policy, bounded)
    third = run_source(store.session_factory, name, fast_policy, bounded)

    assert ads_in(store) == expected_ads(110)
    assert (stored_after_first, first.new_ads, second.new_ads, third.new_ads) == (60, 60, 50, 0)
    assert first.frontier == [f"{server.base_url}/s/{CHANNEL}?before=41"]
    assert second.frontier == third.frontier == []
    assert cursor_of(store, name) == {"last_id": 110}  # at the newest, nothing left to resume
    # The second run stopped at post 100 from the top and went on from post 40 down: no page fetched twice.
    assert len(server.requests_to(f"/s/{CHANNEL}?before=81")) == 1
    assert len(server.requests_to(f"/s/{CHANNEL}?before=41")) == 1
    assert len(server.requests_to(f"/s/{CHANNEL}?before=21")) == 1


def test_page_cut_short_without_a_length_is_fetched_again_and_no_post_is_lost(
        store: Store, server: FaultServer, fast_policy: FetchPolicy) -> None:
    pages = serve_channel(server, CHANNEL, newest=60, per_page=20)
    middle = f"/s/{CHANNEL}?before=41"  # posts 21..40, oldest first
    body = pages[middle]
    cut = body.index(f'data-post="{CHANNEL}/33"'.encode()) + 9  # mid-tag: posts 33..40 would be lost
    # Close-delimited (no Content-Length): only the document itself can tell it was cut.
    server.route(middle, Reply(200, body, truncate_to=cut, chunked_without_length=True),
                 Reply(200, body, chunked_without_length=True))
    name = add_channel(store)

    summary = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert ads_in(store) == expected_ads(60)
    assert (summary.status, summary.pages, summary.new_ads) == ("ok", 3, 60)
    assert len(server.requests_to(middle)) == 2
    with store.session_factory() as session:
        assert all(snapshot_body(s).rstrip().endswith(b"</html>") for s in session.scalars(select(Snapshot)))


def test_page_cut_short_on_every_try_is_never_parsed_and_the_next_run_fetches_it(
        store: Store, server: FaultServer, fast_policy: FetchPolicy) -> None:
    pages = serve_channel(server, CHANNEL, newest=60, per_page=20)
    middle = f"/s/{CHANNEL}?before=41"
    cut = pages[middle].index(f'data-post="{CHANNEL}/33"'.encode()) + 9
    server.route(middle, Reply(200, pages[middle], truncate_to=cut, chunked_without_length=True))
    name = add_channel(store)

    first = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})

    assert first.status == "partial" and any("incomplete" in m for m in first.messages), first.messages
    assert ads_in(store) == {k: v for k, v in expected_ads(60).items() if int(k.split("/")[1]) > 40}
    kept = cursor_of(store, name)
    # Newer posts are stored and the position says so, but the cut page is kept to walk again from.
    assert kept["last_id"] == 60 and [url for gap in kept["resume"] for url in gap["pages"]] == [server.url(middle)]
    server.route(middle, Reply(200, pages[middle], chunked_without_length=True))
    second = run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url})
    assert second.status == "ok" and ads_in(store) == expected_ads(60)
    assert cursor_of(store, name) == {"last_id": 60}


@pytest.mark.parametrize("max_pages", [0, -2])
def test_a_page_limit_below_one_is_refused_before_the_run_starts(store: Store, server: FaultServer,
                                                                 fast_policy: FetchPolicy, max_pages: int) -> None:
    name = add_channel(store)
    with pytest.raises(LokerwatchError, match=f"max_pages must be 1 or more, not {max_pages}"):
        run_source(store.session_factory, name, fast_policy, {"base_url": server.base_url, "max_pages": max_pages})
    with store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ScrapeRun)) == 0
    assert server.log == []
