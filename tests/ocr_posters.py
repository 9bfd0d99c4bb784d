"""Render job-ad texts as poster-like images with a known ground truth, for OCR tests and benchmarks.

Loker ads on Instagram, Facebook and Telegram are mostly pictures: a bold headline, body lines in a
common sans font, flat or gradient or photo backgrounds, reposted with blur and JPEG loss. This module
draws such posters from any ad text with Pillow, deterministically from a seed, and returns the text
that was actually drawn (emoji removed, lines as wrapped) so a reader's output can be scored against it.
The same renderer serves `tests/scraper/test_ocr.py`, `benchmarks/ocr.py` and later measurements of the
model on OCR text versus typed text.

Fonts are the Debian packages `.ci/run` installs (DejaVu, Liberation, Roboto, Open Sans, Lato, League
Spartan); a missing one fails loudly with the package to install.
"""

from __future__ import annotations

import io
import json
import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

REPO_ROOT = Path(__file__).resolve().parent.parent
FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))

# file name -> Debian package that ships it (the error message tells a newcomer what to install).
FONT_PACKAGES = {
    "DejaVuSans.ttf": "fonts-dejavu-core",
    "DejaVuSans-Bold.ttf": "fonts-dejavu-core",
    "DejaVuSerif.ttf": "fonts-dejavu-core",
    "LiberationSans-Regular.ttf": "fonts-liberation",
    "LiberationSans-Bold.ttf": "fonts-liberation",
    "LiberationSerif-Regular.ttf": "fonts-liberation",
    "LiberationSansNarrow-Regular.ttf": "fonts-liberation",
    "Roboto-Regular.ttf": "fonts-roboto-unhinted",
    "Roboto-Black.ttf": "fonts-roboto-unhinted",
    "RobotoCondensed-Regular.ttf": "fonts-roboto-unhinted",
    "OpenSans-Regular.ttf": "fonts-open-sans",
    "OpenSans-ExtraBold.ttf": "fonts-open-sans",
    "Lato-Regular.ttf": "fonts-lato",
    "Lato-Black.ttf": "fonts-lato",
    "LeagueSpartan-Bold.otf": "fonts-league-spartan",
}
BODY_FONTS = ("DejaVuSans.ttf", "DejaVuSerif.ttf", "LiberationSans-Regular.ttf", "LiberationSerif-Regular.ttf",
              "LiberationSansNarrow-Regular.ttf", "Roboto-Regular.ttf", "RobotoCondensed-Regular.ttf",
              "OpenSans-Regular.ttf", "Lato-Regular.ttf")
HEADLINE_FONTS = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Roboto-Black.ttf", "OpenSans-ExtraBold.ttf",
                  "Lato-Black.ttf", "LeagueSpartan-Bold.otf")

LIGHT_COLOURS = ((255, 255, 255), (250, 246, 236), (236, 240, 244), (255, 244, 214), (226, 246, 236),
                 (252, 232, 236), (240, 240, 240))
DARK_COLOURS = ((20, 20, 20), (18, 36, 84), (92, 12, 24), (10, 70, 50), (60, 20, 90), (40, 44, 52))
DARK_INKS = ((0, 0, 0), (20, 30, 70), (110, 10, 20), (30, 30, 30), (0, 60, 40))
LIGHT_INKS = ((255, 255, 255), (255, 230, 60), (240, 240, 240), (255, 250, 220))
ACCENTS = ((230, 60, 40), (40, 160, 60), (250, 190, 0), (30, 120, 220), (200, 40, 140))

# Typographic characters written the way posters show them in plain ASCII; anything else outside Latin-1
# (emoji, arrows, dingbats) is drawn as a picture on real posters, so the text we draw leaves it out.
_ASCII_EQUIVALENTS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...",
                                    "•": "-", "·": "-", "\u00a0": " "})


class FontMissing(RuntimeError):
    """A font the renderer needs is not installed."""


@dataclass(frozen=True)
class PosterStyle:
    """Everything that decides how one poster looks; `render_poster` is a pure function of text and style."""

    width: int = 1080
    height: int = 1350
    body_font: str = "DejaVuSans.ttf"
    headline_font: str = "DejaVuSans-Bold.ttf"
    font_size: int = 32
    ink: tuple[int, int, int] = (0, 0, 0)
    background: str = "flat"  # flat | gradient | photo
    paper: tuple[int, int, int] = (255, 255, 255)
    paper_to: tuple[int, int, int] = (255, 255, 255)  # far end of a gradient
    headline_band: tuple[int, int, int] | None = None  # a coloured strip behind the headline (ink inverted)
    centred: bool = False
    icons: bool = False  # draw a small pictogram where the ad had an emoji or bullet
    frame: bool = False  # a border line around the poster
    divider: bool = False  # a rule under the headline
    accent: tuple[int, int, int] = (230, 60, 40)  # colour of icons, frame and rule
    rotation: float = 0.0  # degrees, counter-clockwise
    blur: float = 0.0  # Gaussian radius in pixels, before any downscale
    output_width: int | None = None  # resize the finished poster (a re-shared, recompressed copy)
    grain: float = 0.0  # sigma of per-pixel noise (sensor noise of a photographed poster)
    jpeg_quality: int | None = None  # None: lossless PNG
    seed: int = 0


@dataclass(frozen=True)
class Poster:
    """A rendered poster: encoded image bytes and the exact text drawn on it, line by line."""

    image: bytes
    truth: str
    style: PosterStyle
    truncated: bool
    font_size: int  # after shrinking to fit

    @property
    def format(self) -> str:
        return "JPEG" if self.style.jpeg_quality is not None else "PNG"


@cache
def find_font(name: str) -> Path:
    """Path of an installed font file, or FontMissing naming the Debian package to install."""
    for root in FONT_ROOTS:
        if root.is_dir():
            for path in root.rglob(name):
                return path
    package = FONT_PACKAGES.get(name, "a package that provides it")
    raise FontMissing(f"font {name} is not installed: apt-get install -y {package}")


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(find_font(name)), size)


def drawable_lines(text: str) -> list[str]:
    """The ad's lines as a poster would print them: no emoji or pictographs, plain punctuation, no blanks."""
    return [line for line, _ in _lines_with_icons(text)]


def _lines_with_icons(text: str) -> list[tuple[str, bool]]:
    """Drawable lines, each flagged when the ad started it with an emoji or bullet (a poster draws an icon)."""
    lines = []
    for raw_line in unicodedata.normalize("NFC", text).translate(_ASCII_EQUIVALENTS).splitlines():
        kept = "".join(char for char in raw_line if char.isprintable() and ord(char) < 0x250)
        kept = re.sub(r"\s+", " ", kept).strip(" -*>|")
        if re.search(r"\w", kept):
            lines.append((kept, not re.match(r"\s*\w", raw_line)))
    return lines


def _wrap(line: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    words, wrapped, current = line.split(" "), [], ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > width:
            wrapped.append(current)
            current = word
        else:
            current = candidate
    if current:
        wrapped.append(current)
    return wrapped


@dataclass(frozen=True)
class _Layout:
    headline: list[str]
    body: list[tuple[str, bool]]  # wrapped lines, flagged where an icon goes
    body_size: int
    headline_size: int
    height: int

    @property
    def indent(self) -> int:
        return round(self.body_size * 1.3) if any(icon for _, icon in self.body) else 0


def _layout(lines: list[tuple[str, bool]], style: PosterStyle, body_size: int, text_width: int) -> _Layout:
    headline_size = round(body_size * 1.6)
    has_headline = len(lines) > 1
    headline = _wrap(lines[0][0], _font(style.headline_font, headline_size), text_width) if has_headline else []
    body_lines = lines[1:] if has_headline else lines
    font = _font(style.body_font, body_size)
    indent = round(body_size * 1.3) if style.icons and any(icon for _, icon in body_lines) else 0
    body = [(piece, style.icons and icon and number == 0) for line, icon in body_lines
            for number, piece in enumerate(_wrap(line, font, text_width - indent))]
    height = len(headline) * round(headline_size * 1.3) + (body_size if headline else 0)
    height += len(body) * round(body_size * 1.45)
    return _Layout(headline, body, body_size, headline_size, height)


def _paper(style: PosterStyle, size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    width, height = size
    start = np.array(style.paper, dtype=np.float32)
    if style.background == "flat":
        return Image.new("RGB", size, style.paper)
    if style.background == "gradient":
        end = np.array(style.paper_to, dtype=np.float32)
        ramp = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
        rows = start + (end - start) * ramp
        return Image.fromarray(np.broadcast_to(rows, (height, width, 3)).astype(np.uint8))
    # "photo": smooth colour blobs from a tiny random picture scaled up, plus fine texture.
    blobs = rng.normal(0.0, 38.0, size=(6, 6, 3)).astype(np.float32)
    coarse = Image.fromarray(np.clip(start + blobs, 0, 255).astype(np.uint8)).resize(size, Image.Resampling.BICUBIC)
    texture = rng.normal(0.0, 9.0, size=(height, width, 1)).astype(np.float32)
    return Image.fromarray(np.clip(np.asarray(coarse, dtype=np.float32) + texture, 0, 255).astype(np.uint8))


def render_poster(text: str, style: PosterStyle) -> Poster:
    """Draw `text` (first line as headline when there are several) and encode it as the style says."""
    lines = _lines_with_icons(text)
    if not lines:
        raise ValueError("the text has nothing a poster could print")
    margin = round(style.width * 0.07)
    text_width = style.width - 2 * margin
    height, size = style.height, style.font_size
    layout = _layout(lines, style, size, text_width)
    min_size = max(16, round(style.width / 50))
    while layout.height > height - 2 * margin and size > min_size:  # shrink the type, as designers do
        size -= 2
        layout = _layout(lines, style, size, text_width)
    if layout.height > height - 2 * margin:  # then a taller canvas, up to a phone story (9:16)
        height = min(round(style.width * 16 / 9), layout.height + 2 * margin)
    drawn_headline, drawn_body, truncated = _fit(layout, height - 2 * margin)

    rng = np.random.default_rng(style.seed)
    canvas = _paper(style, (style.width, height), rng)
    draw = ImageDraw.Draw(canvas)
    y = margin
    headline_font = _font(style.headline_font, layout.headline_size)
    step = round(layout.headline_size * 1.3)
    if drawn_headline and style.headline_band is not None:
        band_ink = _contrasting_ink(style.headline_band)
        draw.rectangle((0, y - step // 3, style.width, y + step * len(drawn_headline)), fill=style.headline_band)
    else:
        band_ink = style.ink
    for line in drawn_headline:
        draw.text((_x(line, headline_font, style, margin, text_width), y), line, font=headline_font, fill=band_ink)
        y += step
    if drawn_headline:
        if style.divider:
            rule_y = y + layout.body_size // 3
            draw.line((margin, rule_y, style.width - margin, rule_y), fill=style.accent, width=max(2, step // 12))
        y += layout.body_size
    body_font = _font(style.body_font, layout.body_size)
    indent = layout.indent
    for line, icon in drawn_body:
        if icon:
            _draw_icon(draw, (margin, y), layout.body_size, style, len(line))
        x = _x(line, body_font, style, margin + indent, text_width - indent)
        draw.text((x, y), line, font=body_font, fill=style.ink)
        y += round(layout.body_size * 1.45)
    if style.frame:
        inset = margin // 3
        draw.rectangle((inset, inset, style.width - inset, height - inset), outline=style.accent,
                       width=max(3, margin // 12))
    image = _degrade(canvas, style, rng)
    truth = "\n".join(drawn_headline + [line for line, _ in drawn_body])
    return Poster(image=_encode(image, style), truth=truth, style=style, truncated=truncated,
                  font_size=layout.body_size)


def _fit(layout: _Layout, room: int) -> tuple[list[str], list[tuple[str, bool]], bool]:
    """The lines that fit in `room` pixels (a poster that still overflows loses its last lines)."""
    if layout.height <= room:
        return layout.headline, layout.body, False
    body_step = round(layout.body_size * 1.45)
    used = len(layout.headline) * round(layout.headline_size * 1.3) + (layout.body_size if layout.headline else 0)
    keep = max(0, (room - used) // body_step)
    return layout.headline, layout.body[:keep], True


def _draw_icon(draw: ImageDraw.ImageDraw, at: tuple[int, int], size: int, style: PosterStyle, variant: int) -> None:
    """A pictogram in place of an emoji: a dot, a tick or a rounded square, as poster templates use."""
    x, y = at
    side = round(size * 0.8)
    top = y + round(size * 0.2)
    box = (x, top, x + side, top + side)
    shape = (style.seed + variant) % 3
    if shape == 0:
        draw.ellipse(box, fill=style.accent)
    elif shape == 1:
        draw.line((x, top + side * 0.55, x + side * 0.4, top + side, x + side, top), fill=style.accent,
                  width=max(2, size // 7))
    else:
        draw.rounded_rectangle(box, radius=side // 4, fill=style.accent)


def _x(line: str, font: ImageFont.FreeTypeFont, style: PosterStyle, margin: int, text_width: int) -> int:
    if not style.centred:
        return margin
    return margin + max(0, round((text_width - font.getlength(line)) / 2))


def _luminance(colour: Sequence[float]) -> float:
    red, green, blue = colour[:3]
    return 0.299 * red + 0.587 * green + 0.114 * blue


def _contrasting_ink(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    return (0, 0, 0) if _luminance(colour) > 140 else (255, 255, 255)


def _degrade(image: Image.Image, style: PosterStyle, rng: np.random.Generator) -> Image.Image:
    if style.rotation:
        corner = image.getpixel((0, 0))
        fill = corner if isinstance(corner, tuple) else style.paper
        image = image.rotate(style.rotation, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    if style.blur:
        image = image.filter(ImageFilter.GaussianBlur(style.blur))
    if style.output_width and style.output_width != image.width:
        height = round(image.height * style.output_width / image.width)
        image = image.resize((style.output_width, height), Image.Resampling.LANCZOS)
    if style.grain:
        pixels = np.asarray(image, dtype=np.float32)
        pixels = pixels + rng.normal(0.0, style.grain, size=(*pixels.shape[:2], 1)).astype(np.float32)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image


def _encode(image: Image.Image, style: PosterStyle) -> bytes:
    buffer = io.BytesIO()
    if style.jpeg_quality is None:
        image.save(buffer, format="PNG", compress_level=1)
    else:
        image.save(buffer, format="JPEG", quality=style.jpeg_quality)
    return buffer.getvalue()


def _pick_colours(rng: random.Random) -> tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]:
    """Ink, paper and gradient end: dark on light or light on dark, as posters come."""
    if rng.random() < 0.7:
        paper, paper_to = rng.sample(LIGHT_COLOURS, 2)
        return rng.choice(DARK_INKS), paper, paper_to
    paper, paper_to = rng.sample(DARK_COLOURS, 2)
    return rng.choice(LIGHT_INKS), paper, paper_to


def clean_style(seed: int) -> PosterStyle:
    """A poster as designed: flat background, crisp type, lossless, straight."""
    rng = random.Random(seed)
    ink, paper, _ = _pick_colours(rng)
    return PosterStyle(
        width=1080, height=rng.choice((1080, 1350)), body_font=rng.choice(BODY_FONTS),
        headline_font=rng.choice(HEADLINE_FONTS), font_size=rng.choice((30, 34, 38, 42)), ink=ink,
        background="flat", paper=paper, paper_to=paper,
        headline_band=rng.choice(DARK_COLOURS + LIGHT_COLOURS) if rng.random() < 0.3 else None,
        centred=rng.random() < 0.4, icons=rng.random() < 0.7, frame=rng.random() < 0.3,
        divider=rng.random() < 0.4, accent=rng.choice(ACCENTS), seed=seed)


def noisy_style(seed: int) -> PosterStyle:
    """A poster as it reaches a patrol: gradient or photo background, a little turned, blurred, shrunk
    by re-sharing (Facebook and WhatsApp copies are 720-800 px wide), JPEG-compressed."""
    style = clean_style(seed)
    rng = random.Random(seed * 7919 + 1)
    background = rng.choice(("gradient", "photo", "photo"))
    return replace(
        style, background=background,
        paper_to=_neighbour(style, rng),
        rotation=round(rng.uniform(-3.0, 3.0), 2), blur=round(rng.uniform(0.4, 1.2), 2),
        output_width=rng.choice((None, 800, 720)), grain=round(rng.uniform(2.0, 8.0), 1),
        jpeg_quality=rng.choice((35, 50, 65, 80)))


def _neighbour(style: PosterStyle, rng: random.Random) -> tuple[int, int, int]:
    """A gradient end of the same lightness class as the paper, so the ink stays readable all the way."""
    pool = LIGHT_COLOURS if _luminance(style.paper) > 140 else DARK_COLOURS
    return rng.choice([colour for colour in pool if colour != style.paper] or [style.paper])


CONDITIONS = {"clean": clean_style, "noisy": noisy_style}


def load_ad_texts(count: int, seed: int) -> list[str]:
    """`count` ad texts, half team-written (labelled_data, with emoji and line structure), half real
    Instagram poster text (datasets/id-instagram-loker, MIT): a fixed, seeded sample of distinct texts."""
    team = [json.loads(line)["text"] for line in (REPO_ROOT / "labelled_data" / "team_v1.jsonl").open(encoding="utf-8")]
    real_path = REPO_ROOT / "datasets" / "id-instagram-loker" / "ads.jsonl"
    real = list(dict.fromkeys(json.loads(line)["text"] for line in real_path.open(encoding="utf-8")))
    rng = random.Random(seed)
    half = count // 2
    return rng.sample(team, count - half) + rng.sample(real, half)


def poster_set(texts: Sequence[str], condition: str, seed: int) -> Iterator[Poster]:
    """One poster per text in the given condition (clean | noisy), each from its own derived seed."""
    make_style = CONDITIONS[condition]
    for index, text in enumerate(texts):
        yield render_poster(text, make_style(seed * 100_003 + index))
