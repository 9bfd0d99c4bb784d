"""A store left at an older schema revision holding one ad and one score, as a store upgraded in place would."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from service.settings import Settings
from service.store.engine import make_engine
from service.store.migrate import upgrade


def store_one_old_score(settings: Settings, revision: str, text: str, model_version: str, p_trafficking: float,
                        risk: float, at: datetime) -> int:
    """Bring the store to `revision` only, add one ad and one score by plain SQL (no columns of later revisions);
    returns the ad's id. The caller then opens the store, which upgrades it to head."""
    engine = make_engine(settings.database_url)
    upgrade(engine, revision)
    with engine.begin() as connection:
        ad_id = int(connection.execute(sa.text(
            "INSERT INTO ads (source, source_ad_id, title, text, contact_handles, extra, content_hash, first_seen_at, "
            "last_seen_at) VALUES ('telegram', 'old-1', '', :text, '[]', '{}', 'h', :t, :t) RETURNING id"),
            {"text": text, "t": at}).scalar_one())
        connection.execute(sa.text(
            "INSERT INTO scores (ad_id, model_version, content_hash, p_scam, p_trafficking, risk, indicators, "
            "top_features, scored_at) VALUES (:ad, :version, 'h', 0.1, :p_traf, :risk, '[]', '[]', :t)"),
            {"ad": ad_id, "version": model_version, "p_traf": p_trafficking, "risk": risk, "t": at})
    engine.dispose()
    return ad_id
