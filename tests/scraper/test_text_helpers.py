"""Charset decoding that never fails, and contact handles pulled from ad text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.charset import decode_body
from scraper.contacts import find_contacts


def test_utf8_page_behind_a_latin1_header_is_read_as_utf8() -> None:
    body = "Gaji “menarik” – kerja di Jepang".encode()
    assert decode_body(body, "text/html; charset=ISO-8859-1") == "Gaji “menarik” – kerja di Jepang"


def test_meta_charset_is_used_when_bytes_are_not_utf8() -> None:
    body = '<meta charset="windows-1252"><p>Caf\u00e9 \u201cresmi\u201d</p>'.encode("cp1252")
    assert "Café “resmi”" in decode_body(body, "text/html")


def test_header_charset_wins_for_single_byte_pages() -> None:
    body = "Привет, работа".encode("cp1251")
    assert decode_body(body, "text/html; charset=windows-1251") == "Привет, работа"


def test_unknown_charset_names_and_bom_are_handled() -> None:
    assert decode_body(b"\xef\xbb\xbfhalo", "text/html; charset=no-such-codec") == "halo"
    assert decode_body("halo".encode("utf-16"), None) == "halo"


@settings(deadline=None)  # shared CI machines stall; speed is measured in benchmarks/, not here
@given(st.binary(max_size=500), st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                                  "text/html; charset=bogus", "text/html; charset=shift_jis"]))
def test_decoding_never_fails(body: bytes, content_type: str | None) -> None:
    assert isinstance(decode_body(body, content_type), str)


def test_contacts_in_indonesian_ads() -> None:
    text = ("Minat? WA 0812-3456-7890 atau +62 857 1234 5678, wa.me/6281299990000, "
            "t.me/loker_resmi, @hrd_rekrut, email hrd.pt@example.co.id")
    assert find_contacts(text) == ["0812-3456-7890", "+62 857 1234 5678", "wa.me/6281299990000",
                                   "t.me/loker_resmi", "@hrd_rekrut", "hrd.pt@example.co.id"]


def test_contacts_are_not_invented_from_prices_or_dates() -> None:
    assert find_contacts("Gaji Rp 4.500.000 per bulan, mulai 01/12/2023, umur 18-35") == []
