"""The dashboard: ads per day by source and modus, the queue and decisions by modus, decisions per analyst,
and an honest panel on the model in use (its figures on writers and real ads it never saw).

The numbers are one core read (`service.review.dashboard`); this module names them in Bahasa Indonesia
and draws them.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from service.api.deps import DeskRead, ReviewThreshold, SettingsDep
from service.auth.roles import Role
from service.auth.users import Principal
from service.display import labels
from service.review.dashboard import DailyAds, ModusCount, read_dashboard
from service.web import charts
from service.web.model_panel import model_panel
from service.web.security import DESK_PREFIX, require_page_role
from service.web.templating import page_zone, render

router = APIRouter(include_in_schema=False)
DashboardUser = Annotated[Principal, Depends(require_page_role(Role.ANALYST, Role.SUPERVISOR, Role.ADMIN,
                                                                Role.RESEARCHER))]
BELOW_THRESHOLD = "Di bawah ambang"
# Stack order of the modus chart: trafficking at the bottom, then scam, then ordinary ads.
CLASS_ORDER = {"trafficking": 0, "scam": 1, "benign": 2, "below-threshold": 3}
QUEUE_PARTS = ("menunggu", "diputuskan")


def _modus_key(modus: str | None, kind: str | None) -> tuple[str, str]:
    """(label, tone) of an ad in the modus chart: its labelled modus, else the queue's class, else below threshold."""
    if modus:
        return labels.modus_label(modus), labels.modus_class(modus) or (kind or "below-threshold")
    if kind in ("trafficking", "scam"):
        return f"{labels.decision_label(kind)} (tanpa modus)", kind
    return BELOW_THRESHOLD, "below-threshold"


def _per_day(daily: DailyAds) -> tuple[list[str], list[charts.Series], list[charts.Series]]:
    """The day labels, and the ads per day stacked by source and by modus (trafficking at the bottom)."""
    index = {d: i for i, d in enumerate(daily.days)}
    by_source: dict[str, list[float]] = {}
    for (source, day), n in daily.by_source.items():
        by_source.setdefault(labels.source_label(source), [0.0] * len(index))[index[day]] += n
    by_modus: dict[tuple[str, str], list[float]] = {}
    for (modus, kind, day), n in daily.by_modus.items():
        by_modus.setdefault(_modus_key(modus, kind), [0.0] * len(index))[index[day]] += n
    day_labels = [f"{d.day}/{d.month}" for d in daily.days]
    sources = [charts.Series(name, values, f"source-{k % 4}")
               for k, (name, values) in enumerate(sorted(by_source.items()))]
    stacked: list[charts.Series] = []
    for (name, tone), values in sorted(by_modus.items(), key=lambda item: (CLASS_ORDER.get(item[0][1], 9), item[0][0])):
        shade = sum(1 for s in stacked if s.tone == tone)  # several modus of one class: lighter shades of its colour
        stacked.append(charts.Series(name, values, tone, shade))
    return day_labels, sources, stacked


def _modus_rows(counts: list[ModusCount]) -> list[charts.SplitRow]:
    """Queued and decided ads per modus, grouped by class (trafficking first), most ads first within a class."""
    rows = []
    for count in counts:
        name, tone = _modus_key(count.modus, count.kind)
        rows.append(charts.SplitRow(name, tone, (float(count.waiting), float(count.decided))))
    return sorted(rows, key=lambda row: (CLASS_ORDER.get(row.tone, 9), -sum(row.values), row.name))


@router.get(f"{DESK_PREFIX}/dasbor")
def dashboard_page(request: Request, user: DashboardUser, desk: DeskRead, settings: SettingsDep,
                   threshold: ReviewThreshold, hari: Annotated[int, Query(ge=7, le=90)] = 14) -> Response:
    board = read_dashboard(desk, settings, hari, page_zone(request), threshold)
    stats = board.stats
    days, by_source, by_modus = _per_day(board.daily)
    per_analyst: Counter[str] = Counter()
    for _day, reviewer, n in stats.throughput:
        per_analyst[reviewer] += n
    queue_counts = {"Terbuka": stats.counts.get("open", 0), "Perlu info": stats.counts.get("need_info", 0),
                    "Diklaim": stats.counts.get("claimed", 0), "Diputuskan": stats.counts.get("decided", 0)}
    kinds = {labels.decision_label(k): v for k, v in stats.by_kind.items()}
    kind_tones = {labels.decision_label(k): k for k in stats.by_kind}
    modus_rows = _modus_rows(board.by_modus)
    return render(request, "dashboard.html", {
        "days": hari, "total_ads": board.total_ads, "scored": board.scored_ads, "queue_counts": queue_counts,
        "in_queue": stats.counts.get("open", 0) + stats.counts.get("need_info", 0), "model": board.model,
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
        "chart_modus_queue": charts.responsive(lambda width: charts.split_bars(
            "Antrean dan keputusan menurut modus", modus_rows, QUEUE_PARTS, width)),
        "panel": model_panel(board.model, board.confirmed, board.review_threshold,
                             threshold_set=settings.review_threshold is not None),
    })
