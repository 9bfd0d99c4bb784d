"""Reads the seeded name-mention sentences (tests/fixtures/research/name_mentions.txt) and scores a name
finder on them: the share of marked names it replaces whole, and what it replaces that is not a name.

In the file, `{Lina Susanti}` marks one mention of a name and `<PT Sinar Jaya>` words that must stay;
the marks are taken out before the finder sees the sentence.

`python -m tests.name_mentions` prints the score of the export's finder, then every word it would replace
in the writers' ads (labelled_data/writers/, text its word lists were not built from), to be read by eye.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

MENTIONS_FILE = Path(__file__).parent / "fixtures" / "research" / "name_mentions.txt"
WRITERS = Path(__file__).parent.parent / "labelled_data" / "writers"
# Names the test store knows from ad fields; the "known names" group has no cue and needs them.
KNOWN_NAMES = ("Siti Rahma", "Andi Wijaya")
_MARK = re.compile(r"\{(?P<name>[^}]+)\}|<(?P<keep>[^>]+)>")

Span = tuple[int, int]


@dataclass(frozen=True)
class Sentence:
    group: str
    text: str
    mentions: tuple[Span, ...]
    keep: tuple[Span, ...]

    def said(self, span: Span) -> str:
        return self.text[span[0]:span[1]]


@dataclass
class Score:
    mentions: int = 0
    replaced: int = 0
    negatives: int = 0
    negatives_touched: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)  # (name, sentence)
    false: list[tuple[str, str]] = field(default_factory=list)  # (replaced words, sentence)

    @property
    def replacement_rate(self) -> float:
        return self.replaced / self.mentions if self.mentions else 0.0

    @property
    def negative_false_rate(self) -> float:
        return self.negatives_touched / self.negatives if self.negatives else 0.0


def load_sentences(path: Path = MENTIONS_FILE) -> list[Sentence]:
    sentences: list[Sentence] = []
    group = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            group = line[3:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        text = ""
        mentions: list[Span] = []
        keep: list[Span] = []
        position = 0
        for match in _MARK.finditer(line):
            text += line[position:match.start()]
            inner = match.group("name") or match.group("keep")
            (mentions if match.group("name") else keep).append((len(text), len(text) + len(inner)))
            text += inner
            position = match.end()
        text += line[position:]
        sentences.append(Sentence(group, text, tuple(mentions), tuple(keep)))
    return sentences


def _covered(span: Span, replaced: list[Span], text: str) -> bool:
    """Every letter of `span` lies inside a replaced span."""
    return all(any(a <= i < b for a, b in replaced) for i in range(*span) if text[i].isalpha())


def _overlaps(span: Span, others: tuple[Span, ...] | list[Span]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in others)


def score(sentences: list[Sentence], find: Callable[[str], list[Span]]) -> Score:
    """Score `find`, which returns the spans of `text` it would replace as names."""
    result = Score()
    for sentence in sentences:
        replaced = find(sentence.text)
        for mention in sentence.mentions:
            result.mentions += 1
            if _covered(mention, replaced, sentence.text):
                result.replaced += 1
            else:
                result.missed.append((sentence.said(mention), sentence.text))
        wrong = [span for span in replaced if not _overlaps(span, sentence.mentions) or _overlaps(span, sentence.keep)]
        for span in wrong:
            result.false.append((sentence.said(span), sentence.text))
        if not sentence.mentions:
            result.negatives += 1
            result.negatives_touched += bool(wrong)
    return result


def replaced_in_ads(paths: Iterable[Path],
                    find: Callable[[str], list[Span]]) -> tuple[Counter[str], dict[str, str], int]:
    """What `find` replaces in the title and text of labelled-data files: each replaced string with its count,
    one place it was seen (for reading by eye), and how many words the ads hold."""
    replaced: Counter[str] = Counter()
    seen_in: dict[str, str] = {}
    words = 0
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                for text in (record.get("title") or "", record["text"]):
                    words += len(re.findall(r"[^\W\d_]+", text))
                    for start, end in find(text):
                        replaced[text[start:end]] += 1
                        seen_in.setdefault(text[start:end], text[max(0, start - 40):end + 30].replace("\n", " "))
    return replaced, seen_in, words


def main() -> None:
    from service.research.known_names import KnownNames
    from service.research.person_names import find_person_names

    known = KnownNames.from_written(KNOWN_NAMES)
    result = score(load_sentences(), lambda text: [(m.start, m.end) for m in find_person_names(text, known)])
    print(f"seeded: {result.replaced}/{result.mentions} name mentions replaced ({result.replacement_rate:.2%}); "
          f"{result.negatives_touched}/{result.negatives} negative sentences touched; "
          f"{len(result.false)} spans replaced that are not names")
    for name, text in result.missed:
        print(f"  missed {name!r}: {text}")
    for words, text in result.false:
        print(f"  false {words!r}: {text}")
    replaced, seen_in, word_count = replaced_in_ads(sorted(WRITERS.glob("*.jsonl")),
                                                    lambda text: [(m.start, m.end) for m in find_person_names(text)])
    print(f"writers' ads: {sum(replaced.values())} replacements ({len(replaced)} distinct) in {word_count} words")
    for written, count in sorted(replaced.items(), key=lambda item: item[0].lower()):
        print(f"  {count:3d} {written!r:28} {seen_in[written]}")


if __name__ == "__main__":
    main()
