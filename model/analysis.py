"""Turns ads into what the classifier and the desk need: normalised text, entities, indicator hits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from model.entities import Entities, extract_entities
from model.facts import LAWFUL, Fact, extract_facts
from model.indicators.catalogue import spec_by_name
from model.indicators.component import SPAN_KEY, indicator_pipeline
from model.indicators.derived import derive
from model.normalise import NormalisedText, normalise
from model.records import AdText, IndicatorHit


@dataclass(frozen=True)
class Analysis:
    """One ad, read: the text as matched, the entities, the indicators fired and the deciding facts.

    Every span (hits, facts, entities) is an offset into `ad.full_text`, the text the analyst sees.
    """

    ad: AdText
    normalised: NormalisedText
    entities: Entities
    hits: tuple[IndicatorHit, ...]
    facts: tuple[Fact, ...] = ()

    @property
    def text(self) -> str:
        return self.normalised.text

    @property
    def fired(self) -> frozenset[str]:
        return frozenset(hit.name for hit in self.hits)


def _pattern_hits(norm: NormalisedText, spans: Iterable[object]) -> list[IndicatorHit]:
    specs = spec_by_name()
    hits = []
    for span in spans:
        label = span.label_  # type: ignore[attr-defined]
        start, end = norm.original_span(span.start_char, span.end_char)  # type: ignore[attr-defined]
        hits.append(IndicatorHit(label, specs[label].category, norm.original[start:end], start, end))
    return hits


def analyse(ads: Sequence[AdText], batch_size: int = 64) -> list[Analysis]:
    """Read every ad once; training, scoring and the desk all call this, so they see the same facts."""
    normalised = [normalise(ad.full_text) for ad in ads]
    docs = indicator_pipeline().pipe((norm.text for norm in normalised), batch_size=batch_size)
    analyses = []
    for ad, norm, doc in zip(ads, normalised, docs, strict=True):
        entities = extract_entities(norm)
        hits = tuple(sorted(derive(norm, entities, _pattern_hits(norm, doc.spans[SPAN_KEY])),
                            key=lambda h: (h.start, h.name)))
        facts = extract_facts(norm, entities, hits)
        analyses.append(Analysis(ad, norm, entities, _without_denied_costs(hits, facts), facts))
    return analyses


# Fee words an ad states as lawful: "biaya proses ditanggung majikan" holds "biaya proses", but says the
# employer pays it. A fee indicator inside a lawful cost fact (or a denied fee/deposit) is not a red flag.
_COST_CATEGORIES = frozenset({"upfront_fee", "debt_bondage", "money_or_otp_asked"})


def _without_denied_costs(hits: tuple[IndicatorHit, ...], facts: tuple[Fact, ...]) -> tuple[IndicatorHit, ...]:
    cleared = [fact for fact in facts if fact.kind in ("cost", "money")
               and (fact.counts_as == LAWFUL or fact.negated)]
    return tuple(hit for hit in hits if hit.category not in _COST_CATEGORIES
                 or not any(fact.start <= hit.start and hit.end <= fact.end for fact in cleared))


def find_indicators(text: str) -> list[IndicatorHit]:
    """The indicators one text fires (spans into `text`)."""
    return list(analyse([AdText(ad_id="-", text=text)])[0].hits)
