"""Plain records of what OCR read from a poster: the text, how sure the engine was, and where each word sat."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcrWord:
    """One recognised word: its pixel box in the decoded image and Tesseract's confidence (0-1)."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    line: int  # running line number over the whole image, so words can be regrouped into lines


@dataclass(frozen=True)
class OcrResult:
    """A poster's text as OCR read it.

    `confidence` is the mean word confidence (0-1; 0 when no word was found): a low value says the text
    is unreliable, e.g. a photo with no real text in it. `engine_version`, `preprocessing` and
    `page_segmentation_mode` name exactly what produced the text, so a result can be reproduced and compared
    with a later engine; `read_pass` says whether the default pass or the fallback pass (tried when the
    default found almost no words; `scraper.ocr.OcrConfig`) gave it.
    """

    text: str
    confidence: float
    words: tuple[OcrWord, ...]
    engine_version: str
    languages: str
    preprocessing: tuple[str, ...]
    image_size: tuple[int, int]
    read_pass: str = "default"  # "default" or "fallback"
    page_segmentation_mode: int = 3
