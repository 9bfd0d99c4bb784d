"""Decode untrusted image bytes (ad posters) safely: refuse what is not a sane JPEG, PNG, WebP or GIF.

Posters come from public channels, so the bytes are hostile until proven otherwise: zero-byte files, HTML
error pages saved as `.png`, truncated downloads and decompression bombs (a few kilobytes that claim
gigapixels). Every one of them ends as an `ImageRejected` with a reason, never as a crash, a hang or an
out-of-memory kill. The limits are explicit here rather than Pillow's process-wide `MAX_IMAGE_PIXELS`,
which other code in the same process may rely on.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

SUPPORTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")

# Magic numbers of the accepted formats: anything else is refused before Pillow parses a byte of it.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)


class ImageRejected(ValueError):
    """The bytes are not an image this module will decode; `kind` is a stable code, the message says why."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True)
class ImageLimits:
    """What an acceptable poster looks like.

    50 megapixels is four times a 12 MP phone photo and 35 times an Instagram poster; decoding it as RGB
    takes 150 MB, the most one OCR job should hold. Larger images are refused, not downscaled, because
    the decoder has to allocate the full frame before it can shrink it (JPEG's draft mode is the only
    exception, and a poster that large is suspicious anyway). Images under the pixel cap whose long side
    is beyond `max_side` are shrunk to it: text on a 4,000-pixel poster is already far larger than
    Tesseract needs, and OCR time grows with the pixel count.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 4000


@dataclass(frozen=True)
class DecodedImage:
    """An RGB image ready for OCR, with what it was before decoding changed it."""

    image: Image.Image
    format: str
    original_size: tuple[int, int]
    downscaled: bool


def sniff_format(data: bytes) -> str | None:
    """The accepted format the bytes start like, or None."""
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _describe_non_image(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<svg", b"<head", b"<body")) or b"<html" in head:
        return "the file is HTML/XML text, not an image (an error page or login wall saved as a picture?)"
    if head.startswith((b"{", b"[")):
        return "the file is JSON text, not an image"
    return "the file does not start like a JPEG, PNG, WebP or GIF image"


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    """RGB on a white page: transparent posters are dark text on nothing, which plain RGB turns black."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit and float greys: scale to 8 bits instead of letting convert() clip everything to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("LA", "La", "PA", "RGBa"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        page = Image.new("RGB", image.size, (255, 255, 255))
        page.paste(image, mask=image.getchannel("A"))
        return page
    return image.convert("RGB") if image.mode != "RGB" else image


def decode_image(data: bytes, limits: ImageLimits | None = None) -> DecodedImage:
    """Decode one poster (the first frame of an animation) into RGB, or raise `ImageRejected`."""
    limits = limits or ImageLimits()
    if not data:
        raise ImageRejected("empty", "the file is empty (0 bytes)")
    if len(data) > limits.max_bytes:
        raise ImageRejected("too_large", f"the file is {len(data):,} bytes, more than the {limits.max_bytes:,} allowed")
    declared = sniff_format(data)
    if declared is None:
        raise ImageRejected("not_an_image", _describe_non_image(data))
    with warnings.catch_warnings():
        # Pillow warns (not raises) between its own soft and hard pixel limits; ours is checked below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[declared])
            width, height = image.size
            if width <= 0 or height <= 0:
                raise ImageRejected("corrupt", f"the {declared} header declares an empty {width}x{height} image")
            if width * height > limits.max_pixels:
                raise ImageRejected("too_many_pixels", f"the {declared} image declares {width}x{height} = "
                                    f"{width * height:,} pixels, more than the {limits.max_pixels:,} allowed "
                                    "(decompression bomb or oversized photo)")
            downscaled = max(width, height) > limits.max_side
            scale = limits.max_side / max(width, height)
            target = (max(1, round(width * scale)), max(1, round(height * scale)))
            if downscaled and declared == "JPEG":
                image.draft("RGB", target)  # decode at 1/2, 1/4 or 1/8 size: cheaper than full size then shrink
            image.seek(0)
            image.load()
            rgb = _flatten_to_rgb(ImageOps.exif_transpose(image) or image)
            if downscaled:
                rgb.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
        except ImageRejected:
            raise
        except Image.DecompressionBombError as error:
            raise ImageRejected("too_many_pixels", f"the {declared} image is a decompression bomb: {error}") from error
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error) as error:
            # Pillow reports truncated and malformed files with any of these, depending on the plugin.
            raise ImageRejected("corrupt", f"the {declared} image is damaged or truncated: {error}") from error
    return DecodedImage(image=rgb, format=declared, original_size=(width, height), downscaled=downscaled)

