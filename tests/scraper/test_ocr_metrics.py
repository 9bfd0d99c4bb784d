"""The error rates every OCR number rests on: the fast edit distance agrees with the textbook one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ocr_metrics import ErrorTally, cer, edit_distance, wer


def textbook_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcl1 ", max_size=30), st.text(alphabet="abcl1 ", max_size=30))
def test_the_vectorised_distance_matches_the_textbook_one(a: str, b: str) -> None:
    assert edit_distance([ord(c) for c in a], [ord(c) for c in b]) == textbook_distance(a, b)


def test_rates_ignore_line_wrapping_but_count_case_and_lost_words() -> None:
    assert cer("Gaji besar\nPaspor ditahan", "Gaji besar Paspor  ditahan") == 0.0
    assert cer("Gaji", "gaji") == 0.25
    assert wer("paspor ditahan agen", "paspor agen") == 1 / 3
    tally = ErrorTally()
    tally.add("abcd", "abcd")
    tally.add("abcdefgh", "")
    assert (tally.char_edits, tally.chars, tally.documents) == (8, 12, 2)
    assert tally.cer == 8 / 12
