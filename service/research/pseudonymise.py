"""Keyed pseudonyms for phones, e-mails, handles and names, replaced wherever they occur in an ad's text.

The token is HMAC-SHA-256(key, kind + canonical value): the same number written `0812-3456-7890`,
`08l2 3456 789O` or `nol delapan satu dua ...` becomes the same token, because the model's entity
finder canonicalises all of them to one E.164 value first; likewise "Mak Lina", "MAK LINA" and "lina"
are one name (`known_names.canonical_name`). Names are found by `person_names` (after terms of address
and contact words, next to contacts, and wherever a name the store knows appears); the term of address
itself stays ("Mak [name:...]"). Tokens are spelled with letters only, so no token can itself be read
back as (part of) a phone number.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from model.entities import Contact, domain_of, find_contacts
from model.normalise import normalise
from service.errors import DeskError
from service.research.known_names import KnownNames, canonical_name
from service.research.person_names import NameMention, find_person_names
from service.settings import Settings

# A development-only key: exports made with it are pseudonymised but anyone with the source can re-link them.
DEV_PSEUDONYM_KEY = "lokerwatch-development-pseudonym-key"

# Which contact kinds are one identity for linking and for tokens (`t.me/x`, `instagram: @x`, `@x`).
IDENTITY_KIND = {"phone": "phone", "email": "email", "telegram": "handle", "instagram": "handle", "handle": "handle"}
_PRIORITY = {"phone": 0, "email": 1, "handle": 2, "url": 3, "name": 4}
_TOKEN_LETTERS = "abcdefghijklmnop"
# A run of 9+ digits (after undoing evasions) that is not a thousands-grouped amount is treated as a
# number the finder missed; masking it costs nothing for research and closes the leak.
_LONG_DIGITS = re.compile(r"(?<![a-z0-9])(?P<glued>[a-z]{0,2})(?P<run>\+?\d(?:[\s.\-()]{0,2}[\dol]){8,})")
_AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
MAX_PASSES = 3


class PseudonymKeyMissing(DeskError):
    """The deployment has no pseudonym key: research exports are switched off until one is set."""

    http_status = 503


def pseudonym_key(settings: Settings) -> bytes:
    """The configured key; outside development mode there is no fallback, so tokens never use a known key."""
    if settings.pseudonym_key:
        return settings.pseudonym_key.encode("utf-8")
    if settings.dev_mode:
        return DEV_PSEUDONYM_KEY.encode("utf-8")
    raise PseudonymKeyMissing("LOKERWATCH_PSEUDONYM_KEY is not set; research exports need a secret pseudonym key")


@dataclass(frozen=True)
class Pseudonymiser:
    """Turns identities into stable tokens with one secret key."""

    key: bytes

    def token(self, kind: str, value: str) -> str:
        """`[phone:kdjf...]`: 16 letters (64 bits) of the HMAC, enough that distinct numbers never collide."""
        identity = IDENTITY_KIND.get(kind, kind)
        digest = hmac.new(self.key, f"{identity}:{value}".encode(), hashlib.sha256).digest()[:8]
        letters = "".join(_TOKEN_LETTERS[byte >> 4] + _TOKEN_LETTERS[byte & 15] for byte in digest)
        return f"[{identity}:{letters}]"

    def contact_token(self, contact: Contact) -> str:
        return self.token(contact.kind, contact.value)

    def name_token(self, name: str) -> str:
        """One token per person however the name is written: an author field "Mak Lina" and "LINA" in a text."""
        return self.token("name", canonical_name(name) or " ".join(name.split()).casefold())

    def mention_token(self, mention: NameMention) -> str:
        if mention.kind == "handle":
            return self.token("handle", mention.value)
        return self.name_token(mention.value)

    def text(self, text: str, known: KnownNames | None = None) -> str:
        """`text` with every contact, named person and long digit run replaced by its token; `known` holds
        the names the store knows from ad fields, replaced wherever they appear."""
        for _ in range(MAX_PASSES):
            replaced = self._one_pass(text, known)
            if replaced == text:
                break
            text = replaced
        return _mask_long_digits(text)

    def _one_pass(self, text: str, known: KnownNames | None) -> str:
        contacts = find_contacts(text)
        spans: list[tuple[int, int, str, str]] = []  # start, end, kind, replacement
        for contact in contacts:
            spans.append(self._contact_span(text, contact))
        for mention in find_person_names(text, known, contacts):
            spans.append((mention.start, mention.end, mention.kind, self.mention_token(mention)))
        return _apply(text, spans)

    def _contact_span(self, text: str, contact: Contact) -> tuple[int, int, str, str]:
        identity = IDENTITY_KIND.get(contact.kind, contact.kind)
        if contact.kind != "url":
            return contact.start, contact.end, identity, self.contact_token(contact)
        # A link keeps its host (a look-alike recruiting domain is a research signal), never its path,
        # which often carries a number (wa.me/62...) or a handle.
        host = domain_of(contact)
        written = text[contact.start:contact.end]
        host_at = written.lower().find(host) if host else -1
        if host_at < 0:
            return contact.start, contact.end, "url", self.contact_token(contact)
        host_end = contact.start + host_at + len(host)
        if host_end >= contact.end - 1:
            return host_end, host_end, "url", ""  # a bare domain: nothing personal to replace
        return host_end, contact.end, "url", "/" + self.contact_token(contact)


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    replacement: str


def _apply(text: str, found: list[tuple[int, int, str, str]]) -> str:
    """Replace spans, merging overlaps; a merged span takes the token of its most personal contact."""
    merged: list[_Span] = []
    for start, end, kind, replacement in sorted((s for s in found if s[1] > s[0]), key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1].end:
            last = merged[-1]
            last.end = max(last.end, end)
            if _PRIORITY[kind] < _PRIORITY[last.kind]:
                last.kind, last.replacement = kind, replacement
            continue
        merged.append(_Span(start, end, kind, replacement))
    pieces: list[str] = []
    position = 0
    for span in merged:
        pieces.append(text[position:span.start])
        pieces.append(span.replacement)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def _mask_long_digits(text: str) -> str:
    """Mask digit runs that still read as a phone number once evasions are undone."""
    norm = normalise(text)
    spans: list[tuple[int, int, str, str]] = []
    for match in _LONG_DIGITS.finditer(norm.text):
        if all(_AMOUNT.fullmatch(part.strip()) for part in re.split(r"\s?-\s?", match.group("run"))):
            continue
        start, end = norm.original_span(*match.span())
        spans.append((start, end, "phone", "[nomor]"))
    return _apply(text, spans) if spans else text
