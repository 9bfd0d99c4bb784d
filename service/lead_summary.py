"""The human-readable summary of a case package, in Bahasa Indonesia, for the police unit."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"

DECISION_LABELS = {
    "trafficking": "Indikasi TPPO (perdagangan orang)",
    "scam": "Penipuan lowongan kerja",
    "benign": "Bukan penipuan",
    "need_info": "Perlu informasi tambahan",
}
STATUS_LABELS = {"new": "Baru", "received": "Diterima", "in_progress": "Sedang ditangani", "closed": "Selesai"}


@lru_cache(maxsize=1)
def _template() -> Template:
    # Autoescape: ad text is written by the advertiser and must never become markup in the police's browser.
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return environment.get_template("ringkasan_lead.html")


def render_summary(lead: dict[str, Any], ads: list[dict[str, Any]], manifest: dict[str, Any]) -> str:
    """HTML summary: the lead, each ad with its red flags and decisions, and the evidence hashes."""
    return _template().render(lead=lead, ads=ads, manifest=manifest, decision_labels=DECISION_LABELS,
                              status_labels=STATUS_LABELS)
