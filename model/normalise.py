"""Undoes the spellings evaders use, keeping a map from every output character back to the original.

Scammers write `K A M B O J A`, `g4ji`, `08l2 3456 789O`, `nol delapan satu dua ...`, fullwidth or
Cyrillic look-alike letters and zero-width joiners to slip past keyword filters. Matching runs on the
normalised text; the offset map lets every indicator point at the words the analyst actually sees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from model.slang import SLANG

# Cyrillic and Greek letters that render like Latin ones (the ones seen in evasive ads).
HOMOGLYPHS: dict[str, str] = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "к": "k", "м": "m", "н": "h", "т": "t", "в": "b", "ѕ": "s", "һ": "h", "ԁ": "d", "ɡ": "g",
    "α": "a", "ο": "o", "ρ": "p", "ι": "i", "κ": "k", "ν": "v", "τ": "t", "υ": "u", "ε": "e",
    "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "з": "3",
}

# Emoji that carry meaning in job ads; every other pictograph becomes a space.
EMOJI_WORDS: dict[str, str] = {
    "💰": "uang", "💵": "uang", "💸": "uang", "🤑": "uang", "✈": "pesawat", "🛫": "pesawat",
    "📞": "telepon", "☎": "telepon", "📱": "telepon", "📲": "whatsapp", "💃": "hiburan", "🎤": "karaoke",
    "🍻": "bar", "💍": "nikah", "👰": "nikah", "🚢": "kapal", "⛴": "kapal", "🛳": "kapal",
}

# Flag emoji of destinations that matter here (a pair of regional-indicator letters).
FLAG_COUNTRIES: dict[str, str] = {
    "KH": "kamboja", "MM": "myanmar", "TH": "thailand", "LA": "laos", "MY": "malaysia", "SA": "arab saudi",
    "TW": "taiwan", "CN": "china", "HK": "hong kong", "JP": "jepang", "KR": "korea", "AE": "uni emirat arab",
    "PH": "filipina", "SG": "singapura", "VN": "vietnam", "QA": "qatar", "KW": "kuwait", "OM": "oman",
    "BN": "brunei", "ID": "indonesia",
}

_DIGIT_WORDS: dict[str, str] = {
    "nol": "0", "kosong": "0", "zero": "0", "satu": "1", "one": "1", "dua": "2", "two": "2", "tiga": "3",
    "three": "3", "empat": "4", "four": "4", "lima": "5", "five": "5", "enam": "6", "six": "6",
    "tujuh": "7", "seven": "7", "delapan": "8", "lapan": "8", "eight": "8", "sembilan": "9", "nine": "9",
}
_LEET_TO_LETTER = {"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "9": "g"}
# Symbols written for letters inside a word (`b!aya`, `p!j@t`, `p|u$`); never in e-mails or handles.
_SYMBOL_TO_LETTER = {"!": "i", "@": "a", "$": "s", "|": "l"}
_SYMBOL_LEET = re.compile(
    r"(?<![\w@.])[a-z]+(?:[!@|][a-z]+|\$[a-z]*)+"
    r"(?![\w@\-]|\.[a-z]|\s?[\[({<]\s?(?:\.|dot|titik)|\s(?:\.|dot\b|titik\b))"  # not an e-mail's domain
)
# A token glued to these is part of an e-mail, URL or handle: rewriting it would corrupt the contact.
_ADDRESS_CHARS = frozenset("@._/:-+")
_LOOKALIKE_DIGIT = {"l": "1", "i": "1", "|": "1", "o": "0", "s": "5", "b": "8", "z": "2"}
# Short tokens with digits that are words, not leetspeak (agency names, school levels, units).
_KEEP_DIGIT_TOKENS = frozenset({
    "p3mi", "sip3mi", "bp3mi", "sip2mi", "bp2mi", "kp2mi", "p2mi", "pjtki", "mp3", "mp4", "b2b", "covid19", "k3",
    "s1", "s2", "s3", "d1", "d2", "d3", "d4", "4g", "5g", "3g", "24jam", "1x24", "2x24", "3x24", "7x24", "g20", "pph21",
    "e2e", "ms365", "web3", "h2o",
})

_REGIONAL_PAIR = re.compile("[\U0001F1E6-\U0001F1FF]{2}")
_SPACED_LETTERS = re.compile(r"(?<![\w])(?:[a-z0-9][ .\-_*·]{1,2}){3,}[a-z0-9](?![\w])")
_DIGIT_WORD_RUN = re.compile(
    r"\b(?:" + "|".join(_DIGIT_WORDS) + r")(?:[\s,.\-]+(?:" + "|".join(_DIGIT_WORDS) + r")){3,}\b"
)
_DIGIT_WORD = re.compile(r"\b(?:" + "|".join(_DIGIT_WORDS) + r")\b")
# A phone number read out from its trunk 0 with words and digits mixed (`nol delapan 12 3456 7890`).
_SPOKEN_NUMBER = re.compile(r"\b(?:nol|kosong|zero)(?:[\s,.\-]+(?:" + "|".join(_DIGIT_WORDS) + r"|\d{1,4}))+\b")
_TOKEN_WITH_DIGIT = re.compile(r"[a-z0-9|]*\d[a-z0-9|]*")
_NUMBER_UNIT = re.compile(r"\b(\d+(?:[.,]\d+)?)(jt|jta|juta|rb|rbu|ribu|k|thn|th|tahun|bln|hr|jam)\b")
_EMAIL_OBFUSCATION = re.compile(r"\s*[\[(]\s*(at|dot)\s*[\])]\s*")
_SLANG_WORD = re.compile(
    r"(?<![\w'\-.@])(?:" + "|".join(re.escape(k) for k in sorted(SLANG, key=len, reverse=True))
    + r")(?![\w'\-@]|\.\w)"
)
_UNTIL = re.compile(r"\bs\s?/\s?d\b|\bs\.d\.?")
_WHATSAPP_DOTTED = re.compile(r"\bw\.a\b\.?")
_SPACES = re.compile(r"[ \t\u00a0]{2,}|[ \t\u00a0]*\n[\s]*")


@dataclass(frozen=True)
class NormalisedText:
    """Normalised text plus, for each of its characters, the original span it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back onto the original text."""
        if not self.text or start >= end:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]


class _Editable:
    """Text with per-character origin spans that regex passes rewrite together."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = list(range(len(text)))
        self.ends = list(range(1, len(text) + 1))

    def sub(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]) -> None:
        """Replace each match by `replace(match)` (None keeps it); new chars map to the match's span."""
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        last = 0
        changed = False
        for match in pattern.finditer(self.text):
            new = replace(match)
            if new is None or new == match.group(0) or match.start() == match.end():
                continue
            changed = True
            a, b = match.start(), match.end()
            pieces.append(self.text[last:a])
            starts.extend(self.starts[last:a])
            ends.extend(self.ends[last:a])
            origin_start, origin_end = self.starts[a], self.ends[b - 1]
            if len(new) == b - a:  # same length: keep the finer per-character map
                starts.extend(self.starts[a:b])
                ends.extend(self.ends[a:b])
            else:
                starts.extend([origin_start] * len(new))
                ends.extend([origin_end] * len(new))
            pieces.append(new)
            last = b
        if not changed:
            return
        pieces.append(self.text[last:])
        starts.extend(self.starts[last:])
        ends.extend(self.ends[last:])
        self.text = "".join(pieces)
        self.starts, self.ends = starts, ends


def _fold_char(char: str) -> str:
    """One non-ASCII character to plain lowercase Latin, a meaningful word, a space, or nothing."""
    if char in HOMOGLYPHS:
        return HOMOGLYPHS[char]
    lowered = char.lower()
    if lowered in HOMOGLYPHS:
        return HOMOGLYPHS[lowered]
    if char in EMOJI_WORDS:
        return f" {EMOJI_WORDS[char]} "
    category = unicodedata.category(char)
    if category in ("Cf", "Cc", "Mn", "Me"):  # zero-width joiners, BOM, controls, variation selectors
        return "\n" if char in "\n\r\u2028\u2029" else (" " if char == "\t" else "")
    if category == "Zs":
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", folded).lower()
    if folded.isascii():
        return folded
    if category == "So" or category == "Sk":
        return " "
    return folded


def _unflag(match: re.Match[str]) -> str:
    code = "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in match.group(0))
    name = FLAG_COUNTRIES.get(code)
    return f" {name} " if name else " "


def _join_spaced(match: re.Match[str]) -> str:
    return re.sub(r"[ .\-_*·]", "", match.group(0))


def _digit_words(match: re.Match[str]) -> str:
    return "".join(_DIGIT_WORDS[w.group(0)] for w in _DIGIT_WORD.finditer(match.group(0)))


def _spoken_number(match: re.Match[str]) -> str | None:
    """`nol delapan 12 3456 7890` -> `081234567890`; fewer than two digit words is ordinary text."""
    items = re.findall(r"[a-z]+|\d+", match.group(0))
    digits = "".join(_DIGIT_WORDS.get(item, item) for item in items)
    spoken = sum(item in _DIGIT_WORDS for item in items)
    return digits if spoken >= 2 and 9 <= len(digits) <= 15 else None


def _undo_digit_tokens(match: re.Match[str]) -> str | None:
    """`g4ji` -> `gaji`; `08l2` -> `0812`: decide by whether letters or digits dominate the token."""
    token, text = match.group(0), match.string
    if token in _KEEP_DIGIT_TOKENS or len(token) < 4:
        return None
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    digits = sum(c.isdigit() for c in token)
    letters = len(token) - digits
    leading_leet = token[0] in _LEET_TO_LETTER and letters >= 3 and digits == 1  # `0pen`, `4dmin`
    if letters > digits and (token[0].isalpha() or leading_leet):
        # Leetspeak swaps single letters; digit runs (`tahun2022`) and a trailing `2` (`biaya2`,
        # Indonesian reduplication) are real digits.
        if re.search(r"\d\d", token) or token.endswith("2") or before in _ADDRESS_CHARS or after in _ADDRESS_CHARS:
            return None
        if all(c in _LEET_TO_LETTER or c.isalpha() for c in token):
            return "".join(_LEET_TO_LETTER.get(c, c) for c in token)
        return None
    if "|" in token and all(len(part) >= 3 and part.isdigit() for part in token.split("|")):
        return None  # `0812|3456|7890`: the bars separate digit groups
    if digits >= 3 and all(c.isdigit() or c in _LOOKALIKE_DIGIT for c in token):
        return "".join(_LOOKALIKE_DIGIT.get(c, c) for c in token)
    return None


def _split_number_unit(match: re.Match[str]) -> str:
    return f"{match.group(1)} {match.group(2)}"


def _slang(match: re.Match[str]) -> str | None:
    return SLANG.get(match.group(0))


def _squeeze_space(match: re.Match[str]) -> str:
    return "\n" if "\n" in match.group(0) else " "


def normalise(text: str) -> NormalisedText:
    """Lowercase Latin text with evasions undone; see the module docstring for what is undone."""
    editable = _Editable(text)
    if not text.isascii():
        editable.sub(_REGIONAL_PAIR, _unflag)
        editable.sub(re.compile(r"[^\x00-\x7f]"), lambda m: _fold_char(m.group(0)))
    lowered = editable.text.lower()
    if len(lowered) == len(editable.text):
        editable.text = lowered
    else:  # pragma: no cover - only non-ASCII survivors can change length when lowercased
        editable.sub(re.compile(r"[A-Z]"), lambda m: m.group(0).lower())
    editable.sub(re.compile(r"[\x00-\x08\x0b-\x1f\x7f]"), lambda m: "\n" if m.group(0) == "\r" else " ")
    editable.sub(_EMAIL_OBFUSCATION, lambda m: "@" if m.group(1) == "at" else ".")
    editable.sub(_SPOKEN_NUMBER, _spoken_number)
    editable.sub(_DIGIT_WORD_RUN, _digit_words)
    editable.sub(_SPACED_LETTERS, _join_spaced)
    editable.sub(_TOKEN_WITH_DIGIT, _undo_digit_tokens)
    editable.sub(_SYMBOL_LEET, lambda m: "".join(_SYMBOL_TO_LETTER.get(c, c) for c in m.group(0)))
    editable.sub(_NUMBER_UNIT, _split_number_unit)
    editable.sub(_UNTIL, lambda m: "sampai")
    editable.sub(_WHATSAPP_DOTTED, lambda m: "whatsapp")
    editable.sub(_SLANG_WORD, _slang)
    editable.sub(_SPACES, _squeeze_space)
    return NormalisedText(text, editable.text, tuple(editable.starts), tuple(editable.ends))
