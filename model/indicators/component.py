"""The spaCy pipeline component that fires the pattern indicators of the catalogue on a Doc."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from model.indicators.catalogue import catalogue
from model.indicators.spec import IndicatorSpec

SPAN_KEY = "indicators"
COMPONENT_NAME = "lokerwatch_indicators"
# Words that turn a fee or a deduction into its denial ("tanpa biaya", "tidak ada potongan",
# "jangan transfer"); warnings quoted in legitimate ads must not read as red flags.
NEGATORS = frozenset({"tanpa", "tidak", "bebas", "gratis", "bukan", "no", "zero", "nol", "jangan",
                      "dilarang", "tak", "never", "waspada", "hati-hati", "hindari"})
_NEGATION_WINDOW = 4


class IndicatorMatcher:
    """Runs the catalogue's PhraseMatcher and Matcher patterns and stores hits in `doc.spans`.

    Stop words are never removed: spaCy's Indonesian list holds `tidak`, `tanpa` and `luar`, which
    are half of the red flags.
    """

    def __init__(self, nlp: Language, specs: Sequence[IndicatorSpec]) -> None:
        self.specs = {spec.name: spec for spec in specs}
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab)
        for spec in specs:
            if spec.phrases:
                self.phrase_matcher.add(spec.name, [nlp.make_doc(phrase) for phrase in spec.phrases])
            if spec.patterns:
                self.matcher.add(spec.name, [list(pattern) for pattern in spec.patterns])

    def _negated(self, doc: Doc, start: int) -> bool:
        """A negator within the few words before the hit, in the same clause."""
        for token in reversed(doc[max(0, start - _NEGATION_WINDOW):start]):
            if token.is_punct or "\n" in token.text or token.is_space:
                return False
            if token.lower_ in NEGATORS:
                return True
        return False

    def __call__(self, doc: Doc) -> Doc:
        by_name: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in [*self.phrase_matcher(doc), *self.matcher(doc)]:
            name = doc.vocab.strings[match_id]
            if self.specs[name].negatable and self._negated(doc, start):
                continue
            by_name.setdefault(name, []).append((start, end))
        spans = []
        for name, matches in by_name.items():
            # keep the longest of overlapping matches of one indicator ("tiket pesawat gratis" over "gratis")
            matches.sort(key=lambda m: (m[0], -m[1]))
            last_end = -1
            for start, end in matches:
                if end <= last_end:
                    continue
                spans.append(Span(doc, start, end, label=name))
                last_end = end
        doc.spans[SPAN_KEY] = sorted(spans, key=lambda span: (span.start, span.end))
        return doc


@Language.factory(COMPONENT_NAME)
def make_indicator_matcher(nlp: Language, name: str) -> IndicatorMatcher:
    """Registered so the indicator matcher is added like any spaCy component: nlp.add_pipe(name)."""
    return IndicatorMatcher(nlp, catalogue())


_TOKEN = re.compile(r"\w+(?:[-'.]\w+)*|\S|\s")


class NormalisedTokenizer:
    """Splits already-normalised text into words, punctuation and line breaks.

    The blank Indonesian tokenizer's many affix rules cost ~3.5 ms an ad and are there for raw
    text; on normalised text this split gives the same tokens for every indicator phrase (phrases
    are tokenised by it too) at a tenth of the cost, which keeps scoring within the speed budget.
    """

    def __init__(self, vocab: object) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for match in _TOKEN.finditer(text):
            token = match.group(0)
            if token == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                continue
            words.append(token)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)  # type: ignore[arg-type]


TOKENIZER_NAME = "lokerwatch.normalised_tokenizer.v1"


@spacy.registry.tokenizers(TOKENIZER_NAME)
def make_normalised_tokenizer() -> Callable[[Language], NormalisedTokenizer]:
    """Registered so `spacy.blank("id")` builds it instead of the default tokenizer.

    Building the default Indonesian tokenizer loads ~16,000 special cases (seconds of start-up
    for every process); the indicators never use it.
    """

    def create(nlp: Language) -> NormalisedTokenizer:
        return NormalisedTokenizer(nlp.vocab)

    return create


@lru_cache(maxsize=1)
def indicator_pipeline() -> Language:
    """`spacy.blank("id")` (no downloaded model) with the normalised-text tokenizer and the indicator matcher."""
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    nlp.add_pipe(COMPONENT_NAME)
    return nlp
