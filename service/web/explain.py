"""An ad's red flags for the analyst: the text cut into highlighted segments, one row per indicator.

The Bahasa label and the one sentence on *why* the words matter come from the indicator's own entry in
the catalogue, through `service.display.labels`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from service.display.labels import indicator_label, indicator_why

SIGNAL_NAMES = frozenset({"licence_claim", "selection_process", "named_employer", "domestic_work"})


def is_signal(name: str) -> bool:
    """Indicators that argue *for* an ad are shown apart (green), not as red flags."""
    return name in SIGNAL_NAMES


@dataclass(frozen=True)
class Segment:
    """A run of ad text; `names` are the indicators covering it (empty: plain text)."""

    text: str
    names: tuple[str, ...] = ()

    @property
    def signal_only(self) -> bool:
        return bool(self.names) and all(is_signal(n) for n in self.names)


def highlight(text: str, hits: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """Cut `text` at every span boundary so overlapping indicators each keep their words marked.

    Spans come from the scorer as offsets into the ad's full text (`AdText.full_text`); hits whose span does not fit
    the text (or whose words no longer match, after an edit) are skipped rather than mis-marked.
    """
    spans: list[tuple[int, int, str]] = []
    for hit in hits:
        start, end, name = hit.get("start"), hit.get("end"), hit.get("name")
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(name, str)):
            continue
        if 0 <= start < end <= len(text) and (not hit.get("text") or text[start:end] == hit.get("text")):
            spans.append((start, end, name))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for left, right in pairwise(cuts):
        names = tuple(sorted({n for s, e, n in spans if s <= left and right <= e}))
        segments.append(Segment(text[left:right], names))
    return segments


def unique_hits(hits: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per indicator (red flags first), with every phrase that fired it."""
    by_name: dict[str, dict[str, Any]] = {}
    for hit in hits:
        name = str(hit.get("name", ""))
        if not name:
            continue
        row = by_name.setdefault(name, {"name": name, "category": hit.get("category"), "phrases": [],
                                        "label": indicator_label(name, hit.get("category")),
                                        "why": indicator_why(name, hit.get("category")),
                                        "signal": is_signal(name)})
        phrase = str(hit.get("text", "")).strip()
        if phrase and phrase not in row["phrases"]:
            row["phrases"].append(phrase)
    return sorted(by_name.values(), key=lambda r: (r["signal"], r["label"]))
