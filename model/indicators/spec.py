"""What an indicator is: data (name, category, public source, phrases or token patterns, examples)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Categories whose hits argue *for* an ad (a claimed licence, a selection process); the classifier
# weighs them, the desk shows them apart from red flags.
SIGNAL_CATEGORIES = frozenset({"licence_claim", "selection_process", "job_type"})
# Bahasa Indonesia names of the categories of the catalogue and of `rules-0`, for people reading hits.
CATEGORY_LABELS: dict[str, str] = {
    "upfront_fee": "Biaya di muka", "money_or_otp_asked": "Minta uang/OTP", "task_scam": "Penipuan tugas",
    "unrealistic_pay": "Gaji tidak wajar", "no_skills_needed": "Tanpa syarat keahlian",
    "no_selection_process": "Tanpa seleksi", "high_risk_destination": "Tujuan berisiko",
    "visa_passport": "Visa/paspor", "document_retention": "Dokumen ditahan", "free_travel": "Perjalanan ditanggung",
    "transport_paid": "Perjalanan ditanggung", "age_gender_restriction": "Syarat usia/gender",
    "entertainment": "Hiburan malam", "marriage_offer": "Tawaran nikah", "chat_only_contact": "Hanya kontak chat",
    "no_licensed_agency": "Tanpa agen resmi", "licence_claim": "Klaim izin resmi",
    "selection_process": "Proses seleksi", "urgency": "Desakan waktu", "job_type": "Jenis pekerjaan",
    "ship_crew": "Awak kapal", "debt_bondage": "Jeratan utang", "impersonation": "Catut perusahaan",
    "domestic_work_ban": "Larangan penempatan PRT", "fact": "Fakta penentu",
}


@dataclass(frozen=True)
class IndicatorSpec:
    """One named indicator.

    `description` is English, for developers; `label` (a few words) and `why` (one sentence on why the
    words matter) are Bahasa Indonesia, for the analysts and police who read the hits: every screen and
    package that names an indicator shows these, never the code.

    `phrases` go to a PhraseMatcher and `patterns` to a Matcher, both on normalised text (so write
    them in the canonical spellings of `model.slang`). A spec with `derived=True` has no patterns: a
    rule in `model.indicators.derived` fires it from other hits and entities. `negatable` hits are
    dropped when a negator (`tanpa`, `tidak`, `bebas` ...) stands just before them, so "tanpa biaya
    pendaftaran" is not a fee. `positives` and `negatives` are ads that must and must not fire it;
    the tests run every one.
    """

    name: str
    category: str
    source: str
    description: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    derived: bool = False
    negatable: bool = False
    positives: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    label: str = field(kw_only=True)
    why: str = field(kw_only=True)

    @property
    def red_flag(self) -> bool:
        return self.category not in SIGNAL_CATEGORIES
