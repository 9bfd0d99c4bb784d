"""Jinja2 set-up of the desk: autoescaped templates, Indonesian date/number filters, page context."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service import __version__
from service.web import explain
from service.web.security import CSRF_FIELD, csrf_token

TEMPLATE_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
# Analysts work in western Indonesia's time; the store keeps UTC.
WIB = timezone(timedelta(hours=7), "WIB")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def waktu(value: datetime | None, with_time: bool = True) -> str:
    """`25 Nov 2026 17:55 WIB`: one readable form everywhere."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(WIB)
    day = f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
    return f"{day} {local:%H:%M} WIB" if with_time else day


def persen(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100):d}%"


def risk_level(value: float | None) -> str:
    """CSS class of a risk value: high (>= 0.8), mid (>= 0.5), low."""
    if value is None:
        return "low"
    return "high" if value >= 0.8 else "mid" if value >= 0.5 else "low"


templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.autoescape = True  # every template, whatever its extension: scraped text is hostile
templates.env.filters.update(waktu=waktu, persen=persen, risk_level=risk_level)
templates.env.globals.update(
    label=explain.label, why=explain.why, decision_label=lambda d: explain.DECISION_LABELS.get(d, d),
    status_label=lambda s: explain.STATUS_LABELS.get(s, s), source_label=lambda s: explain.SOURCE_LABELS.get(s, s),
    version=__version__, csrf_field=CSRF_FIELD,
)


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """A page with the common context: the user, a CSRF token for its forms, the current path."""
    base = {"user": getattr(request.state, "principal", None), "csrf": csrf_token(request),
            "path": request.url.path}
    return templates.TemplateResponse(request, name, {**base, **(context or {})}, status_code=status_code)
