"""Turns fetched bytes into text without ever failing: servers lie about charsets."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if it names a codec Python knows."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _known_codec(match.group(1)) if match else None


def charset_from_meta(body: bytes) -> str | None:
    """The charset a page declares in its own <meta> (only the head is searched, as browsers do)."""
    match = _META_CHARSET.search(body[:4096])
    return _known_codec(match.group(1).decode("ascii", "replace")) if match else None


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode a page: BOM, then valid UTF-8, then the header's and the page's own charset, then cp1252.

    Valid UTF-8 with non-ASCII bytes wins over a declared single-byte charset because a wrong
    `charset=iso-8859-1` header on a UTF-8 page is the commonest lie; the reverse (cp1252 text that
    happens to be valid UTF-8) is vanishingly rare.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for declared in (charset_from_content_type(content_type), charset_from_meta(body)):
        if declared and declared not in ("utf-8", "utf_8"):
            try:
                return body.decode(declared)
            except (UnicodeDecodeError, LookupError):
                continue
    return body.decode("cp1252", errors="replace")


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
