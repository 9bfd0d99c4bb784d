"""Which model scored the ads the desk shows, and its evaluation figures when the registry has them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.local_time import as_datetime
from service.model_registry import active_version, list_models
from service.settings import Settings
from service.store.tables import ScoreRow


def _registry_info(session: Session, settings: Settings) -> dict[str, Any] | None:
    """The model engineers' registry entry of the active model (None while `rules-0` is in use)."""
    version = active_version(session)
    if version is None:
        return None
    info = next((m for m in list_models(settings.model_dir) if m.version == version), None)
    if info is None:
        return {"version": version, "metrics": {}}
    metrics = {"TPPO yang tertangkap": info.trafficking_recall, "Iklan wajar yang ikut ditandai": info.legit_fpr,
               "Skor gabungan": info.macro_f1}  # recall, false-positive rate, macro-F1: named for analysts
    return {"version": version, "trained_at": as_datetime(info.created_at) if info.created_at else None,
            "metrics": metrics}


def _numeric_metrics(raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def active_model_info(session: Session, settings: Settings) -> dict[str, Any]:
    """Version, how many ads it scored, and flat numeric metrics (named in Bahasa) for the dashboard chart."""
    latest = session.scalars(select(ScoreRow).order_by(ScoreRow.id.desc()).limit(1)).first()
    version = latest.model_version if latest else None
    info: dict[str, Any] = {"version": version, "scored_at": latest.scored_at if latest else None, "metrics": {}}
    registry = _registry_info(session, settings)
    if registry:
        info["version"] = registry.get("version", version)
        info["metrics"] = _numeric_metrics(registry.get("metrics"))
        info["trained_at"] = registry.get("trained_at")
    if info["version"]:
        info["ads_scored"] = session.scalar(select(func.count()).select_from(ScoreRow)
                                            .where(ScoreRow.model_version == info["version"])) or 0
    info["rule_based"] = bool(info["version"] and str(info["version"]).startswith("rules-"))
    return info
