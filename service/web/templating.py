"""Jinja2 set-up of the desk: autoescaped templates, Indonesian date/number filters, page context."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from model.risk import LEVEL_LABELS, high_from
from model.risk import risk_level as model_risk_level
from service import __version__
from service.api.deps import get_review_threshold
from service.display import labels
from service.display.citations import citation
from service.display.local_time import DEFAULT_DISPLAY_TIMEZONE, display_zone, local_time
from service.scoring.threshold import RULES_REVIEW_THRESHOLD
from service.settings import Settings
from service.web import explain
from service.web.security import CSRF_FIELD, csrf_token

TEMPLATE_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")


def page_zone(request: Request) -> tzinfo:
    """The zone the desk shows times in (settings.display_timezone; the store keeps UTC)."""
    settings: Settings | None = getattr(request.app.state, "settings", None)
    return display_zone(settings.display_timezone if settings else DEFAULT_DISPLAY_TIMEZONE)


@pass_context
def waktu(context: Context, value: datetime | str | None, with_time: bool = True) -> str:
    """`25 Nov 2026 17.55 WIB`: one readable form everywhere, in the configured zone."""
    zone = context.get("display_zone") or display_zone(DEFAULT_DISPLAY_TIMEZONE)
    return local_time(value, zone, with_time)


def persen(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100):d}%"


@pass_context
def risk_level(context: Context, value: float | None) -> str:
    """low / mid / high (shown as rendah / sedang / tinggi) against the review threshold in force: `model.risk`."""
    return model_risk_level(value, context.get("review_threshold", RULES_REVIEW_THRESHOLD))


templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.autoescape = True  # every template, whatever its extension: scraped text is hostile
templates.env.filters.update(waktu=waktu, persen=persen, risk_level=risk_level)
templates.env.globals.update(
    label=labels.indicator_label, why=labels.indicator_why, decision_label=labels.decision_label,
    status_label=labels.status_label, source_label=labels.source_label, modus_label=labels.modus_label,
    modus_class=labels.modus_class, citation=citation,
    contact_kind_label=labels.contact_kind_label, risk_levels=LEVEL_LABELS, is_signal=explain.is_signal,
    version=__version__, csrf_field=CSRF_FIELD,
)


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """A page with the common context: the user, a CSRF token for its forms, the current path, zone, and the
    review threshold in force (the active model's unless overridden: `service.scoring.threshold`)."""
    threshold = get_review_threshold(request)
    base = {"user": getattr(request.state, "principal", None), "csrf": csrf_token(request),
            "path": request.url.path, "display_zone": page_zone(request), "review_threshold": threshold,
            "high_risk_from": high_from(threshold)}
    return templates.TemplateResponse(request, name, {**base, **(context or {})}, status_code=status_code)
