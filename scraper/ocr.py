"""Read a poster's text with the Tesseract command-line engine: words, boxes, confidences, under a time limit.

The CLI (Debian's `tesseract-ocr` + `tesseract-ocr-ind`) is run as a subprocess rather than through a
binding, so a pathological image can be killed at the deadline without taking the caller down. The image
goes in on stdin as uncompressed PNM and TSV comes back on stdout: no temporary files. Tesseract runs
single-threaded (OMP_THREAD_LIMIT=1): its OpenMP threads gain little on one image and fight the other jobs
for the cores; throughput comes from running several images side by side.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from dataclasses import dataclass, field, replace
from functools import cache

from PIL import Image

from scraper.images import ImageLimits, decode_image
from scraper.ocr_preprocess import DEFAULT_STEPS, prepare
from scraper.ocr_records import OcrResult, OcrWord


class OcrError(Exception):
    """OCR could not run on an image; the message says why and what to do."""


class OcrUnavailable(OcrError):
    """The engine or a language pack is not installed."""


class OcrTimeout(OcrError):
    """The engine did not finish within the configured time and was killed."""


@dataclass(frozen=True)
class OcrConfig:
    """How to run Tesseract.

    `ind+eng`: loker posters mix Indonesian with English job titles and benefits ("Staff Admin",
    "fresh graduate welcome"). Page segmentation mode 3 (automatic, the default) handles headline plus
    body layouts. `preprocessing` names the clean-up steps (see `scraper.ocr_preprocess`), in order.
    """

    tesseract_cmd: str = "tesseract"
    languages: str = "ind+eng"
    page_segmentation_mode: int = 3
    timeout_seconds: float = 30.0
    preprocessing: tuple[str, ...] = DEFAULT_STEPS
    extra_options: tuple[str, ...] = field(default_factory=tuple)  # further `-c name=value` pairs


@cache
def engine_version(tesseract_cmd: str = "tesseract") -> str:
    """`tesseract 5.3.0`-style version of the engine, recorded with every result."""
    try:
        completed = subprocess.run([tesseract_cmd, "--version"], capture_output=True, timeout=30, check=False)
    except FileNotFoundError as error:
        raise OcrUnavailable(f"Tesseract is not installed ({tesseract_cmd!r} not found): "
                             "apt-get install -y tesseract-ocr tesseract-ocr-ind") from error
    except subprocess.TimeoutExpired as error:
        raise OcrUnavailable(f"{tesseract_cmd} --version did not answer within 30 s") from error
    first_line = (completed.stdout or completed.stderr).decode("utf-8", "replace").strip().splitlines()
    if completed.returncode != 0 or not first_line:
        raise OcrUnavailable(f"{tesseract_cmd} --version failed with exit code {completed.returncode}")
    return first_line[0].strip()


def _as_pnm(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")  # PGM for greyscale, PBM for 1-bit: Leptonica reads all three
    return buffer.getvalue()


def run_tesseract(image: Image.Image, config: OcrConfig | None = None) -> str:
    """Tesseract's TSV output for an already prepared image; raises OcrUnavailable/OcrTimeout/OcrError."""
    config = config or OcrConfig()
    command = [config.tesseract_cmd, "stdin", "stdout", "-l", config.languages,
               "--psm", str(config.page_segmentation_mode)]
    for option in config.extra_options:
        command += ["-c", option]
    command.append("tsv")
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        completed = subprocess.run(command, input=_as_pnm(image), capture_output=True, env=environment,
                                   timeout=config.timeout_seconds, check=False)
    except FileNotFoundError as error:
        raise OcrUnavailable(f"Tesseract is not installed ({config.tesseract_cmd!r} not found): "
                             "apt-get install -y tesseract-ocr tesseract-ocr-ind") from error
    except subprocess.TimeoutExpired as error:  # subprocess.run has already killed and reaped the child
        raise OcrTimeout(f"Tesseract did not finish a {image.width}x{image.height} image within "
                         f"{config.timeout_seconds:g} s and was stopped") from error
    stderr = completed.stderr.decode("utf-8", "replace")
    if completed.returncode != 0:
        if "Failed loading language" in stderr or "Error opening data file" in stderr:
            packages = " ".join(f"tesseract-ocr-{lang}" for lang in config.languages.split("+"))
            raise OcrUnavailable(f"Tesseract has no data for languages {config.languages!r}: "
                                 f"apt-get install -y {packages}")
        last_lines = " | ".join(stderr.strip().splitlines()[-3:])
        raise OcrError(f"Tesseract failed with exit code {completed.returncode}: {last_lines}")
    return completed.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str) -> tuple[str, tuple[OcrWord, ...]]:
    """Text (lines in reading order, blank line between blocks) and the words of Tesseract's TSV."""
    words: list[OcrWord] = []
    lines: list[list[str]] = []
    line_keys: dict[tuple[int, int, int, int], int] = {}
    block_starts: set[int] = set()
    last_block: tuple[int, int] | None = None
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        key = (int(row["page_num"]), int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        if key not in line_keys:
            line_keys[key] = len(lines)
            if last_block is not None and key[:2] != last_block:
                block_starts.add(len(lines))
            last_block = key[:2]
            lines.append([])
        text = row["text"].strip()
        lines[line_keys[key]].append(text)
        words.append(OcrWord(text=text, confidence=max(0.0, float(row["conf"])) / 100.0, left=int(row["left"]),
                             top=int(row["top"]), width=int(row["width"]), height=int(row["height"]),
                             line=line_keys[key]))
    rendered = [("\n" if index in block_starts else "") + " ".join(line) for index, line in enumerate(lines)]
    return "\n".join(rendered), tuple(words)


def _rescaled(word: OcrWord, x_scale: float, y_scale: float) -> OcrWord:
    return replace(word, left=round(word.left * x_scale), top=round(word.top * y_scale),
                   width=max(1, round(word.width * x_scale)), height=max(1, round(word.height * y_scale)))


def read_image(image: Image.Image, config: OcrConfig | None = None) -> OcrResult:
    """OCR an RGB image: the configured clean-up, then Tesseract."""
    config = config or OcrConfig()
    prepared = prepare(image, config.preprocessing)
    text, words = parse_tsv(run_tesseract(prepared, config))
    if prepared.size != image.size:  # boxes in the caller's pixels, not the upscaled copy's
        words = tuple(_rescaled(word, image.width / prepared.width, image.height / prepared.height) for word in words)
    confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
    return OcrResult(text=text, confidence=round(confidence, 4), words=words,
                     engine_version=engine_version(config.tesseract_cmd), languages=config.languages,
                     preprocessing=config.preprocessing, image_size=image.size)


def read_poster(data: bytes, config: OcrConfig | None = None, limits: ImageLimits | None = None) -> OcrResult:
    """OCR untrusted image bytes; raises `ImageRejected` for a bad file, `OcrError` if the engine fails."""
    return read_image(decode_image(data, limits).image, config)
