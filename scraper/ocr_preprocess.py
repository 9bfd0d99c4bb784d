"""Image clean-up before OCR, as named steps; a step is a default only if it measurably lowered the error rate.

Defaults: `grey` then `sharpen`. Every step here was measured with benchmarks/ocr.py (`--steps`,
`--ablation`) on rendered clean and noisy posters; docs/ocr.md has the table. The others stay available
by name so the measurements can be repeated, but made things worse or no better. Tesseract already
binarises (global Otsu) and copes with a few degrees of skew, so a step earns its place only by beating
what the engine does anyway.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter, ImageOps

MIN_LONG_SIDE = 1600


def grey(image: Image.Image) -> Image.Image:
    """Luminance before Tesseract sees colour: given RGB, Tesseract thresholds on its own pick of one channel,
    which on coloured or photo backgrounds drops whole text blocks (noisy CER 19.5% -> 3.6% with this step)."""
    return image.convert("L")


def sharpen(image: Image.Image) -> Image.Image:
    """Unsharp mask: undoes some of the blur of re-shared, re-compressed posters before binarisation."""
    return image.filter(ImageFilter.UnsharpMask(radius=2, percent=120, threshold=3))


def upscale_small(image: Image.Image) -> Image.Image:
    """Enlarge images under 1,600 px on the long side. Measured: slower and worse on noisy posters."""
    long_side = max(image.size)
    if long_side >= MIN_LONG_SIDE:
        return image
    factor = MIN_LONG_SIDE / long_side
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS)


def autocontrast(image: Image.Image) -> Image.Image:
    """Stretch the histogram (1% clipped). Measured: slightly worse than without."""
    return ImageOps.autocontrast(image, cutoff=1)


def invert_dark(image: Image.Image) -> Image.Image:
    """Light text on a dark poster made dark on light. Measured: no change (Tesseract inverts lines itself)."""
    luminance = np.asarray(image.convert("L"))
    if float(np.median(luminance)) >= 110:
        return image
    return ImageOps.invert(image if image.mode in ("L", "RGB") else image.convert("RGB"))


def otsu(image: Image.Image) -> Image.Image:
    """Global Otsu binarisation of the luminance. Measured: what Tesseract does already, slightly worse."""
    luminance = np.asarray(image.convert("L"))
    histogram = np.bincount(luminance.ravel(), minlength=256).astype(np.float64)
    weights = np.cumsum(histogram)
    means = np.cumsum(histogram * np.arange(256))
    total_weight, total_mean = weights[-1], means[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weights - means * total_weight) ** 2 / (weights * (total_weight - weights))
    threshold = int(np.nanargmax(between))
    return Image.fromarray(((luminance > threshold) * 255).astype(np.uint8))


def median(image: Image.Image) -> Image.Image:
    """3x3 median filter against grain. Measured: worse (thins strokes of small type)."""
    return image.filter(ImageFilter.MedianFilter(3))


def deskew(image: Image.Image) -> Image.Image:
    """Straighten by the angle (within 5 degrees) whose row profile is sharpest. Measured: no better on posters
    turned up to 3 degrees, and worse together with single-block segmentation."""
    small = image.convert("L")
    small.thumbnail((800, 800))
    ink = np.asarray(small, dtype=np.float32)
    dark_on_light = np.median(ink) > 127
    sheet = Image.fromarray((((ink < ink.mean()) if dark_on_light else (ink > ink.mean())) * 255).astype(np.uint8))
    best_angle, best_score = 0.0, -1.0
    for angle in np.arange(-5.0, 5.01, 0.5):
        rows = np.asarray(sheet.rotate(float(angle), resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        score = float(np.var(rows))
        if score > best_score:
            best_angle, best_score = float(angle), score
    if best_angle == 0.0:
        return image
    corner = image.getpixel((0, 0))
    return image.rotate(best_angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=corner)


STEPS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "grey": grey,
    "upscale_small": upscale_small,
    "autocontrast": autocontrast,
    "invert_dark": invert_dark,
    "otsu": otsu,
    "sharpen": sharpen,
    "median": median,
    "deskew": deskew,
}
DEFAULT_STEPS: tuple[str, ...] = ("grey", "sharpen")


def prepare(image: Image.Image, steps: tuple[str, ...]) -> Image.Image:
    """Apply the named steps in order; an unknown name is a configuration error."""
    unknown = [name for name in steps if name not in STEPS]
    if unknown:
        raise ValueError(f"unknown OCR preprocessing step(s) {unknown}; known: {sorted(STEPS)}")
    for name in steps:
        image = STEPS[name](image)
    return image
