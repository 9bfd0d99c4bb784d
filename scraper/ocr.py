"""Read a poster's text with the Tesseract command-line engine: words, boxes, confidences, under a time limit.

The CLI (Debian's `tesseract-ocr` + `tesseract-ocr-ind`) is run as a subprocess rather than through a
binding, so a pathological image can be killed at the deadline without taking the caller down. The image
goes in on stdin as uncompressed PNM and TSV comes back on stdout: no temporary files. Tesseract runs
single-threaded (OMP_THREAD_LIMIT=1): its OpenMP threads gain little on one image and fight the other jobs
for the cores; throughput comes from running several images side by side.

The limit is CPU time (RLIMIT_CPU on the child), not wall-clock: on a loaded machine an ordinary poster
may wait minutes for a core, and only the work Tesseract itself does says whether an image is
pathological. A generous wall-clock backstop still ends a child that is stuck without using CPU.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import resource
import signal
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
    """The engine used more than its CPU time (or the wall-clock backstop) and was killed."""


@dataclass(frozen=True)
class OcrConfig:
    """How to run Tesseract.

    `ind+eng`: loker posters mix Indonesian with English job titles and benefits ("Staff Admin",
    "fresh graduate welcome"). Page segmentation mode 3 (automatic, the default) handles headline plus
    body layouts. `preprocessing` names the clean-up steps (see `scraper.ocr_preprocess`), in order.
    `cpu_seconds` is the CPU time one Tesseract run may use (whole seconds, the kernel's unit; an ordinary
    poster needs 1-2); `timeout_seconds` is only a wall-clock backstop for a child that hangs without
    working, so it is generous: on a busy machine waiting for a core is not the image's fault.
    """

    tesseract_cmd: str = "tesseract"
    languages: str = "ind+eng"
    page_segmentation_mode: int = 3
    cpu_seconds: int = 30
    timeout_seconds: float = 600.0
    preprocessing: tuple[str, ...] = DEFAULT_STEPS
    extra_options: tuple[str, ...] = field(default_factory=tuple)  # further `-c name=value` pairs
    # A first pass that finds fewer words than this is read once more with the fallback steps and mode (0: never).
    # `grey` alone: on a blurred 720 px photo-background poster the default (`grey`, `sharpen`) found no word
    # at all, `grey` alone read it at CER 13% with mean confidence 0.94, and costs less than the default
    # (psm 6 read it too, at CER 16-19% and confidence 0.72; docs/ocr.md).
    fallback_below_words: int = 3
    fallback_preprocessing: tuple[str, ...] = ("grey",)
    fallback_page_segmentation_mode: int = 3


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


def _limit_cpu(pid: int, cpu_seconds: int) -> None:
    """Cap a started child's CPU time: SIGXCPU at the limit, SIGKILL a second later if it is ignored.

    Set on the running child with prlimit rather than in a `preexec_fn`, which is unsafe in a process with
    threads (the crawl reads posters in worker threads). RLIMIT_CPU counts all CPU the process has used,
    so the microseconds before the call are counted too.
    """
    with contextlib.suppress(ProcessLookupError):  # it has already finished
        resource.prlimit(pid, resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def run_tesseract(image: Image.Image, config: OcrConfig | None = None) -> str:
    """Tesseract's TSV output for an already prepared image; raises OcrUnavailable/OcrTimeout/OcrError."""
    config = config or OcrConfig()
    if config.cpu_seconds < 1:
        raise ValueError(f"cpu_seconds must be a whole number of seconds >= 1, not {config.cpu_seconds!r}")
    command = [config.tesseract_cmd, "stdin", "stdout", "-l", config.languages,
               "--psm", str(config.page_segmentation_mode)]
    for option in config.extra_options:
        command += ["-c", option]
    command.append("tsv")
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=environment)
    except FileNotFoundError as error:
        raise OcrUnavailable(f"Tesseract is not installed ({config.tesseract_cmd!r} not found): "
                             "apt-get install -y tesseract-ocr tesseract-ocr-ind") from error
    with process:
        _limit_cpu(process.pid, config.cpu_seconds)
        try:
            stdout, stderr_bytes = process.communicate(_as_pnm(image), timeout=config.timeout_seconds)
        except subprocess.TimeoutExpired as error:
            process.kill()
            process.communicate()
            raise OcrTimeout(f"Tesseract did not finish a {image.width}x{image.height} image within "
                             f"{config.timeout_seconds:g} s (wall clock) and was stopped") from error
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise OcrTimeout(f"Tesseract used more than {config.cpu_seconds} s of CPU time on a "
                         f"{image.width}x{image.height} image and was stopped")
    stderr = stderr_bytes.decode("utf-8", "replace")
    if process.returncode != 0:
        if "Failed loading language" in stderr or "Error opening data file" in stderr:
            packages = " ".join(f"tesseract-ocr-{lang}" for lang in config.languages.split("+"))
            raise OcrUnavailable(f"Tesseract has no data for languages {config.languages!r}: "
                                 f"apt-get install -y {packages}")
        last_lines = " | ".join(stderr.strip().splitlines()[-3:])
        raise OcrError(f"Tesseract failed with exit code {process.returncode}: {last_lines}")
    return stdout.decode("utf-8", "replace")


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


def _read_once(image: Image.Image, config: OcrConfig, read_pass: str) -> OcrResult:
    prepared = prepare(image, config.preprocessing)
    text, words = parse_tsv(run_tesseract(prepared, config))
    if prepared.size != image.size:  # boxes in the caller's pixels, not the upscaled copy's
        words = tuple(_rescaled(word, image.width / prepared.width, image.height / prepared.height) for word in words)
    confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
    return OcrResult(text=text, confidence=round(confidence, 4), words=words,
                     engine_version=engine_version(config.tesseract_cmd), languages=config.languages,
                     preprocessing=config.preprocessing, image_size=image.size, read_pass=read_pass,
                     page_segmentation_mode=config.page_segmentation_mode)


def _confident_words(result: OcrResult) -> float:
    """How much a pass read: its words weighted by confidence. Mean confidence alone would prefer one lucky
    word to a whole poster read a little less surely."""
    return sum(word.confidence for word in result.words)


def read_image(image: Image.Image, config: OcrConfig | None = None) -> OcrResult:
    """OCR an RGB image: the configured clean-up, then Tesseract; a pass that found (almost) no words is
    followed by one fallback pass, and the result that read more, by word confidence, is kept."""
    config = config or OcrConfig()
    first = _read_once(image, config, "default")
    if len(first.words) >= config.fallback_below_words:
        return first
    fallback = replace(config, preprocessing=config.fallback_preprocessing,
                       page_segmentation_mode=config.fallback_page_segmentation_mode)
    try:
        second = _read_once(image, fallback, "fallback")
    except OcrUnavailable:
        raise
    except OcrError:  # the first pass is still an answer; the second was only a chance to do better
        return first
    return second if _confident_words(second) > _confident_words(first) else first


def read_poster(data: bytes, config: OcrConfig | None = None, limits: ImageLimits | None = None) -> OcrResult:
    """OCR untrusted image bytes; raises `ImageRejected` for a bad file, `OcrError` if the engine fails."""
    return read_image(decode_image(data, limits).image, config)
