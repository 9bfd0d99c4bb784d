"""The shared fetcher against a real local server that injects the faults the web throws at crawlers."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import replace

import pytest

from scraper.errors import BodyTooLarge, FetchError, RobotsDisallowed, SourcePaused, TooManyRedirects
from scraper.fetcher import Fetcher, FetchPolicy, Validators, user_agent
from scraper.htmltext import soup_of
from tests.scraper.fault_server import FaultServer, Reply

PAGE = b"<html><head><title>Lowongan</title></head><body><p>Gaji Rp 5 juta</p></body></html>"


def fetch(policy: FetchPolicy, url: str, validators: Validators | None = None) -> tuple:
    async def go() -> tuple:
        async with Fetcher(policy) as fetcher:
            page = await fetcher.fetch(url, validators)
            return page, fetcher.stats, fetcher.budget
    return asyncio.run(go())


def test_page_comes_back_with_hash_status_and_user_agent_naming_lokerwatch(server: FaultServer,
                                                                           fast_policy: FetchPolicy) -> None:
    server.route("/job", Reply(200, PAGE))
    policy = replace(fast_policy, user_agent=user_agent("https://example.org/lokerwatch-contact"))
    page, stats, _ = fetch(policy, server.url("/job"))
    assert page.status == 200 and page.body == PAGE
    assert len(page.sha256) == 64
    agent = server.requests_to("/job")[0].headers["user-agent"]
    assert "lokerwatch" in agent and "https://example.org/lokerwatch-contact" in agent
    assert stats.requests == 2  # robots.txt, then the page


def test_server_errors_are_retried_with_backoff_until_success(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/flaky", Reply(500, b"oops"), Reply(503, b"busy"), Reply(200, PAGE))
    page, stats, budget = fetch(fast_policy, server.url("/flaky"))
    assert page.status == 200
    assert stats.retries == 2 and budget.spent == 2
    assert len(server.requests_to("/flaky")) == 3


def test_persistent_500_gives_up_after_max_retries(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/broken", Reply(500, b"oops"))
    with pytest.raises(FetchError, match="gave up after 3 retries"):
        fetch(fast_policy, server.url("/broken"))
    assert len(server.requests_to("/broken")) == 4


def test_retry_after_is_honoured(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/limited", Reply(429, b"slow down", {"Retry-After": "1"}), Reply(200, PAGE))
    page, _, _ = fetch(replace(fast_policy, retry_after_cap=5.0), server.url("/limited"))
    first, second = server.requests_to("/limited")
    assert page.status == 200
    assert second.at - first.at >= 0.95


def test_retry_after_is_capped(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/limited", Reply(429, b"", {"Retry-After": "3600"}), Reply(200, PAGE))
    started = time.monotonic()
    page, _, _ = fetch(replace(fast_policy, retry_after_cap=0.3), server.url("/limited"))
    assert page.status == 200
    assert time.monotonic() - started < 5


def test_source_that_keeps_answering_429_is_paused_not_hammered(server: FaultServer,
                                                                 fast_policy: FetchPolicy) -> None:
    server.route("/limited", Reply(429, b"", {"Retry-After": "0"}))
    with pytest.raises(SourcePaused):
        fetch(fast_policy, server.url("/limited"))
    assert len(server.requests_to("/limited")) == fast_policy.max_retries + 1


def test_retry_budget_is_shared_by_the_whole_run(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/a", Reply(500, b""), Reply(200, PAGE))
    server.route("/b", Reply(500, b""), Reply(500, b""), Reply(200, PAGE))
    policy = replace(fast_policy, retry_budget=2)

    async def go() -> None:
        async with Fetcher(policy) as fetcher:
            await fetcher.fetch(server.url("/a"))
            await fetcher.fetch(server.url("/b"))

    with pytest.raises(SourcePaused, match="retry budget of 2 spent"):
        asyncio.run(go())


def test_server_that_hangs_before_answering_times_out(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/hang", Reply(200, PAGE, delay_before_headers=3.0))
    policy = replace(fast_policy, max_retries=0, read_timeout=0.3, deadline=0.5)
    with pytest.raises(FetchError, match=r"timeout|deadline"):
        fetch(policy, server.url("/hang"))


def test_trickling_server_is_cut_off_by_the_overall_deadline(server: FaultServer, fast_policy: FetchPolicy) -> None:
    # Each byte arrives well within the read timeout, so only an overall deadline can stop this.
    server.route("/trickle", Reply(200, PAGE * 3, trickle_interval=0.05))
    policy = replace(fast_policy, max_retries=0, read_timeout=1.0, deadline=0.6)
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline"):
        fetch(policy, server.url("/trickle"))
    assert time.monotonic() - started < 4.0  # the whole trickle would take ~12 s


def test_truncated_body_is_retried_and_never_returned_as_complete(server: FaultServer,
                                                                   fast_policy: FetchPolicy) -> None:
    server.route("/cut", Reply(200, PAGE, truncate_to=20), Reply(200, PAGE))
    page, stats, _ = fetch(fast_policy, server.url("/cut"))
    assert page.body == PAGE
    assert stats.retries == 1


def test_close_delimited_body_cut_short_is_retried_and_never_returned_as_complete(server: FaultServer,
                                                                                  fast_policy: FetchPolicy) -> None:
    # No Content-Length: the server ends the body by closing, so only the document can say it is cut short.
    server.route("/cut", Reply(200, PAGE, truncate_to=40, chunked_without_length=True),
                 Reply(200, PAGE, chunked_without_length=True))
    page, stats, _ = fetch(fast_policy, server.url("/cut"))
    assert page.body == PAGE
    assert stats.retries == 1


@pytest.mark.parametrize(("body", "content_type"), [
    (PAGE, "text/html; charset=utf-8"),
    (b'{"data": [{"ad_id": "1", "title": "Admin"}], "metadata": {"next_page_url": null}}', "application/json"),
])
def test_body_cut_short_on_every_try_is_a_fetch_error_naming_it_incomplete(server: FaultServer,
                                                                           fast_policy: FetchPolicy, body: bytes,
                                                                           content_type: str) -> None:
    server.route("/cut", Reply(200, body, {"Content-Type": content_type}, truncate_to=len(body) - 9,
                               chunked_without_length=True))
    with pytest.raises(FetchError, match="incomplete"):
        fetch(fast_policy, server.url("/cut"))
    assert len(server.requests_to("/cut")) == fast_policy.max_retries + 1


def test_whole_close_delimited_pages_are_taken_as_they_are(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/page", Reply(200, PAGE + b"\n<!-- served in 3 ms -->\n", chunked_without_length=True))
    server.route("/text", Reply(200, b"plain words, no markup", {"Content-Type": "text/plain"},
                                chunked_without_length=True))
    assert fetch(fast_policy, server.url("/page"))[0].body.startswith(PAGE)
    assert fetch(fast_policy, server.url("/text"))[0].body == b"plain words, no markup"


def test_oversized_page_with_honest_length_is_refused_without_download(server: FaultServer,
                                                                        fast_policy: FetchPolicy) -> None:
    server.route("/big", Reply(200, b"x" * 300_000))
    with pytest.raises(BodyTooLarge, match="Content-Length"):
        fetch(fast_policy, server.url("/big"))


def test_oversized_page_without_length_is_aborted_while_streaming(server: FaultServer,
                                                                  fast_policy: FetchPolicy) -> None:
    server.route("/big", Reply(200, b"x" * 300_000, chunked_without_length=True))
    with pytest.raises(BodyTooLarge, match="aborted"):
        fetch(fast_policy, server.url("/big"))


def test_redirect_loop_is_detected(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/a", Reply(302, b"", {"Location": "/b"}))
    server.route("/b", Reply(302, b"", {"Location": "/a"}))
    with pytest.raises(TooManyRedirects, match="loop"):
        fetch(fast_policy, server.url("/a"))


def test_redirect_chain_longer_than_the_limit_is_refused(server: FaultServer, fast_policy: FetchPolicy) -> None:
    for i in range(8):
        server.route(f"/r{i}", Reply(301, b"", {"Location": f"/r{i + 1}"}))
    with pytest.raises(TooManyRedirects, match="more than 3"):
        fetch(replace(fast_policy, max_redirects=3), server.url("/r0"))


def test_redirect_is_followed_and_final_url_kept(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/old", Reply(301, b"", {"Location": "/new"}))
    server.route("/new", Reply(200, PAGE))
    page, _, _ = fetch(fast_policy, server.url("/old"))
    assert page.url == server.url("/old") and page.final_url == server.url("/new")


def test_robots_disallow_is_obeyed_and_page_never_requested(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private\n"))
    server.route("/private/job", Reply(200, PAGE))
    with pytest.raises(RobotsDisallowed):
        fetch(fast_policy, server.url("/private/job"))
    assert server.requests_to("/private/job") == []


def test_missing_robots_txt_allows_everything(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/robots.txt", Reply(404, b"nope"))
    server.route("/job", Reply(200, PAGE))
    page, _, _ = fetch(fast_policy, server.url("/job"))
    assert page.status == 200


def test_requests_to_one_host_are_spaced_by_the_minimum_interval(server: FaultServer,
                                                                  fast_policy: FetchPolicy) -> None:
    for i in range(4):
        server.route(f"/p{i}", Reply(200, PAGE))
    policy = replace(fast_policy, min_interval=0.3)

    async def go() -> None:
        async with Fetcher(policy) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{i}")) for i in range(4)))

    asyncio.run(go())
    times = sorted(r.at for r in server.log)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # The gap counts from the end of the previous exchange, so it holds as the server sees it.
    assert len(times) == 5 and min(gaps) >= 0.3 and times[-1] - times[0] >= 4 * 0.3


def test_the_gap_holds_between_requests_as_the_server_sees_them_even_when_connecting_is_slow(
        server: FaultServer, fast_policy: FetchPolicy) -> None:
    # Every new connection is read 0.4 s late (a slow handshake); requests on a kept-alive one are not. The
    # first page's retry goes over a new connection, because the 500 closes the old one.
    server.new_connection_delay = 0.4
    server.route("/p0", Reply(500, b"", {"Connection": "close"}), Reply(200, PAGE))
    server.route("/p1", Reply(200, PAGE))
    policy = replace(fast_policy, min_interval=0.5)

    async def go() -> None:
        async with Fetcher(policy) as fetcher:
            await fetcher.fetch(server.url("/p0"))
            await fetcher.fetch(server.url("/p1"))

    asyncio.run(go())
    arrivals = [r.at for r in server.log]
    assert [r.path for r in server.log] == ["/robots.txt", "/p0", "/p0", "/p1"]
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= 0.5, gaps


def test_robots_crawl_delay_widens_the_gap(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nCrawl-delay: 0.3\n"))
    server.route("/p0", Reply(200, PAGE))
    server.route("/p1", Reply(200, PAGE))

    async def go() -> None:
        async with Fetcher(fast_policy) as fetcher:
            await fetcher.fetch(server.url("/p0"))
            await fetcher.fetch(server.url("/p1"))

    asyncio.run(go())
    assert server.requests_to("/p1")[0].at - server.requests_to("/p0")[0].at >= 0.25


def test_conditional_request_gets_304_for_an_unchanged_page(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/feed", Reply(200, PAGE, etag='"v1"'))
    first, _, _ = fetch(fast_policy, server.url("/feed"))
    again, stats, _ = fetch(fast_policy, server.url("/feed"), Validators.from_headers(first.headers))
    assert first.status == 200 and again.status == 304 and again.body == b""
    assert server.requests_to("/feed")[1].headers["if-none-match"] == '"v1"'
    assert stats.not_modified == 1


def test_page_with_a_lying_charset_header_still_reads_correctly(server: FaultServer,
                                                                fast_policy: FetchPolicy) -> None:
    text = "<html><body><p>Gaji menarik – lowongan kerja “resmi” ✓</p></body></html>"
    server.route("/lie", Reply(200, text.encode("utf-8"), {"Content-Type": "text/html; charset=iso-8859-1"}))
    page, _, _ = fetch(fast_policy, server.url("/lie"))
    assert "“resmi” ✓" in soup_of(page.body, page.headers["content-type"]).get_text()


def test_connection_refused_is_a_fetch_error_not_a_crash(fast_policy: FetchPolicy) -> None:
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago and has nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError):
        fetch(replace(fast_policy, max_retries=1), f"http://127.0.0.1:{port}/job")
