"""`rules-0`: a small transparent scorer used until a trained model is active.

Each rule is data (name, category, pattern, weight, which risk it raises), so an analyst can read
why an ad scored as it did. The trained pipeline replaces it behind the same `Scorer` interface.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from model.records import AdText, IndicatorHit, Score


@dataclass(frozen=True)
class Rule:
    """One weighted pattern; `same_as` names the catalogue indicator it stands for when its own name differs,
    so people see that indicator's Bahasa label and explanation (one place for them: the catalogue)."""

    name: str
    category: str
    pattern: re.Pattern[str]
    scam_weight: float
    trafficking_weight: float
    same_as: str = ""

    @property
    def catalogue_name(self) -> str:
        return self.same_as or self.name


def _rule(name: str, category: str, regex: str, scam: float, trafficking: float, same_as: str = "") -> Rule:
    return Rule(name, category, re.compile(regex, re.IGNORECASE), scam, trafficking, same_as)


RULES: tuple[Rule, ...] = (
    _rule("upfront_fee", "upfront_fee",
          r"\b(biaya (pendaftaran|admin|seragam|pelatihan|medical|mcu)|transfer (dulu|terlebih dahulu)|"
          r"uang jaminan|deposit)\b", 1.6, 0.3),
    _rule("high_risk_destination", "high_risk_destination",
          r"\b(kamboja|cambodia|myanmar|phnom penh|sihanoukville|poipet|bavet|laos|golden triangle)\b",
          0.3, 1.6),
    _rule("tourist_visa", "visa_passport",
          r"\b(visa (turis|wisata|kunjungan|pelancong)|paspor (diurus|dibuatkan|ditahan)|"
          r"berangkat pakai visa)\b", 0.2, 1.8, same_as="visit_visa"),
    _rule("no_skill_needed", "no_skills_needed",
          r"\b(tanpa (pengalaman|skill|ijazah|keahlian)|tidak perlu (pengalaman|skill|ijazah))\b", 0.5, 0.5,
          same_as="no_skills_needed"),
    _rule("free_ticket", "transport_paid",
          r"\b(tiket (pesawat )?(gratis|ditanggung)|gratis tiket)\b", 0.2, 0.8, same_as="free_travel"),
    _rule("entertainment_lc", "entertainment",
          r"\b(lc|ladies ?companion|open ?bo|pemandu lagu|pl karaoke|hostess)\b", 0.2, 1.6, same_as="lc_companion"),
    _rule("chat_only_contact", "chat_only_contact",
          r"\b(minat (langsung )?(wa|chat|dm)|hubungi (wa|whatsapp|telegram) saja|wa only)\b", 0.6, 0.2),
    _rule("unrealistic_pay", "unrealistic_pay",
          r"\b(gaji|penghasilan|income)\s*(rp\.?\s*)?([2-9]\d|\d{3})\s*(jt|juta)\b", 0.9, 0.6),
    _rule("task_scam", "task_scam",
          r"\b(like (dan|&) subscribe|kerja (online )?(like|follow)|komisi per (tugas|task))\b", 1.8, 0.0),
    _rule("urgency", "urgency", r"\b(segera|urgent|terbatas|hari ini juga|buruan)\b", 0.3, 0.2),
    _rule("marriage_offer", "marriage_offer",
          r"\b(dinikahkan|nikah dengan (pria|warga) (china|tiongkok|taiwan)|calon (istri|pengantin))\b",
          0.2, 1.8),
)

# Bias so that an ad with no red flag sits well under the review threshold.
_BASE_LOGIT = -3.0


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


class RuleScorer:
    """Transparent weighted rules; the version string says that no trained model is behind it."""

    version = "rules-0"

    def __init__(self, rules: Sequence[Rule] = RULES) -> None:
        self.rules = tuple(rules)

    def find_indicators(self, ad: AdText) -> list[IndicatorHit]:
        text = ad.full_text
        return [
            IndicatorHit(rule.name, rule.category, match.group(0), match.start(), match.end())
            for rule in self.rules
            for match in rule.pattern.finditer(text)
        ]

    def predict(self, ads: Sequence[AdText]) -> list[Score]:
        return [self._score_one(ad) for ad in ads]

    def _score_one(self, ad: AdText) -> Score:
        hits = self.find_indicators(ad)
        fired = {hit.name for hit in hits}
        by_name = {rule.name: rule for rule in self.rules}
        scam_logit = _BASE_LOGIT + sum(by_name[name].scam_weight for name in fired)
        trafficking_logit = _BASE_LOGIT + sum(by_name[name].trafficking_weight for name in fired)
        p_scam, p_trafficking = _sigmoid(scam_logit), _sigmoid(trafficking_logit)
        total = p_scam + p_trafficking
        if total > 1.0:  # keep the three classes a probability distribution
            p_scam, p_trafficking = p_scam / total, p_trafficking / total
        contributions = [(name, by_name[name].scam_weight + by_name[name].trafficking_weight) for name in fired]
        contributions.sort(key=lambda item: item[1], reverse=True)
        return Score(ad.ad_id, self.version, p_scam, p_trafficking, hits, contributions)
