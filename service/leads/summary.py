"""The human-readable summary of a case package, in Bahasa Indonesia, for the police unit.

Everything a person reads here goes through `service.display.labels` (indicator, contact and source names) and
`service.display.local_time` (times in the display zone, `1 Des 2026 04.36 WIB`); ads.json and manifest.json
keep the codes and UTC times for machines.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, Template, pass_context, select_autoescape
from jinja2.runtime import Context

from service.display import labels
from service.display.local_time import DEFAULT_DISPLAY_TIMEZONE, display_zone, local_time

TEMPLATES = Path(__file__).parent / "templates"

DECISION_LABELS = {
    "trafficking": "Indikasi TPPO (perdagangan orang)",
    "scam": "Penipuan lowongan kerja",
    "benign": "Bukan penipuan",
    "need_info": "Perlu informasi tambahan",
    "reopened": "Dibuka lagi untuk ditinjau ulang",
}


@pass_context
def _waktu(context: Context, value: datetime | str | None) -> str:
    return local_time(value, context["display_zone"])


def _persen(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100):d}%"


@lru_cache(maxsize=1)
def _template() -> Template:
    # Autoescape: ad text is written by the advertiser and must never become markup in the police's browser.
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    environment.filters.update(waktu=_waktu, persen=_persen)
    environment.globals.update(indicator_label=labels.indicator_label, indicator_why=labels.indicator_why,
                               contact_kind_label=labels.contact_kind_label, source_label=labels.source_label,
                               modus_label=labels.modus_label)
    return environment.get_template("ringkasan_lead.html")


def render_summary(lead: dict[str, Any], ads: list[dict[str, Any]], manifest: dict[str, Any],
                   zone: tzinfo | None = None, screenshot_hashes: dict[str, str] | None = None,
                   focused: set[int] | None = None) -> str:
    """HTML summary: the lead, how to check the package with standard tools, each ad with its red flags,
    modus, decisions and the screenshots of its snapshots, and the evidence hashes. `manifest` is the manifest
    without its `files` list; `screenshot_hashes` gives each screenshot file's SHA-256; `focused` names the
    snapshots whose screenshot shows only the lead's own posts of a listing page."""
    screenshots = {shot["snapshot_id"]: shot for shot in manifest.get("screenshots", [])}
    return _template().render(lead=lead, ads=ads, manifest=manifest, decision_labels=DECISION_LABELS,
                              status_labels=labels.STATUS_LABELS, screenshots=screenshots,
                              screenshot_hashes=screenshot_hashes or {}, focused=focused or set(),
                              display_zone=zone or display_zone(DEFAULT_DISPLAY_TIMEZONE))
