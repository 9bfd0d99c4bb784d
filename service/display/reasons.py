"""What moved a score, said in Bahasa Indonesia: the names in `Score.top_features`, with their sign.

A trained model names its reasons as features (`fact=visa:visit`, `indicator=chat_only_contact`,
`contact=chat_only`, `pay_monthly_juta=>=50`, `text`, ...); `rules-0` names fact keys and indicator
names. Every shape has its words here; an unknown one is "Ciri lain", never the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from service.display.labels import CONTACT_KIND_LABELS, category_label, fact_label, indicator_label

TEXT_LABEL = "Kata-kata iklan"
OTHER_FEATURE = "Ciri lain"
CONTACT_LABELS = {"freemail": "Kontak e-mail gratisan (bukan domain perusahaan)",
                  "shortlink": "Kontak lewat tautan pendek", "own_domain": "Kontak di domain perusahaan sendiri",
                  "chat_only": "Kontak hanya lewat chat/telepon"}
GENDER_LABELS = {"female": "perempuan", "male": "laki-laki"}
DESTINATION_RISK_LABELS = {"high": "Negara tujuan berisiko tinggi (tanpa perjanjian penempatan)",
                           "medium": "Negara tujuan berisiko sedang", "low": "Negara tujuan penempatan biasa",
                           "kepmenaker260": "Negara tujuan yang ditutup untuk PRT", "transit": "Kota transit"}
PLAIN_FEATURES = {"text": TEXT_LABEL, "embedding": TEXT_LABEL, "facts_illegal": "Banyaknya fakta yang melanggar aturan",
                  "facts_lawful": "Banyaknya fakta yang sesuai aturan", "pay_log10": "Besar gaji yang dijanjikan",
                  "destination=overseas": "Kerja di luar negeri"}


def _bucket(value: str, unit: str) -> str:
    """`<3` -> `di bawah 3 juta`, `>=50` -> `50 juta atau lebih` (the model's buckets, in words)."""
    if value.startswith(">="):
        return f"{value[2:]} {unit} atau lebih".strip()
    if value.startswith("<"):
        return f"di bawah {value[1:]} {unit}".strip()
    return f"{value} {unit}".strip()


def feature_label(name: str) -> str:
    """The Bahasa words for one reason a model gives (see the module docstring)."""
    if name in PLAIN_FEATURES:
        return PLAIN_FEATURES[name]
    kind, _, value = name.partition("=")
    if not value:
        return fact_label(name) or indicator_label(name)  # rules-0: a fact key or an indicator name
    if kind == "fact":
        return fact_label(value) or OTHER_FEATURE
    if kind == "denied":
        return f"Disangkal atau diperingatkan: {fact_label(value) or OTHER_FEATURE}"
    if kind == "indicator":
        return indicator_label(value)
    if kind == "category":
        return f"Kelompok indikator: {category_label(value)}"
    if kind == "contact":
        return CONTACT_LABELS.get(value) or f"Kontak: {CONTACT_KIND_LABELS.get(value, 'lainnya')}"
    if kind == "pay_monthly_juta":
        return "Gaji tidak disebut" if value == "<0.001" else f"Gaji per bulan {_bucket(value, 'juta')}"
    if kind == "age_max":
        return f"Batas usia tertinggi {_bucket(value, 'tahun')}"
    if kind == "age_min":
        return f"Batas usia terendah {_bucket(value, 'tahun')}"
    if kind == "gender":
        genders = [GENDER_LABELS.get(g, "") for g in value.split("+")]
        return "Menyebut jenis kelamin: " + " dan ".join(g for g in genders if g) if all(genders) else OTHER_FEATURE
    if kind == "destination_risk":
        return DESTINATION_RISK_LABELS.get(value, "Negara tujuan")
    return OTHER_FEATURE


@dataclass(frozen=True)
class Reason:
    """One reason on the ad page: its words, how much it moved risk (signed) and which way."""

    label: str
    weight: float

    @property
    def raises(self) -> bool:
        return self.weight > 0

    @property
    def sign(self) -> str:
        return "+" if self.weight > 0 else "−"


def reasons(top_features: Iterable[Any]) -> list[Reason]:
    """`top_features` as stored (`[name, weight]` pairs) in Bahasa, strongest first; same words merged."""
    merged: dict[str, float] = {}
    for item in top_features:
        if not (isinstance(item, list | tuple) and len(item) == 2 and isinstance(item[1], int | float)):
            continue
        label = feature_label(str(item[0]))
        merged[label] = merged.get(label, 0.0) + float(item[1])
    return sorted((Reason(label, weight) for label, weight in merged.items() if weight),
                  key=lambda reason: abs(reason.weight), reverse=True)
