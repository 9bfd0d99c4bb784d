"""The dashboard: ads per day by source and modus, queue size, decisions per analyst, the model in use.

Counts come from 5a's `queue_stats` where it has them; the per-day ad counts are a plain read of the
store grouped here (Python, so SQLite and PostgreSQL agree on day boundaries in WIB).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep
from service.audit import record_audit
from service.auth.roles import Role
from service.auth.users import Principal
from service.queue import queue_stats, sync_queue
from service.settings import Settings
from service.store.tables import Ad, QueueEntry, ScoreRow
from service.store.types import utc_now
from service.web import charts, explain
from service.web.model_info import active_model_info
from service.web.security import DESK_PREFIX, require_page_role
from service.web.templating import WIB, render

router = APIRouter(include_in_schema=False)
DashboardUser = Annotated[Principal, Depends(require_page_role(Role.ANALYST, Role.SUPERVISOR, Role.ADMIN,
                                                                Role.RESEARCHER))]
MAX_ROWS = 200_000
MODUS_LABELS = {"trafficking": "TPPO (tanpa modus)", "scam": "Penipuan (tanpa modus)", None: "Di bawah ambang"}


def _per_day(session: Session, days: int) -> tuple[list[str], dict[str, list[float]], dict[str, list[float]]]:
    """Ads first seen (or posted) per WIB day, stacked by source and by modus."""
    today = utc_now().astimezone(WIB).date()
    day_list = [today - timedelta(days=days - 1 - i) for i in range(days)]
    index = {d: i for i, d in enumerate(day_list)}
    since = utc_now() - timedelta(days=days + 1)
    seen = func.coalesce(Ad.posted_at, Ad.first_seen_at)
    rows = session.execute(
        select(Ad.source, seen, QueueEntry.modus, QueueEntry.kind).outerjoin(QueueEntry, QueueEntry.ad_id == Ad.id)
        .where(seen >= since).limit(MAX_ROWS))
    by_source: dict[str, list[float]] = {}
    by_modus: dict[str, list[float]] = {}
    for source, at, modus, kind in rows:
        if at is None:
            continue
        day = at.astimezone(WIB).date() if at.tzinfo else at.date()
        if day not in index:
            continue
        i = index[day]
        by_source.setdefault(explain.SOURCE_LABELS.get(source, source), [0.0] * days)[i] += 1
        name = modus.replace("_", " ") if modus else MODUS_LABELS.get(kind, "Di bawah ambang")
        by_modus.setdefault(name, [0.0] * days)[i] += 1
    labels = [f"{d.day}/{d.month}" for d in day_list]
    return labels, by_source, by_modus


@router.get(f"{DESK_PREFIX}/dasbor")
def dashboard_page(request: Request, user: DashboardUser, session: Annotated[Session, Depends(get_session)],
                   settings: Annotated[Settings, Depends(get_settings_dep)],
                   hari: Annotated[int, Query(ge=7, le=90)] = 14) -> Response:
    sync_queue(session, settings.review_threshold)
    stats = queue_stats(session, hari)
    labels, by_source, by_modus = _per_day(session, hari)
    per_analyst: Counter[str] = Counter()
    for _day, reviewer, n in stats.throughput:
        per_analyst[reviewer] += n
    queue_counts = {"Terbuka": stats.counts.get("open", 0), "Perlu info": stats.counts.get("need_info", 0),
                    "Diklaim": stats.counts.get("claimed", 0), "Diputuskan": stats.counts.get("decided", 0)}
    kinds = {explain.DECISION_LABELS.get(k, k): v for k, v in stats.by_kind.items()}
    total_ads = session.scalar(select(func.count()).select_from(Ad)) or 0
    scored = session.scalar(select(func.count(func.distinct(ScoreRow.ad_id)))) or 0
    model: dict[str, Any] = active_model_info(session, settings)
    session.commit()
    record_audit(session, user.actor, "dashboard.read", "dashboard", None, {"via": "desk", "days": hari})
    session.commit()
    return render(request, "dashboard.html", {
        "days": hari, "total_ads": total_ads, "scored": scored, "queue_counts": queue_counts,
        "in_queue": stats.counts.get("open", 0) + stats.counts.get("need_info", 0), "model": model,
        "chart_source": charts.stacked_bars(f"Iklan per hari menurut sumber ({hari} hari)", labels,
                                            [charts.Series(k, v) for k, v in sorted(by_source.items())]),
        "chart_modus": charts.stacked_bars(f"Iklan per hari menurut modus ({hari} hari)", labels,
                                           [charts.Series(k, v) for k, v in sorted(by_modus.items())]),
        "chart_queue": charts.horizontal_bars("Ukuran antrean", queue_counts),
        "chart_kind": charts.horizontal_bars("Antrean menurut jenis", kinds),
        "chart_analysts": charts.horizontal_bars(f"Keputusan per analis ({hari} hari)", dict(per_analyst)),
        "chart_metrics": charts.horizontal_bars("Metrik model", model.get("metrics", {}), "{:.2f}")
        if model.get("metrics") else None,
    })
