"""Character and word error rates of OCR output against the text that was drawn.

Both texts are compared with whitespace runs collapsed to one space: where a poster wrapped its lines
is layout, not content, and OCR cannot be blamed for reading a wrapped line as one. Case counts (an
`l` read as `I` is an error). The edit distance runs row by row in numpy, so a 2,000-character poster
costs milliseconds instead of seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def edit_distance(reference: Sequence[int], hypothesis: Sequence[int]) -> int:
    """Levenshtein distance between two sequences of integer symbols."""
    if not reference:
        return len(hypothesis)
    if not hypothesis:
        return len(reference)
    ref = np.asarray(reference, dtype=np.int64)
    hyp = np.asarray(hypothesis, dtype=np.int64)
    offsets = np.arange(len(hyp) + 1, dtype=np.int64)
    previous = offsets.copy()
    for index, symbol in enumerate(ref, start=1):
        substitution = previous[:-1] + (hyp != symbol)
        best = np.empty_like(previous)
        best[0] = index
        best[1:] = np.minimum(previous[1:] + 1, substitution)
        # Insertions chain along the row: row[j] = min over k <= j of best[k] + (j - k).
        previous = np.minimum.accumulate(best - offsets) + offsets
    return int(previous[-1])


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


def character_errors(truth: str, read: str) -> tuple[int, int]:
    """(edits, reference length) at character level, on whitespace-collapsed text."""
    reference, hypothesis = collapse_whitespace(truth), collapse_whitespace(read)
    return edit_distance([ord(c) for c in reference], [ord(c) for c in hypothesis]), len(reference)


def word_errors(truth: str, read: str) -> tuple[int, int]:
    """(edits, reference word count) at word level; punctuation stays part of its word."""
    reference, hypothesis = truth.split(), read.split()
    vocabulary: dict[str, int] = {}
    ref_ids = [vocabulary.setdefault(word, len(vocabulary)) for word in reference]
    hyp_ids = [vocabulary.setdefault(word, len(vocabulary)) for word in hypothesis]
    return edit_distance(ref_ids, hyp_ids), len(reference)


def cer(truth: str, read: str) -> float:
    edits, length = character_errors(truth, read)
    return edits / max(length, 1)


def wer(truth: str, read: str) -> float:
    edits, length = word_errors(truth, read)
    return edits / max(length, 1)


@dataclass
class ErrorTally:
    """Corpus-level rates: total edits over total reference length, so long posters weigh more."""

    char_edits: int = 0
    chars: int = 0
    word_edits: int = 0
    words: int = 0
    documents: int = 0

    def add(self, truth: str, read: str) -> None:
        char_edits, chars = character_errors(truth, read)
        word_edits, words = word_errors(truth, read)
        self.char_edits += char_edits
        self.chars += chars
        self.word_edits += word_edits
        self.words += words
        self.documents += 1

    @property
    def cer(self) -> float:
        return self.char_edits / max(self.chars, 1)

    @property
    def wer(self) -> float:
        return self.word_edits / max(self.words, 1)
