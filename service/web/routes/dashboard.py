"""The dashboard: ads per day by source and modus, queue size, decisions per analyst, the model in use.

Counts come from 5a's `queue_stats` where it has them; the per-day ad counts are a plain read of the
store grouped here (Python, so SQLite and PostgreSQL agree on day boundaries in the display zone).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta, tzinfo
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service import labels
from service.api.deps import get_session, get_settings_dep
from service.audit import record_audit
from service.auth.roles import Role
from service.auth.users import Principal
from service.queue import queue_stats, sync_queue
from service.settings import Settings
from service.store.tables import Ad, QueueEntry, ScoreRow
from service.store.types import utc_now
from service.web import charts
from service.web.model_info import active_model_info
from service.web.security import DESK_PREFIX, require_page_role
from service.web.templating import page_zone, render

router = APIRouter(include_in_schema=False)
DashboardUser = Annotated[Principal, Depends(require_page_role(Role.ANALYST, Role.SUPERVISOR, Role.ADMIN,
                                                                Role.RESEARCHER))]
MAX_ROWS = 200_000
BELOW_THRESHOLD = "Di bawah ambang"
# Stack order of the modus chart: trafficking at the bottom, then scam, then ordinary ads.
CLASS_ORDER = {"trafficking": 0, "scam": 1, "benign": 2, "below-threshold": 3}
# The model's evaluation figures, named for an analyst (model_info supplies them under these keys).
METRIC_NOTE = ("TPPO yang tertangkap: dari iklan TPPO di data uji, berapa yang ditandai model. Iklan wajar yang "
               "ikut ditandai: dari iklan wajar, berapa yang keliru ditandai (makin kecil makin baik). Skor "
               "gabungan: rata-rata ketepatan dan daya tangkap untuk TPPO, penipuan dan iklan wajar.")


def _modus_key(modus: str | None, kind: str | None) -> tuple[str, str]:
    """(label, tone) of an ad in the modus chart: its labelled modus, else the queue's class, else below threshold."""
    if modus:
        return labels.modus_label(modus), labels.modus_class(modus) or (kind or "below-threshold")
    if kind in ("trafficking", "scam"):
        return f"{labels.decision_label(kind)} (tanpa modus)", kind
    return BELOW_THRESHOLD, "below-threshold"


def _per_day(session: Session, days: int, zone: tzinfo) -> tuple[list[str], list[charts.Series], list[charts.Series]]:
    """Ads per local day (posted, or first seen when the source gives no date), stacked by source and by modus."""
    today = utc_now().astimezone(zone).date()
    day_list = [today - timedelta(days=days - 1 - i) for i in range(days)]
    index = {d: i for i, d in enumerate(day_list)}
    since = utc_now() - timedelta(days=days + 1)
    seen = func.coalesce(Ad.posted_at, Ad.first_seen_at)
    rows = session.execute(
        select(Ad.source, seen, QueueEntry.modus, QueueEntry.kind).outerjoin(QueueEntry, QueueEntry.ad_id == Ad.id)
        .where(seen >= since).limit(MAX_ROWS))
    by_source: dict[str, list[float]] = {}
    by_modus: dict[tuple[str, str], list[float]] = {}
    for source, at, modus, kind in rows:
        if at is None:
            continue
        day = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone).date()  # the store keeps UTC
        if day not in index:
            continue
        i = index[day]
        by_source.setdefault(labels.source_label(source), [0.0] * days)[i] += 1
        by_modus.setdefault(_modus_key(modus, kind), [0.0] * days)[i] += 1
    day_labels = [f"{d.day}/{d.month}" for d in day_list]
    sources = [charts.Series(name, values, f"source-{k % 4}")
               for k, (name, values) in enumerate(sorted(by_source.items()))]
    stacked: list[charts.Series] = []
    for (name, tone), values in sorted(by_modus.items(), key=lambda item: (CLASS_ORDER.get(item[0][1], 9), item[0][0])):
        shade = sum(1 for s in stacked if s.tone == tone)  # several modus of one class: lighter shades of its colour
        stacked.append(charts.Series(name, values, tone, shade))
    return day_labels, sources, stacked


@router.get(f"{DESK_PREFIX}/dasbor")
def dashboard_page(request: Request, user: DashboardUser, session: Annotated[Session, Depends(get_session)],
                   settings: Annotated[Settings, Depends(get_settings_dep)],
                   hari: Annotated[int, Query(ge=7, le=90)] = 14) -> Response:
    sync_queue(session, settings.review_threshold)
    stats = queue_stats(session, hari)
    days, by_source, by_modus = _per_day(session, hari, page_zone(request))
    per_analyst: Counter[str] = Counter()
    for _day, reviewer, n in stats.throughput:
        per_analyst[reviewer] += n
    queue_counts = {"Terbuka": stats.counts.get("open", 0), "Perlu info": stats.counts.get("need_info", 0),
                    "Diklaim": stats.counts.get("claimed", 0), "Diputuskan": stats.counts.get("decided", 0)}
    kinds = {labels.decision_label(k): v for k, v in stats.by_kind.items()}
    kind_tones = {labels.decision_label(k): k for k in stats.by_kind}
    total_ads = session.scalar(select(func.count()).select_from(Ad)) or 0
    scored = session.scalar(select(func.count(func.distinct(ScoreRow.ad_id)))) or 0
    model: dict[str, Any] = active_model_info(session, settings)
    session.commit()
    record_audit(session, user.actor, "dashboard.read", "dashboard", None, {"via": "desk", "days": hari})
    session.commit()
    return render(request, "dashboard.html", {
        "days": hari, "total_ads": total_ads, "scored": scored, "queue_counts": queue_counts,
        "in_queue": stats.counts.get("open", 0) + stats.counts.get("need_info", 0), "model": model,
        "chart_source": charts.responsive(lambda width: charts.stacked_bars(
            f"Iklan per hari menurut sumber ({hari} hari)", days, by_source, width)),
        "chart_modus": charts.responsive(lambda width: charts.stacked_bars(
            f"Iklan per hari menurut modus ({hari} hari)", days, by_modus, width)),
        "chart_queue": charts.responsive(lambda width: charts.horizontal_bars(
            "Ukuran antrean", queue_counts, width=width)),
        "chart_kind": charts.responsive(lambda width: charts.horizontal_bars(
            "Antrean menurut jenis", kinds, tones=kind_tones, width=width)),
        "chart_analysts": charts.responsive(lambda width: charts.horizontal_bars(
            f"Keputusan per analis ({hari} hari)", dict(per_analyst), width=width)),
        "chart_metrics": charts.responsive(lambda width: charts.horizontal_bars(
            "Mutu model pada data uji", model["metrics"], "{:.0%}", width=width)) if model.get("metrics") else None,
        "metric_note": METRIC_NOTE,
    })
