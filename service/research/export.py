"""Research export: reviewed ads in the labelled-data schema, with every identity pseudonymised.

Researchers get what `lokerwatch train` reads (model.labelled), never a raw phone number, e-mail,
handle or name: not in a field, not inside the text, not inside a poster's OCR text. Each export is
recorded (who, when, SHA-256).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from model.entities import find_contacts
from model.labelled import LabelledAd, parse_labelled_record
from service.audit import record_audit
from service.research.known_names import KnownNames, known_names_in_store
from service.research.pseudonymise import IDENTITY_KIND, Pseudonymiser, pseudonym_key
from service.settings import Settings
from service.store.ads import with_poster_text
from service.store.tables import Ad, ResearchExport, Review
from service.store.types import utc_now

# need_info is not a label: the analyst did not know, so the ad teaches the model nothing yet.
LABEL_FOR_DECISION = {"trafficking": "trafficking", "scam": "scam", "benign": "legit"}
BATCH = 500


@dataclass(frozen=True)
class ExportSummary:
    export_id: int
    records: int
    sha256: str


def latest_reviews(session: Session, after_ad_id: int, limit: int) -> list[tuple[Ad, Review]]:
    """Ads with id above `after_ad_id` and their latest decision (later decisions supersede earlier ones)."""
    newest = (
        select(func.max(Review.id).label("review_id"))
        .where(Review.ad_id > after_ad_id)
        .group_by(Review.ad_id)
        .subquery()
    )
    rows = session.execute(
        select(Ad, Review).join(Review, Review.ad_id == Ad.id).join(newest, Review.id == newest.c.review_id)
        .order_by(Ad.id).limit(limit)
    )
    return [(ad, review) for ad, review in rows]


def _optional_str(extra: dict[str, Any], key: str) -> str | None:
    value = extra.get(key)
    return value if isinstance(value, str) and value else None


def labelled_record(ad: Ad, review: Review, pseudonymiser: Pseudonymiser,
                    known: KnownNames | None = None) -> LabelledAd | None:
    """One ad as a labelled-data record, or None when its decision is not a label (need_info).

    `known` holds every name and handle the store's ad fields carry (this ad's author among them), so a
    seller named in another ad is replaced here too."""
    label = LABEL_FOR_DECISION.get(review.decision)
    if label is None:
        return None
    if known is None:
        known = KnownNames.from_written([ad.author] if ad.author else [], ad.contact_handles or [])
    ocr_text = ad.ocr_text if ad.ocr_text and ad.ocr_text.strip() else None
    tokens = sorted({
        pseudonymiser.contact_token(contact)
        for written in (ad.title or "", ad.text, ocr_text or "", *map(str, ad.contact_handles or []))
        for contact in find_contacts(written) if contact.kind in IDENTITY_KIND
    })
    extra: dict[str, Any] = {"contacts": tokens, "reviewed_on": review.created_at.date().isoformat()}
    if ad.author:
        extra["author"] = pseudonymiser.name_token(ad.author)
    # The poster's text on its own, and inside `text` under its heading as the model read it when the ad was
    # reviewed: a photo-only ad has no other text, and training must see what scoring saw.
    extra["ocr_text"] = pseudonymiser.text(ocr_text, known) if ocr_text else None
    extra["ocr_confidence"] = ad.ocr_confidence if ocr_text else None
    record = LabelledAd(
        id=f"lokerwatch-{ad.id}", source=ad.source, label=label, title=pseudonymiser.text(ad.title or "", known),
        text=pseudonymiser.text(with_poster_text(ad.text, ocr_text), known),
        modus=_optional_str(ad.extra, "modus"), lang=_optional_str(ad.extra, "lang"), extra=extra,
    )
    # Round-trip through the strict reader: what we write is exactly what `lokerwatch train` accepts.
    return parse_labelled_record(record.to_json(), f"ad {ad.id}")


def iter_labelled(session: Session, pseudonymiser: Pseudonymiser) -> Iterator[LabelledAd]:
    """Every reviewed ad with a label, in ad order, read in batches; names are looked for with every name
    the store knows, from reviewed ads and others alike."""
    known = known_names_in_store(session)
    last_id = 0
    while page := latest_reviews(session, last_id, BATCH):
        for ad, review in page:
            record = labelled_record(ad, review, pseudonymiser, known)
            if record is not None:
                yield record
        last_id = page[-1][0].id


def export_labelled(session_factory: Callable[[], Session], settings: Settings, handle: TextIO,
                    actor: str) -> ExportSummary:
    """Write the export as JSONL to `handle` and record who took it; the key check comes before any output."""
    pseudonymiser = Pseudonymiser(pseudonym_key(settings))
    digest = hashlib.sha256()
    count = 0
    with session_factory() as session:
        for record in iter_labelled(session, pseudonymiser):
            line = json.dumps(record.to_json(), ensure_ascii=False) + "\n"
            handle.write(line)
            digest.update(line.encode("utf-8"))
            count += 1
    with session_factory() as session, session.begin():
        row = ResearchExport(exported_by=actor, exported_at=utc_now(), records=count, sha256=digest.hexdigest())
        session.add(row)
        session.flush()
        record_audit(session, actor, "export.labelled", "research_export", row.id,
                     {"records": count, "sha256": row.sha256})
        return ExportSummary(row.id, count, row.sha256)
