"""Contact handles visible in an ad (Telegram/WhatsApp links, @handles, e-mail), kept as the source wrote them.

Normalising evasive phone spellings is the model's job; here we only keep what is plainly there so
an analyst can follow a lead straight from the stored ad.
"""

from __future__ import annotations

import re

_PATTERNS = (
    re.compile(r"(?:https?://)?(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?\+?\d{8,15}", re.IGNORECASE),
    re.compile(r"(?:https?://)?(?:t\.me|telegram\.me)/[A-Za-z0-9_+]{3,64}", re.IGNORECASE),
    re.compile(r"(?<![\w.@])@[A-Za-z][A-Za-z0-9_]{3,31}\b"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?<![\d/])(?:\+62[\s.-]?|62|0)8\d{1,3}[\s.-]?\d{3,4}[\s.-]?\d{3,5}(?!\d)"),
)


def find_contacts(text: str) -> list[str]:
    """Distinct contact strings in order of appearance."""
    found: list[tuple[int, str]] = []
    for pattern in _PATTERNS:
        found.extend((m.start(), m.group(0)) for m in pattern.finditer(text))
    seen: set[str] = set()
    out: list[str] = []
    for _, value in sorted(found):
        if value not in seen and not any(value in other for other in seen):
            seen.add(value)
            out.append(value)
    return out
