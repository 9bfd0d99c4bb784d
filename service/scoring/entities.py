"""The entities the desk shows for an ad (contacts, pay, ages, genders, destinations, transit towns).

They are found once, from the ad's full text, when the ad is scored, and stored with the score
(`scores.entities`, migration 0004), so reading an ad never runs the extractor again. Scores stored
before that column existed have none; for those the entities are found when the ad is read.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from model.entities import extract_entities
from model.normalise import normalise
from model.records import AdText
from service.store.ads import ad_text
from service.store.tables import Ad, ScoreRow


def find_entities(text: AdText) -> dict[str, Any]:
    """Every entity of the ad's full text, in plain JSON types (offsets into the normalised text)."""
    return asdict(extract_entities(normalise(text.full_text)))


def stored_or_found_entities(score: ScoreRow | None, ad: Ad) -> dict[str, Any]:
    """The entities stored with the ad's latest score, or found now for a score stored without them."""
    if score is not None and score.entities is not None:
        return dict(score.entities)
    return find_entities(ad_text(ad))
