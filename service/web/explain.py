"""An ad's reasons for the analyst: the text cut into highlighted segments (red flags and deciding facts),
one row per indicator, the deciding facts by effect, and what moved the score.

The Bahasa label and the one sentence on *why* the words matter come from the indicator's own entry in
the catalogue, a fact's from `model.facts.FACT_INFO`, through `service.display`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from model.facts import FACT_INFO, ILLEGAL, LAWFUL
from service.display.citations import citation
from service.display.labels import fact_label, indicator_label, indicator_why
from service.store.ads import POSTER_HEADING

SIGNAL_NAMES = frozenset({"licence_claim", "selection_process", "named_employer", "domestic_work"})
# How a fact is marked: illegal red, lawful green, denied or warned against grey, context (what and where) plain.
FACT_TONES = ("illegal", "lawful", "denied", "context")
FACT_TONE_LABELS = {"illegal": "melanggar aturan", "lawful": "sesuai aturan", "denied": "disangkal/diperingatkan",
                    "context": "konteks"}
UNKNOWN_FACT = "Fakta lain"


def is_signal(name: str) -> bool:
    """Indicators that argue *for* an ad are shown apart (green), not as red flags."""
    return name in SIGNAL_NAMES


def fact_tone(fact: Mapping[str, Any]) -> str:
    """illegal / lawful / denied / context: what the fact means as the ad states it."""
    if fact.get("negated"):
        return "denied"
    return {ILLEGAL: "illegal", LAWFUL: "lawful"}.get(str(fact.get("effect")), "context")


@dataclass(frozen=True)
class FactMark:
    key: str
    label: str
    tone: str


@dataclass(frozen=True)
class Segment:
    """A run of ad text; `names` are the indicators covering it, `facts` the deciding facts (empty: plain)."""

    text: str
    names: tuple[str, ...] = ()
    facts: tuple[FactMark, ...] = ()

    @property
    def signal_only(self) -> bool:
        return bool(self.names) and all(is_signal(n) for n in self.names)

    @property
    def marked(self) -> bool:
        return bool(self.names or self.facts)

    @property
    def fact_tone(self) -> str | None:
        """The strongest tone among the facts covering the words (an illegal reading wins), None without facts."""
        tones = {mark.tone for mark in self.facts}
        return next((tone for tone in FACT_TONES if tone in tones), None)

    @property
    def mark_class(self) -> str:
        """CSS classes of the words: a deciding fact's tone, else the red flag (or signal), else context."""
        tone = self.fact_tone
        if tone in ("illegal", "lawful", "denied"):
            return f"hl-fact fact-{tone}"
        if self.names:
            return "hl-signal" if self.signal_only else "hl-flag"
        return "hl-fact fact-context"


def _fits(text: str, span: Mapping[str, Any]) -> bool:
    start, end = span.get("start"), span.get("end")
    if not (isinstance(start, int) and isinstance(end, int)):
        return False
    return 0 <= start < end <= len(text) and (not span.get("text") or text[start:end] == span.get("text"))


def highlight(text: str, hits: Iterable[Mapping[str, Any]],
              facts: Iterable[Mapping[str, Any]] = ()) -> list[Segment]:
    """Cut `text` at every span boundary so overlapping indicators and facts each keep their words marked.

    Spans come from the scorer as offsets into the ad's full text (`AdText.full_text`); spans that do not fit
    the text (or whose words no longer match, after an edit) are skipped rather than mis-marked.
    """
    spans: list[tuple[int, int, str | FactMark]] = []
    for hit in hits:
        if _fits(text, hit) and isinstance(hit.get("name"), str):
            spans.append((hit["start"], hit["end"], hit["name"]))
    for fact in facts:
        if _fits(text, fact):
            key = f"{fact.get('kind')}:{fact.get('value')}"
            spans.append((fact["start"], fact["end"], FactMark(key, fact_label(key) or UNKNOWN_FACT,
                                                                 fact_tone(fact))))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for left, right in pairwise(cuts):
        covering = [mark for s, e, mark in spans if s <= left and right <= e]
        names = tuple(sorted({m for m in covering if isinstance(m, str)}))
        marks = tuple(sorted({m for m in covering if isinstance(m, FactMark)}, key=lambda m: (m.tone, m.key)))
        segments.append(Segment(text[left:right], names, marks))
    return segments


def _cut(segments: list[Segment], offset: int) -> tuple[list[Segment], list[Segment]]:
    """The segments before and after a character offset (a segment across it is split in two)."""
    before: list[Segment] = []
    after: list[Segment] = []
    position = 0
    for segment in segments:
        end = position + len(segment.text)
        if end <= offset:
            before.append(segment)
        elif position >= offset:
            after.append(segment)
        else:
            before.append(replace(segment, text=segment.text[: offset - position]))
            after.append(replace(segment, text=segment.text[offset - position:]))
        position = end
    return before, after


def split_at_poster(segments: list[Segment], full_text: str,
                    ocr_text: str | None) -> tuple[list[Segment], list[Segment]]:
    """The highlighted caption and the highlighted poster text, so the page can show the poster's words beside
    its image; the heading line between them is dropped (the page has its own). Unsplit when there is no poster
    text at the end of `full_text` (`service.store.ads.with_poster_text`)."""
    poster = (ocr_text or "").strip()
    heading = f"{POSTER_HEADING}\n"
    start = len(full_text) - len(poster)
    if not poster or not full_text.endswith(poster) or full_text[start - len(heading):start] != heading:
        return segments, []
    caption, rest = _cut(segments, start - len(heading))
    _, poster_segments = _cut(rest, len(heading))
    while caption and not caption[-1].text.strip() and not caption[-1].marked:
        caption.pop()
    if caption and not caption[-1].marked:
        caption[-1] = replace(caption[-1], text=caption[-1].text.rstrip())
    return caption, poster_segments


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


def fact_rows(facts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per fact key and tone (illegal first, then lawful, denied, context), with its words and source."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for fact in facts:
        key = f"{fact.get('kind')}:{fact.get('value')}"
        tone = fact_tone(fact)
        info = FACT_INFO.get(key)
        row = rows.setdefault((key, tone), {"key": key, "tone": tone, "tone_label": FACT_TONE_LABELS[tone],
                                            "label": info.label if info else UNKNOWN_FACT, "phrases": [],
                                            "source": citation(info.source).text if info else None})
        phrase = str(fact.get("text", "")).strip()
        if phrase and phrase not in row["phrases"]:
            row["phrases"].append(phrase)
    return sorted(rows.values(), key=lambda r: (FACT_TONES.index(r["tone"]), r["label"]))
