"""Property: whatever bytes arrive (garbled, truncated, spliced real pages), a source's parser returns or says why.

A parser may raise PageParseError (the run stores that as a parse error); any other exception would
be a crash that stops a run, and that must never happen. Every registered source is tested on its own
sample pages (`SAMPLE_PAGES` in its test module), so a new source is covered without editing this file.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper import sources
from scraper.errors import PageParseError
from scraper.records import JobPost
from tests.scraper.sources.samples import Sample, all_samples, source_for_tests

SAMPLES = all_samples()
MAX_SAMPLE_BYTES = 60_000  # the start of a page is garbled; a whole 1 MB page would only make it slower
MARKUP = [b"<", b">", b"</div>", b'"', b"{", b"}", b"[", b"\\u00", b"data-post=\"x/\"", b"<time datetime=\"x\">",
          b'"ad_id": null', b"\xff\xfe", b"\x00", b"31/02/23 25.61 - A: b", b"[99/99/99 9.99.99] A: b"]


@st.composite
def garbled(draw: st.DrawFn, sample: Sample) -> bytes:
    """A real page with random cuts, splices of random bytes and of markup fragments."""
    data = bytearray(sample.page().body[:MAX_SAMPLE_BYTES])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["cut", "insert", "truncate", "markup", "flip"]))
        if action == "cut":
            del data[position : position + draw(st.integers(1, 400))]
        elif action == "insert":
            data[position:position] = draw(st.binary(max_size=40))
        elif action == "truncate":
            del data[position:]
        elif action == "markup":
            data[position:position] = draw(st.sampled_from(MARKUP))
        else:
            data[position] ^= draw(st.integers(1, 255))
    return bytes(data)


def _parse_or_refuse(sample: Sample, body: bytes) -> None:
    try:
        result = source_for_tests(sample.source).parse(sample.page(body))
    except PageParseError:
        return
    for post in result.posts:
        assert isinstance(post, JobPost)
        assert post.source_ad_id and isinstance(post.text, str)


def test_every_source_has_samples_to_garble() -> None:
    assert {s.source for s in SAMPLES} == set(sources.names())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_garbled_pages_never_crash_a_parser(data: st.DataObject) -> None:
    sample = data.draw(st.sampled_from(SAMPLES))
    _parse_or_refuse(sample, data.draw(garbled(sample)))


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode), sample=st.sampled_from(SAMPLES))
def test_arbitrary_bytes_never_crash_a_parser(body: bytes, sample: Sample) -> None:
    _parse_or_refuse(sample, body)
