"""Readable text from an HTML fragment: line breaks kept, layout whitespace dropped, emoji as text."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment

from scraper.charset import decode_body

_BLOCKS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_SKIP = frozenset({"script", "style", "template", "noscript"})


def soup_of(body: bytes, content_type: str | None = None) -> BeautifulSoup:
    """Parse a page with lxml after decoding it ourselves (so a wrong charset header cannot crash it)."""
    return BeautifulSoup(decode_body(body, content_type), "lxml")


def text_of(node: Tag | None) -> str:
    """The text a reader sees: <br> and block ends become newlines, runs of spaces one space."""
    if node is None:
        return ""
    parts: list[str] = []
    _walk(node, parts)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _walk(node: Tag, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            # Source indentation is layout, not content: a newline inside a text node is a space.
            parts.append(str(child).replace("\n", " "))
        elif isinstance(child, Tag):
            if child.name in _SKIP:
                continue
            if child.name == "br":
                parts.append("\n")
                continue
            block = child.name in _BLOCKS
            if block:
                parts.append("\n")
            _walk(child, parts)
            if block:
                parts.append("\n")
