"""Names the store already knows (ad authors, OLX sellers, WhatsApp senders, forwarders, handles), found
again wherever an exported text repeats them.

A name read from a field is exact, so it needs no cue: "Siti Rahma" wrote one ad and is thanked in
another. Channel titles ("Info Loker Batam") hold no word that can be a name and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from model.entities import find_contacts
from service.research.name_cues import HONORIFICS
from service.research.name_lexicon import MONTHS_AND_DAYS, WORD, is_common, is_never_a_name, name_words
from service.store.tables import Ad

# Fields of `Ad.extra` that hold a person's or an account's name, by source.
NAME_FIELDS = ("seller_name", "shared_from", "forwarded_from", "author", "seller", "sender")
HANDLE_KINDS = ("handle", "telegram", "instagram")
MIN_PART = 3
MIN_HANDLE = 4
STORE_BATCH = 1000
_BARE_HANDLE = re.compile(r"(?<![\w@./])[a-z0-9_][a-z0-9_.]{2,29}(?![\w])", re.IGNORECASE)


def canonical_name(written: str) -> str:
    """The form a name's token is made from: "Mak Lina", "MAK LINA" and "lina" are all "lina"."""
    words = [word.lower().replace("’", "'") for word in WORD.findall(written)]
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _can_stand_alone(word: str) -> bool:
    """A part of a known name that is a name by itself: not an ordinary word unless a given name, and never a
    month or day (a sender "Ci Mei" must not turn every "Mei 2027" into a token)."""
    if len(word) < MIN_PART or is_never_a_name(word) or word in MONTHS_AND_DAYS:
        return False
    return word in name_words() or not is_common(word)


def _stands_alone(text: str, tokens: list[tuple[str, int, int]], index: int) -> bool:
    """No capitalised word right beside it: a known "Jaya" or "Mega" that is also a word counts alone in
    "Mega yang urus", never inside another proper noun ("Sinar Jaya Abadi", "Mega Mall")."""
    for other in (index - 1, index + 1):
        if 0 <= other < len(tokens):
            left, right = sorted((index, other))
            between = text[tokens[left][2]:tokens[right][1]]
            if tokens[other][0][:1].isupper() and between.strip(" \t") == "":
                return False
    return True


@dataclass(frozen=True)
class KnownNames:
    """Full names (two words or more), their parts that are names on their own, and bare handles."""

    full: frozenset[tuple[str, ...]] = frozenset()
    parts: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()
    _by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_written(cls, names: Iterable[str], handles: Iterable[str] = ()) -> KnownNames:
        """From names as fields hold them and contacts as `contact_handles` hold them (`@x`, `t.me/x`)."""
        full: set[tuple[str, ...]] = set()
        parts: set[str] = set()
        for written in names:
            words = tuple(canonical_name(written).split())
            standalone = [word for word in words if _can_stand_alone(word)]
            if not standalone:
                continue
            parts.update(standalone)
            if len(words) > 1:
                full.add(words)
        bare = {contact.value for written in handles for contact in find_contacts(written)
                if contact.kind in HANDLE_KINDS and len(contact.value) >= MIN_HANDLE
                and not is_common(contact.value) and not is_never_a_name(contact.value)}
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for words in sorted(full, key=len, reverse=True):
            by_first.setdefault(words[0], []).append(words)
        return cls(frozenset(full), frozenset(parts), frozenset(bare), by_first)

    def find_in(self, text: str, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of every known full name and known part among `tokens`."""
        found: list[tuple[int, int, str]] = []
        lowered = [word.lower().replace("’", "'") for word, _, _ in tokens]
        for index, (word, start, _) in enumerate(tokens):
            for words in self._by_first.get(lowered[index], ()):
                stop = index + len(words)
                if tuple(lowered[index:stop]) == words and all(
                        text[tokens[i][2]:tokens[i + 1][1]].isspace() for i in range(index, stop - 1)):
                    found.append((start, tokens[stop - 1][2], " ".join(words)))
                    break
            else:
                part = lowered[index]
                if part not in self.parts:
                    continue
                if not is_common(part) or (word[:1].isupper() and _stands_alone(text, tokens, index)):
                    found.append((start, tokens[index][2], part))
        return found

    def find_handles(self, text: str) -> list[tuple[int, int, str]]:
        """Known handles written without their `@` or link: (start, end, handle)."""
        if not self.handles:
            return []
        # A handle may hold dots but never ends in one: "follow loker_batam26." keeps its full stop.
        return [(match.start(), match.start() + len(handle), handle) for match in _BARE_HANDLE.finditer(text)
                if (handle := match.group(0).lower().rstrip(".")) in self.handles]


def known_names_in_store(session: Session) -> KnownNames:
    """Every name and handle any stored ad carries in its fields, read in batches."""
    names: list[str] = []
    handles: list[str] = []
    rows = session.execute(select(Ad.author, Ad.extra, Ad.contact_handles).execution_options(yield_per=STORE_BATCH))
    for author, extra, contact_handles in rows:
        if author:
            names.append(author)
        for key in NAME_FIELDS:
            value = (extra or {}).get(key)
            if isinstance(value, str) and value.strip():
                names.append(value)
        handles.extend(str(handle) for handle in contact_handles or [])
    return KnownNames.from_written(names, handles)
