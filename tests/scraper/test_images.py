"""Untrusted poster bytes: the four formats decode to RGB, everything else is refused with a reason."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from scraper.images import DecodedImage, ImageLimits, ImageRejected, decode_image, sniff_format


def encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def poster(size: tuple[int, int] = (320, 200)) -> Image.Image:
    image = Image.new("RGB", size, (250, 246, 236))
    for x in range(20, size[0] - 20, 7):  # a few dark strokes, so truncation loses real data
        image.paste((20, 30, 70), (x, 40, x + 3, size[1] - 40))
    return image


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_bomb(width: int, height: int) -> bytes:
    """A genuine 1-bit PNG of `width` x `height` blank pixels: a few dozen kilobytes that unpack to gigapixels."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_supported_format_decodes_to_rgb_at_its_size(image_format: str) -> None:
    decoded = decode_image(encoded(poster(), image_format))
    assert isinstance(decoded, DecodedImage)
    assert (decoded.format, decoded.image.mode, decoded.image.size) == (image_format, "RGB", (320, 200))
    assert decoded.downscaled is False


def test_an_animated_gif_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (64, 64), colour) for colour in ((200, 0, 0), (0, 0, 200), (0, 200, 0))]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    red, green, blue = decode_image(data).image.getpixel((10, 10))  # type: ignore[misc]
    assert red > 150 and green < 50 and blue < 50


def test_dark_text_on_a_transparent_png_stays_visible_on_white() -> None:
    image = Image.new("RGBA", (100, 40), (0, 0, 0, 0))
    image.paste((0, 0, 0, 255), (10, 10, 30, 30))
    decoded = decode_image(encoded(image, "PNG")).image
    assert decoded.getpixel((5, 5)) == (255, 255, 255)
    assert decoded.getpixel((20, 20)) == (0, 0, 0)


def test_a_phone_photo_is_turned_upright_by_its_exif_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    decoded = decode_image(encoded(poster((320, 200)), "JPEG", exif=exif.tobytes()))
    assert decoded.image.size == (200, 320)


def test_a_16_bit_greyscale_png_keeps_its_contrast() -> None:
    image = Image.new("I;16", (60, 20), 0)
    image.paste(65535, (30, 0, 60, 20))
    decoded = decode_image(encoded(image, "PNG")).image
    assert decoded.getpixel((5, 5)) == (0, 0, 0)
    assert decoded.getpixel((45, 5)) == (255, 255, 255)


@pytest.mark.parametrize(("data", "kind", "words"), [
    (b"", "empty", "0 bytes"),
    (b"<!DOCTYPE html><html><head><title>Login</title></head><body>Masuk</body></html>", "not_an_image", "HTML"),
    (b"  \n<html><body>404 Not Found</body></html>", "not_an_image", "HTML"),
    (b'{"error": "not found"}', "not_an_image", "JSON"),
    (b"BM\x00\x00 a Windows bitmap header", "not_an_image", "JPEG, PNG, WebP or GIF"),
    (b"\x89PNG\r\n\x1a\n<html><body>pretending to be a PNG</body></html>", "corrupt", "PNG"),
    (b"\xff\xd8\xff\xe0 then nothing that a JPEG needs", "corrupt", "JPEG"),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 garbage", "corrupt", "WEBP"),
    (b"GIF89a\x01", "corrupt", "GIF"),
])
def test_bad_files_are_refused_with_a_reason(data: bytes, kind: str, words: str) -> None:
    with pytest.raises(ImageRejected) as caught:
        decode_image(data)
    assert caught.value.kind == kind
    assert words in str(caught.value)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_truncated_download_is_refused_as_damaged(image_format: str) -> None:
    data = encoded(poster((640, 480)), image_format)
    with pytest.raises(ImageRejected) as caught:
        decode_image(data[: len(data) // 2])
    assert caught.value.kind == "corrupt"
    assert "damaged or truncated" in str(caught.value)


def test_a_png_decompression_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = png_bomb(20_000, 20_000)  # 400 megapixels in 50 kilobytes
    assert len(bomb) < 100_000
    started = time.monotonic()
    with pytest.raises(ImageRejected) as caught:
        decode_image(bomb)
    assert time.monotonic() - started < 1.0
    assert caught.value.kind == "too_many_pixels"
    assert "decompression bomb" in str(caught.value)


def test_an_image_just_over_the_pixel_cap_is_refused_even_below_pillows_own_limit() -> None:
    with pytest.raises(ImageRejected) as caught:
        decode_image(png_bomb(8_000, 7_000))  # 56 MP: Pillow alone would only warn
    assert caught.value.kind == "too_many_pixels"
    assert "8000x7000" in str(caught.value)


def test_a_jpeg_whose_header_claims_a_huge_size_is_refused() -> None:
    data = bytearray(encoded(poster((64, 48)), "JPEG"))
    start_of_frame = data.index(b"\xff\xc0")
    data[start_of_frame + 5: start_of_frame + 9] = struct.pack(">HH", 60_000, 60_000)  # height, width
    with pytest.raises(ImageRejected) as caught:
        decode_image(bytes(data))
    assert caught.value.kind == "too_many_pixels"


def test_a_file_over_the_byte_cap_is_refused_before_decoding() -> None:
    data = encoded(poster(), "PNG")
    with pytest.raises(ImageRejected) as caught:
        decode_image(data, ImageLimits(max_bytes=len(data) - 1))
    assert caught.value.kind == "too_large"


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_a_huge_but_valid_poster_is_shrunk_to_the_longest_side_allowed(image_format: str) -> None:
    data = encoded(poster((6000, 4500)), image_format, compress_level=1)  # 27 MP: under the cap, over max_side
    decoded = decode_image(data)
    assert decoded.downscaled is True
    assert decoded.original_size == (6000, 4500)
    assert max(decoded.image.size) == ImageLimits().max_side
    assert decoded.image.size[1] == pytest.approx(3000, abs=2)


def test_sniffing_recognises_only_the_four_formats() -> None:
    assert sniff_format(encoded(poster(), "WEBP")) == "WEBP"
    assert sniff_format(encoded(poster(), "TIFF")) is None
    assert sniff_format(b"RIFF\x00\x00\x00\x00WAVE") is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(image_format=st.sampled_from(["JPEG", "PNG", "WEBP", "GIF"]),
       cuts=st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=8)), min_size=1, max_size=6))
def test_damaged_bytes_never_crash_the_decoder(image_format: str, cuts: list[tuple[int, bytes]]) -> None:
    data = bytearray(encoded(poster((48, 32)), image_format))
    for position, replacement in cuts:
        at = position % len(data)
        data[at: at + len(replacement)] = replacement
    try:
        decoded = decode_image(bytes(data))
    except ImageRejected as rejected:
        assert rejected.kind in {"corrupt", "not_an_image", "too_many_pixels"}
    else:
        assert decoded.image.mode == "RGB"
