"""Finds the people an ad names, so research exports can replace them.

Ads name people in a few ways, and each is a rule here: after a term of address ("Mak Lina", "Ci Mei",
"Lae Sihombing"), after a contact or payment word ("hubungi Rina", "a.n. Suryani", "CP: Maya"), right
next to a phone number or handle ("0812... (Rina)", "Rosa: 0822..."), before a role in brackets ("Rina
(admin)"), in a list after one of those ("Sarah, Kevin & Lia"), and wherever a name the store already
knows appears (authors, sellers, WhatsApp senders). A candidate is a name unless it is an ordinary word,
a place, a brand, a job title or a month (`service.research.name_lexicon`); the honorific itself stays
in the text, since "Mami"/"Mak" is a research signal and not an identity. Names run to three words
written alike. Company names and street addresses ("PT Budi Santoso", "Jl. Cak Doko") are not people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from model.entities import Contact, find_contacts
from service.research.known_names import KnownNames, canonical_name
from service.research.name_cues import (
    AMBIGUOUS_HONORIFICS,
    COMPANY_MARKERS,
    CONTACT_CUES,
    DOTTED_TITLES,
    FILLERS,
    HONORIFICS,
    LETTER_TITLES,
    NAME_FOLLOWERS,
    NAME_PARTICLES,
    PERSON_ROLES,
    PROSE_CUES,
    ROLE_CUES,
    SKILL_WORDS,
    STREET_MARKERS,
    STREET_WORDS,
    STRONG_CONTACT_CUES,
    VENUE_WORDS,
)
from service.research.name_lexicon import (
    MONTHS_AND_DAYS,
    WORD,
    has_vowel,
    is_common,
    is_function_word,
    is_never_a_name,
    name_words,
)

MAX_NAME_WORDS = 3
MAX_FILLERS = 2
MAX_COMPANY_WORDS = 6
MAX_STREET_WORDS = 4
SKILL_REACH = 3  # words before "dengan" in which a skill word makes what follows a tool
# A line where at least this share of the longer words is capitalised is written in Title Case or capitals,
# so a capital there says nothing about a name.
TITLE_CASE_SHARE = 0.5
MIN_COUNTED_WORD = 3
_SPACE = r"[ \t\u00a0]"
# A pseudonym already in the text (a second pass sees the first pass's tokens): no word inside it counts,
# and it is masked with a mark no gap rule accepts, so the words around it are not read as adjacent.
_PSEUDONYM = re.compile(r"\[[a-z]+:[a-p]{16}\]|\[nomor\]")
_PSEUDONYM_MASK = "#"
# Cues written with dots, slashes or in several words. `a.n.` is the holder of a bank account, and so is a
# bare `an` right after an account number ("BRI 3320-01-019982-50-7 an Siti").
_PHRASE_CUE = re.compile(
    r"(?<![\w.])(?P<strong>a\s?[./]\s?n\b\.?|an\.|atas\s+nama|contact\s+person|kontak\s+person|u\s?\.\s?p\b\.?"
    r"|up\.|c\s?\.\s?p\b\.?)|(?<=\d)(?P<account>\s+an)\b|(?<![\w.])(?P<weak>ask\s+for|w\s?\.\s?a\b\.?)",
    re.IGNORECASE,
)
# Between a cue and its name: spaces and at most two marks ("CP:Maya", "Bu.Ratna", "WA/Bang Rudi").
_CUE_GAP = re.compile(rf"{_SPACE}*[.:/\-–]{{0,2}}{_SPACE}*")
# Between a contact and the name after it: "0812... Lina", "0812... - Yosef", "0812... ( Jessica )".
_AFTER_CONTACT_GAP = re.compile(rf"{_SPACE}*[\-–/:,(]?{_SPACE}*\(?{_SPACE}*")
_BRACKET_GAP = re.compile(rf"{_SPACE}*[(\-–/]{_SPACE}*\(?{_SPACE}*")
# Between a name and the contact after it: "Rosa: 0822...", "Lina 0812...", "Rina (0813...".
_BEFORE_CONTACT_GAP = re.compile(rf"{_SPACE}*[:=\-–(]?{_SPACE}*\(?{_SPACE}*")
# What may stand before a name that only a contact after it shows: a line start or a list mark.
_NAME_OPENER = re.compile(rf"(?:^|[\n:(\-–•*/|,]){_SPACE}*$")
_ROLE_GAP = re.compile(rf"{_SPACE}*\({_SPACE}*")
_ROLE_IN_BRACKETS_GAP = re.compile(rf",{_SPACE}*")  # "(Yosef, admin)"
_WORD_GAP = re.compile(_SPACE)
_STREET_GAP = re.compile(rf"{_SPACE}*\.?{_SPACE}*")
_COMPANY_GAP = re.compile(rf"{_SPACE}{{1,2}}|\.{_SPACE}?")
# After a name, the joiner of a list: "Sarah, Kevin", "Rina / Budi", "Ko Aming) / Ci Mei", "Rina atau Budi".
_LIST_NEXT = re.compile(rf"{_SPACE}*\)?{_SPACE}*(?:[,/&]|(?:dan|atau|and|or|serta)\b){_SPACE}*", re.IGNORECASE)
_LIST_GOES_ON = re.compile(rf"{_SPACE}*\)?{_SPACE}*(?:[,/&]|(?:dan|atau|and|or|serta)\b)|{_SPACE}*$", re.IGNORECASE)


@dataclass(frozen=True)
class NameMention:
    """A person's name (kind "name") or a known handle written bare (kind "handle") at [start, end)."""

    start: int
    end: int
    kind: str
    value: str


@dataclass(frozen=True)
class _Token:
    text: str
    lower: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def title_case(self) -> bool:
        """Capitalised but not ALL CAPS: in an all-caps ad, a capital says nothing about a name."""
        return self.capitalised and not (len(self.text) > 1 and self.text.isupper())


def _could_be_name(token: _Token, after_address: bool, before_contact: bool, sure_address: bool = False) -> bool:
    """Whether a word in a name's place is a name: after an address almost anything that is not a word,
    and after a plain honorific a capitalised word right before a contact even then ("Mak Aling 0852...",
    "Bu Baiq Rohani 0818...")."""
    lower = token.lower
    if len(lower) < 2 or not has_vowel(lower):
        return False
    named = lower in name_words()
    never = is_never_a_name(token.text)
    ordinary = never or is_common(token.text) or lower in MONTHS_AND_DAYS
    if after_address:
        if sure_address and token.capitalised and before_contact and not never:
            return True
        # "Ci Mei", "Mbak Juni", but "om hari Sabtu": a month or day is a name only when capitalised.
        return (named and (token.capitalised or lower not in MONTHS_AND_DAYS)) or not ordinary
    if token.capitalised:
        return (named and not never and lower not in MONTHS_AND_DAYS) or not ordinary
    return not ordinary or (named and before_contact and not never)


class _Ad:
    """One ad's words and contacts, with the questions the rules ask about them."""

    def __init__(self, text: str, contacts: list[Contact]) -> None:
        self.text = text
        self.tokens = [_Token(m.group(0), m.group(0).lower(), m.start(), m.end()) for m in WORD.finditer(text)]
        self.contacts = contacts
        self.protected = self._company_and_street_spans()
        self._title_lines: dict[int, bool] = {}

    def gap(self, start: int, end: int, pattern: re.Pattern[str]) -> bool:
        return start <= end and pattern.fullmatch(self.text, start, end) is not None

    def index_at(self, offset: int) -> int:
        """The first token starting at or after `offset`."""
        for index, token in enumerate(self.tokens):
            if token.start >= offset:
                return index
        return len(self.tokens)

    def followed_by_contact(self, end: int) -> bool:
        return any(self.gap(end, contact.start, _BEFORE_CONTACT_GAP) for contact in self.contacts)

    def glued(self, token: _Token) -> bool:
        """`mbak2` (a plural address), `KemenP2MI`, `dina_tugas`: a digit or underscore touches the word."""
        before = self.text[token.start - 1:token.start]
        after = self.text[token.end:token.end + 1]
        return bool(re.fullmatch(r"[\d_@]", before or " ")) or bool(re.fullmatch(r"[\d_]", after or " "))

    def in_prose_line(self, token: _Token) -> bool:
        """Whether the token's line is written in sentence case, where a capital inside a sentence marks a name."""
        line_start = self.text.rfind("\n", 0, token.start) + 1
        if line_start not in self._title_lines:
            line_end = self.text.find("\n", token.start)
            line = self.text[line_start:line_end if line_end >= 0 else len(self.text)]
            words = [word for word in WORD.findall(line) if len(word) >= MIN_COUNTED_WORD]
            capitalised = sum(word[:1].isupper() for word in words)
            self._title_lines[line_start] = bool(words) and capitalised / len(words) >= TITLE_CASE_SHARE
        return not self._title_lines[line_start]

    def protected_at(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.protected)

    def _company_and_street_spans(self) -> list[tuple[int, int]]:
        spans = []
        for index, token in enumerate(self.tokens):
            street = token.lower in STREET_MARKERS or (token.lower in STREET_WORDS and token.capitalised)
            venue = token.lower in VENUE_WORDS and token.capitalised
            if token.lower not in COMPANY_MARKERS and not venue and not street:
                continue
            following = self.tokens[index + 1:index + 1 + (MAX_STREET_WORDS if street else MAX_COMPANY_WORDS)]
            end = token.end
            for word in following:
                if venue and word.lower in HONORIFICS - AMBIGUOUS_HONORIFICS:
                    break  # "Warung Bu Siti" is named after a person
                if not self.gap(end, word.start, _STREET_GAP if street else _COMPANY_GAP):
                    break
                if not (street or word.capitalised):
                    break
                end = word.end
            spans.append((token.start, end))
        return spans


class _Finder:
    def __init__(self, ad: _Ad, known: KnownNames | None) -> None:
        self.ad = ad
        self.tokens = ad.tokens
        self.known = known
        self.found: dict[int, NameMention] = {}
        self.listed: set[int] = set()

    def run(self) -> list[NameMention]:
        for index, token in enumerate(self.tokens):
            if self.ad.protected_at(token.start) or self.ad.glued(token):
                continue
            if self._is_address(index):
                self._after_honorific(index)
            elif token.lower in CONTACT_CUES or token.lower in ROLE_CUES:
                self._after_contact_word(index)
        for match in _PHRASE_CUE.finditer(self.ad.text):
            if not self.ad.protected_at(match.start()):
                self._after_cue_end(match.end(), "contact" if match.group("weak") else "strong")
        for contact in self.ad.contacts:
            self._next_to_contact(contact)
        self._before_roles()
        if self.known is not None:
            self._known_names(self.known)
        self._lists()
        return sorted(self.found.values(), key=lambda mention: (mention.start, -mention.end))

    # --- the rules ---

    def _is_address(self, index: int) -> bool:
        token = self.tokens[index]
        if token.lower in LETTER_TITLES:  # "H. Sulaiman", but "Rudi H. Konfirmasi ..." is an initial
            previous = self.tokens[index - 1] if index > 0 else None
            initial = (previous is not None and previous.capitalised and previous.lower not in HONORIFICS
                       and self.ad.gap(previous.end, token.start, _WORD_GAP))
            return token.text.isupper() and self.ad.text[token.end:token.end + 1] == "." and not initial
        if token.lower in DOTTED_TITLES:
            return token.capitalised or self.ad.text[token.end:token.end + 1] == "."  # "dr." but "dr" = dari
        return token.lower in HONORIFICS

    def _after_honorific(self, index: int) -> None:
        """`Mak Lina`, `Pak Haji Rasyid`, `Bu Hj. Siti`, `Bapak/Ibu ...` (a chain of titles, then the name)."""
        candidate = index + 1
        while (candidate < len(self.tokens) and self._cue_gap(candidate - 1, candidate)
               and self._is_address(candidate)):
            candidate += 1
        if candidate >= len(self.tokens) or not self._cue_gap(candidate - 1, candidate):
            return
        cue, word = self.tokens[index], self.tokens[candidate]
        # "dr." with its dot is a title ("a/n dr. Hendra Wijaya"); bare "dr" is as often "dari".
        dotted = cue.lower in DOTTED_TITLES and self.ad.text[cue.end:cue.end + 1] == "."
        ambiguous = (cue.lower in AMBIGUOUS_HONORIFICS and not dotted) or cue.lower in LETTER_TITLES
        if ambiguous and not self._written_as_address(index, word):
            return
        self._take(candidate, after_address=True, sure_address=not ambiguous)

    def _written_as_address(self, index: int, word: _Token) -> bool:
        """`teh`, `dek`, `mas`, `bos` open a name only when written as an address: `Teh Rina`, `wa teh
        rina`, `kirim ke teh imas`, `teh euis 0858...`; never `kebun teh`, `bos semua`."""
        cue = self.tokens[index]
        if cue.capitalised and word.capitalised:
            return True
        before = self.tokens[index - 1].lower if index > 0 else ""
        direct = (before in CONTACT_CUES and before not in PROSE_CUES) or before in FILLERS
        return direct or self.ad.followed_by_contact(word.end)

    def _after_contact_word(self, index: int) -> None:
        cue = self.tokens[index].lower
        if cue in STRONG_CONTACT_CUES:
            strength = "strong"
        elif cue in ROLE_CUES:
            strength = "role"
        else:
            strength = "prose" if cue in PROSE_CUES else "contact"
        if strength == "prose" and self._skill_before(index):
            return  # "pengalaman 5 tahun dengan Golang", "familiar dengan Micromine": a tool, not a person
        self._after_cue_end(self.tokens[index].end, strength)

    def _skill_before(self, index: int) -> bool:
        """Whether a skill word ("paham", "pengalaman", "familiar") stands shortly before, on the same line."""
        line_start = self.ad.text.rfind("\n", 0, self.tokens[index].start) + 1
        before = [token for token in self.tokens[max(0, index - SKILL_REACH):index] if token.start >= line_start]
        return any(token.lower in SKILL_WORDS for token in before)

    def _after_cue_end(self, end: int, strength: str) -> None:
        """A name after "hubungi", "CP:", "a.n."; after prose words and roles only a capitalised one.

        After a contact word (not an address), a lowercase word is chat more often than a name ("dm ya
        gercep", "japri gw"): it counts only right before a contact ("sms rahmat 0852...").
        """
        candidate = self.ad.index_at(end)
        previous_end = end
        fillers = 0
        while candidate < len(self.tokens) and self.tokens[candidate].lower in FILLERS and fillers < MAX_FILLERS:
            if not self.ad.gap(previous_end, self.tokens[candidate].start, _CUE_GAP):
                return
            previous_end = self.tokens[candidate].end
            candidate += 1
            fillers += 1
        if candidate >= len(self.tokens) or not self.ad.gap(previous_end, self.tokens[candidate].start, _CUE_GAP):
            return
        word = self.tokens[candidate]
        if self._is_address(candidate):
            return  # the honorific rule reads it
        if strength == "strong":
            self._take(candidate, after_address=True)
            return
        if not word.capitalised and not (self.ad.followed_by_contact(word.end)
                                         or (strength == "contact" and self._chat_name(candidate))):
            return
        if strength in ("prose", "role") and word.capitalised and not word.title_case:
            return  # "DENGAN CRUISE LINE", "ADMIN MP"
        if strength == "role" and self._next_is_capitalised(candidate):
            return  # "Marketing Casino Online", "marketing Lazuardi Digital Media": a firm or a product
        self._take(candidate, after_address=False)

    def _next_to_contact(self, contact: Contact) -> None:
        after = self.ad.index_at(contact.end)
        if after < len(self.tokens) and self.ad.gap(contact.end, self.tokens[after].start, _AFTER_CONTACT_GAP):
            bracketed = self.ad.gap(contact.end, self.tokens[after].start, _BRACKET_GAP)
            if self.tokens[after].capitalised or bracketed:  # "0812..., kamsia" is a thank-you, "(rudi)" a name
                self._take(after, after_address=False)
        last = self.ad.index_at(contact.start) - 1
        if last < 0 or not self.ad.gap(self.tokens[last].end, contact.start, _BEFORE_CONTACT_GAP):
            return
        first = last
        while first > 0 and last - first < MAX_NAME_WORDS - 1 and self._joins(first - 1, first):
            first -= 1
        opener_start = self.tokens[first - 1].end if first > 0 else 0
        if not _NAME_OPENER.search(self.ad.text, opener_start, self.tokens[first].start):
            return  # "kantor cabang Masbagik: 0819...", "via travel Citra Wisata 0813...": not a person
        if all(self._word_of_name(i, before_contact=True) for i in range(first, last + 1)):
            self._take(first, after_address=False, last=last)

    def _before_roles(self) -> None:
        """`Rina (admin)`, `(Yosef, admin)`: a capitalised word right before a role in brackets."""
        for index, token in enumerate(self.tokens[:-1]):
            role = self.tokens[index + 1]
            if not token.title_case or role.lower not in PERSON_ROLES:
                continue
            in_brackets = self.ad.text[:token.start].rstrip(" \t").endswith("(")
            if self.ad.gap(token.end, role.start, _ROLE_GAP) or (
                    in_brackets and self.ad.gap(token.end, role.start, _ROLE_IN_BRACKETS_GAP)):
                self._take(index, after_address=False)

    def _lists(self) -> None:
        """Names joined to a found name: "Sarah, Kevin & Lia", "Rina atau Budi". An item after a comma must
        itself be followed by a joiner or a contact, or the list must already be running ("Pak Fendi,
        Kacab" is a name and then a role)."""
        queue = [mention for mention in self.found.values() if mention.kind == "name"]
        while queue:
            mention = queue.pop()
            joined = _LIST_NEXT.match(self.ad.text, mention.end)
            if joined is None:
                continue
            index = self.ad.index_at(joined.end())
            if index >= len(self.tokens) or self.tokens[index].start != joined.end():
                continue
            word = self.tokens[index]
            if not word.title_case or self._is_address(index) or self.ad.glued(word):
                continue
            comma = "," in self.ad.text[mention.end:joined.end()]
            goes_on = _LIST_GOES_ON.match(self.ad.text, self._run_end_offset(index)) is not None
            if comma and not (mention.start in self.listed or goes_on or self.ad.followed_by_contact(word.end)):
                continue
            if self._take(index, after_address=False):
                self.listed.add(word.start)
                queue.append(self.found[word.start])

    def _known_names(self, known: KnownNames) -> None:
        spans = [(token.text, token.start, token.end) for token in self.tokens]
        for start, end, value in known.find_in(self.ad.text, spans):
            if not self.ad.protected_at(start):
                self._add(NameMention(start, end, "name", value))
        for start, end, handle in known.find_handles(self.ad.text):
            self._add(NameMention(start, end, "handle", handle))

    # --- helpers ---

    def _cue_gap(self, left: int, right: int) -> bool:
        return self.tokens[left].end < self.tokens[right].start and self.ad.gap(
            self.tokens[left].end, self.tokens[right].start, _CUE_GAP)

    def _chat_name(self, index: int) -> bool:
        """`hubungin desi aja`: a lowercase word no lexicon knows, then a chat particle."""
        word = self.tokens[index]
        if index + 1 >= len(self.tokens) or self.tokens[index + 1].lower not in NAME_FOLLOWERS:
            return False
        if not self.ad.gap(word.end, self.tokens[index + 1].start, _WORD_GAP):
            return False
        return len(word.lower) >= MIN_COUNTED_WORD and not (is_common(word.text) or is_never_a_name(word.text))

    def _next_is_capitalised(self, index: int) -> bool:
        return (index + 1 < len(self.tokens) and self.tokens[index + 1].capitalised
                and self.ad.gap(self.tokens[index].end, self.tokens[index + 1].start, _WORD_GAP))

    def _joins(self, left: int, right: int) -> bool:
        """Two words of one name: one space apart and written alike."""
        a, b = self.tokens[left], self.tokens[right]
        return self.ad.gap(a.end, b.start, _WORD_GAP) and a.capitalised == b.capitalised

    def _word_of_name(self, index: int, before_contact: bool) -> bool:
        token = self.tokens[index]
        if token.lower in NAME_PARTICLES:
            return True
        return not self._is_address(index) and _could_be_name(token, after_address=False,
                                                              before_contact=before_contact)

    def _family_name(self, index: int) -> bool:
        """`a.n Siti Rohani pendaftaran ...`: inside a sentence-case line, a capitalised word after a name is
        its family name even when it is also a word (Rohani, Wibisono, Santoso), unless a function word."""
        token = self.tokens[index]
        return (token.title_case and self.ad.in_prose_line(token) and not is_function_word(token.text)
                and not is_never_a_name(token.text) and not self._is_address(index))

    def _take(self, index: int, after_address: bool, last: int | None = None, sure_address: bool = False) -> bool:
        """Record the name starting at token `index` (to `last`, or as far as it runs); False if not a name."""
        tokens = self.tokens
        first = tokens[index]
        if self.ad.protected_at(first.start) or first.start in self.found or self.ad.glued(first):
            return False
        head = index
        if first.lower in NAME_PARTICLES and last is None:  # "I Wayan Sudarma", "Wa Ode Sitti"
            head = index + 1
            if head >= len(tokens) or not tokens[head].capitalised or not self._joins(index, head):
                return False
        before_contact = self.ad.followed_by_contact(tokens[head].end)
        if not _could_be_name(tokens[head], after_address, before_contact, sure_address):
            return False
        end = tokens[last if last is not None else self._run_end(head)].end
        self._add(NameMention(first.start, end, "name", canonical_name(self.ad.text[first.start:end])))
        return True

    def _run_end(self, head: int) -> int:
        """The last token of a name that starts at `head`: up to three words written alike."""
        end, words = head, 1
        while end + 1 < len(self.tokens) and words < MAX_NAME_WORDS and self._joins(end, end + 1):
            following = end + 1
            if self.tokens[following].lower in NAME_PARTICLES:
                if following + 1 >= len(self.tokens) or not self._joins(following, following + 1):
                    break
                following += 1
            if self.ad.glued(self.tokens[following]) or not (
                    self._word_of_name(following, before_contact=True) or self._family_name(following)):
                break
            end, words = following, words + 1
        return end

    def _run_end_offset(self, head: int) -> int:
        return self.tokens[self._run_end(head)].end

    def _add(self, mention: NameMention) -> None:
        if not mention.value:
            return
        current = self.found.get(mention.start)
        if current is None or current.end < mention.end:
            self.found[mention.start] = mention


def find_person_names(text: str, known: KnownNames | None = None,
                      contacts: Iterable[Contact] | None = None) -> list[NameMention]:
    """Every person's name (and bare known handle) in `text`, in order; spans index `text`."""
    scan = _PSEUDONYM.sub(lambda match: _PSEUDONYM_MASK * len(match.group(0)), text)
    found_contacts = list(contacts) if contacts is not None else find_contacts(scan)
    return _Finder(_Ad(scan, found_contacts), known).run()
