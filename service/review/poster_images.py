"""The poster images of an ad, as evidence the desk may show: only the ad's own image snapshots, only real images.

A poster is hostile input like every captured page. Its content type is sniffed from the stored bytes with
Pillow (the header the site sent proves nothing: an HTML error page may say `image/png`), only the formats
the OCR reader accepts are served, and everything else - another ad's snapshot, a page, a damaged file -
is "not found", so the route cannot be used to read arbitrary snapshots.
"""

from __future__ import annotations

import io
import warnings
import zlib
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scraper.images import SUPPORTED_FORMATS, sniff_format
from service.audit import AuditedSession
from service.errors import NotFoundError
from service.store.evidence import snapshot_body
from service.store.tables import AdSnapshot, Snapshot

MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
HEADER_BYTES = 64 * 1024  # enough for Pillow to read any accepted format's header when listing
SIGNATURE_ZLIB_BYTES = 1024  # past a deflate block header (at most ~350 bytes): the signature inflates from it


@dataclass(frozen=True)
class PosterImage:
    """One poster image of an ad: its snapshot and what Pillow says it is."""

    snapshot_id: int
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class PosterImageBytes:
    image: PosterImage
    body: bytes


def sniff_image(data: bytes, snapshot_id: int = 0) -> PosterImage | None:
    """What the bytes are as an image, by Pillow's reading of their header; None for anything else."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # only the header is read, never pixels
        try:
            with Image.open(io.BytesIO(data), formats=list(SUPPORTED_FORMATS)) as image:
                kind, (width, height) = image.format, image.size
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            return None
    if kind not in MEDIA_TYPES or width <= 0 or height <= 0:
        return None
    return PosterImage(snapshot_id, MEDIA_TYPES[kind], width, height)


def _first_bytes(body_zlib: bytes) -> bytes:
    """The start of a stored body, without inflating all of it (a captured page may be megabytes)."""
    try:
        return zlib.decompressobj().decompress(body_zlib, HEADER_BYTES)
    except zlib.error:
        return b""


def poster_images(session: Session, ad_id: int) -> list[PosterImage]:
    """The ad's snapshots that are images (its posters), in capture order.

    An ad seen in many channel pages links many large snapshots, so only the first compressed bytes of each are
    read to find the ones that start like an image; those alone are read whole enough for Pillow's header.
    """
    starts = session.execute(
        select(Snapshot.id, func.substr(Snapshot.body_zlib, 1, SIGNATURE_ZLIB_BYTES))
        .join(AdSnapshot, AdSnapshot.snapshot_id == Snapshot.id).where(AdSnapshot.ad_id == ad_id))
    candidates = [snapshot_id for snapshot_id, start in starts if sniff_format(_first_bytes(bytes(start)))]
    if not candidates:
        return []
    rows = session.execute(select(Snapshot.id, Snapshot.body_zlib).where(Snapshot.id.in_(candidates))
                           .order_by(Snapshot.id))
    found = [sniff_image(_first_bytes(body), snapshot_id) for snapshot_id, body in rows]
    return [image for image in found if image is not None]


def read_poster_image(desk: AuditedSession, ad_id: int, snapshot_id: int) -> PosterImageBytes:
    """The bytes of one of the ad's poster images, audited as a read of case data; NotFoundError otherwise."""
    snapshot = desk.session.scalars(
        select(Snapshot).join(AdSnapshot, AdSnapshot.snapshot_id == Snapshot.id)
        .where(AdSnapshot.ad_id == ad_id, Snapshot.id == snapshot_id)).first()
    if snapshot is None:
        raise NotFoundError(f"ad {ad_id} has no snapshot {snapshot_id}")
    body = snapshot_body(snapshot)
    image = sniff_image(body, snapshot_id)
    if image is None:
        raise NotFoundError(f"snapshot {snapshot_id} of ad {ad_id} is not an image")
    desk.audit("ad.poster_image.read", "snapshot", snapshot_id, {"ad_id": ad_id, "sha256": snapshot.sha256})
    return PosterImageBytes(image, body)
