"""Conservative repairs of Tesseract's recurring mistakes on posters, each one measured to lower the error rate.

Only mistakes seen again and again on rendered posters (benchmarks/ocr.py, development seed kept apart
from the reported one) are repaired, and only where the repair cannot change what an honest ad said:

- icons and emoji bullets read as a stray symbol at the start of a line (`@ Lokasi:`, `© Gaji`, `Vv Mess`);
- lines of nothing but rules and frame edges (`|`, `—`, `_`);
- curly quotes, which the ad text almost never had (posters' fonts curl them), as straight ones;
- `#62` for the country code `+62` in a phone number;
- `gu` for `qu` in the English words loker ads use (`Reguirement`): the Indonesian model has no `q`;
- `/bin` for `/bln` (*bulan*, per month) after an amount.

Deliberately left alone: `l`/`I`/`1` and `O`/`0` swaps inside words (on posters these are as often the
advertiser's own evasions, which model/normalise.py reads and flags, as OCR errors), `rn`/`m` (not seen),
joining words across lines (posters break lines between words, so there was nothing to join).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Line-initial tokens that Tesseract made of icons (the ones seen on the development posters): never a
# word of an ad, never a contact (`@handle`, `+62...` are one token with what follows). Symbols that can
# start an honest line (`€ 1.200`, `= 5 juta`, `- item`, `: Jakarta`) are not in the list.
_ICON_TOKENS = frozenset({"@", "©", "®", "¥", "»", "«", "°", "•", "*", "v", "vv", "Vv", "'", '"'})
_SYMBOL_LINE = re.compile(r"^[\W_]*$")
_CURLY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "„": '"'})
_COUNTRY_CODE = re.compile(r"(?<![\w+])#\s?62(?=[\s.\-]?\d)")
_PER_MONTH = re.compile(r"(?:(?<=[\w.,)]/)|(?<=[\w.,)] /))bin(?![\w/])", re.IGNORECASE)
# English words of job ads that Tesseract's Indonesian model reads with `g` for `q`.
_QU_WORDS = re.compile(r"\b(re|)(g)(ui(?:re|red|res|rement|rements|ring)|uivalent|ualification|ualifications|ualified|"
                       r"uality|uote|uick|uiet|uestion|uestions)\b", re.IGNORECASE)
_EQ_WORDS = re.compile(r"\b(e)(g)(uivalent|uipment)\b", re.IGNORECASE)


def _q_for_g(match: re.Match[str]) -> str:
    prefix, g, rest = match.group(1), match.group(2), match.group(3)
    return prefix + ("Q" if g.isupper() else "q") + rest


def strip_icon(line: str) -> str:
    first, _, rest = line.strip().partition(" ")
    return rest.strip() if first in _ICON_TOKENS and rest.strip() else line


def straight_quotes(line: str) -> str:
    return line.translate(_CURLY)


def country_code(line: str) -> str:
    return _COUNTRY_CODE.sub("+62", line)


def per_month(line: str) -> str:
    return _PER_MONTH.sub(lambda match: "BLN" if match.group(0) == "BIN" else "bln", line)


def english_qu(line: str) -> str:
    return _EQ_WORDS.sub(_q_for_g, _QU_WORDS.sub(_q_for_g, line))


# Repairs of one line, by name (benchmarks/ocr.py measures each); `symbol_lines` drops word-less lines.
LINE_REPAIRS: dict[str, Callable[[str], str]] = {
    "straight_quotes": straight_quotes,
    "strip_icon": strip_icon,
    "country_code": country_code,
    "per_month": per_month,
    "english_qu": english_qu,
}
ALL_REPAIRS: tuple[str, ...] = ("symbol_lines", *LINE_REPAIRS)


def tidy_ocr_text(text: str, repairs: tuple[str, ...] = ALL_REPAIRS) -> str:
    """The OCR text with the named repairs; line structure is kept (blank line between blocks)."""
    unknown = set(repairs) - set(ALL_REPAIRS)
    if unknown:
        raise ValueError(f"unknown OCR text repair(s) {sorted(unknown)}; known: {list(ALL_REPAIRS)}")
    lines = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if line and "symbol_lines" in repairs and _SYMBOL_LINE.match(line):
            continue
        for name, repair in LINE_REPAIRS.items():
            if name in repairs and line:
                line = repair(line).strip()
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
