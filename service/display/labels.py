"""Bahasa Indonesia words for every code people see: indicators, categories, decisions, statuses, sources,
contact kinds, modus. The desk and the police summary both read them here, so a code never reaches a screen.

Indicator labels live with the indicators themselves (`model.indicators.catalogue`; `rules-0` rules point
at the catalogue entry they stand for); this module only looks them up. An unknown name falls back to
its category's label, then to a neutral Indonesian phrase: a new indicator never breaks a page, and
never shows a code either (a test renders every page and fails on any code it finds).
"""

from __future__ import annotations

from model.facts import FACT_INFO
from model.indicators.catalogue import spec_by_name
from model.indicators.spec import CATEGORY_LABELS, IndicatorSpec
from scraper import sources

UNKNOWN_INDICATOR = "Indikator lain"

DECISION_LABELS: dict[str, str] = {
    "trafficking": "TPPO", "scam": "Penipuan", "benign": "Wajar", "need_info": "Perlu info", "reopened": "Dibuka lagi",
}
STATUS_LABELS: dict[str, str] = {
    "open": "Terbuka", "need_info": "Perlu info", "decided": "Diputuskan", "reopened": "Dibuka lagi",
    "new": "Baru", "received": "Diterima", "in_progress": "Diproses", "closed": "Ditutup",
}
# Scraper sources name themselves (`label` on each source class); these are the other origins an ad can have.
OTHER_SOURCE_LABELS: dict[str, str] = {"manual": "Manual", "instagram": "Instagram"}
# `model.entities.Contact.kind`
CONTACT_KIND_LABELS: dict[str, str] = {"phone": "Nomor telepon", "email": "E-mail", "url": "Tautan",
                                       "telegram": "Akun Telegram", "instagram": "Akun Instagram",
                                       "handle": "Akun media sosial"}
# The modus of labelled ads (labelled_data/README.md, "Labels and modus"), with the class each belongs to.
MODUS_LABELS: dict[str, tuple[str, str]] = {
    "online_scam_compound": ("Kompleks penipuan daring", "trafficking"),
    "sexual_exploitation": ("Eksploitasi seksual", "trafficking"),
    "bride_trafficking": ("Perdagangan pengantin", "trafficking"),
    "nonprocedural_migrant": ("PMI non-prosedural", "trafficking"),
    "ship_crew": ("ABK kapal ikan", "trafficking"),
    "domestic_work_ban": ("PRT ke negara tertutup", "trafficking"),
    "fee_fraud": ("Penipuan biaya", "scam"),
    "task_scam": ("Penipuan tugas", "scam"),
    "impersonation": ("Catut nama perusahaan", "scam"),
    "legit_local": ("Lowongan lokal wajar", "benign"),
    "legit_overseas_p3mi": ("Luar negeri lewat P3MI resmi", "benign"),
    "legit_entertainment": ("Hiburan wajar", "benign"),
    "legit_remote_cs": ("CS/admin daring wajar", "benign"),
    "legit_high_pay": ("Gaji tinggi wajar", "benign"),
    "legit_entry_training": ("Tanpa pengalaman, wajar", "benign"),
}


def _spec_of(name: str) -> IndicatorSpec | None:
    return spec_by_name().get(name)


def fact_label(key: str) -> str | None:
    """The Bahasa name of a deciding fact (`visa:visit`), or None for a key that is not a fact."""
    info = FACT_INFO.get(key)
    return info.label if info else None


def category_label(category: str | None) -> str:
    return CATEGORY_LABELS.get(category or "", UNKNOWN_INDICATOR)


def indicator_label(name: str, category: str | None = None) -> str:
    """The short Bahasa name of an indicator (its category's name, or a neutral phrase, when unknown)."""
    spec = _spec_of(name)
    if spec is not None:
        return spec.label
    return fact_label(name) or category_label(category)


def indicator_why(name: str, category: str | None = None) -> str:
    """One Bahasa sentence on why the indicator matters."""
    spec = _spec_of(name)
    if spec is not None:
        return spec.why
    return f"Indikator '{indicator_label(name, category)}' menyala pada kata-kata yang disorot."


def modus_label(modus: str | None) -> str:
    if not modus:
        return "Tanpa modus"
    return MODUS_LABELS[modus][0] if modus in MODUS_LABELS else modus.replace("_", " ").capitalize()


def modus_class(modus: str | None) -> str | None:
    """trafficking, scam or benign for a known modus; None otherwise."""
    return MODUS_LABELS[modus][1] if modus in MODUS_LABELS else None


def contact_kind_label(kind: str) -> str:
    return CONTACT_KIND_LABELS.get(kind, "Kontak")


def source_label(source: str) -> str:
    if source in sources.names():
        return sources.info(source).label
    return OTHER_SOURCE_LABELS.get(source, source.capitalize())


def decision_label(decision: str) -> str:
    return DECISION_LABELS.get(decision, decision)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
