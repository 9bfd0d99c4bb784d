"""`rules-0`: a small transparent scorer used until a trained model is active.

It reads each ad exactly as the trained model does (`model.analysis.analyse`: the same indicators and the
same deciding facts) and adds up fixed weights, one per indicator or fact, for scam and for trafficking.
No second set of patterns: a rule is a name from the indicator catalogue or a fact key, with two weights,
so an analyst reads the same words and explanations whichever scorer is active. Lawful facts (a work visa,
a licensed P3MI, zero cost) have negative weights: they lower risk, as in the trained model. Risk is
`model.risk.risk_of(p_scam, p_trafficking)`, as for every scorer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from model.analysis import Analysis, analyse
from model.facts import FACT_INFO
from model.indicators.catalogue import spec_by_name
from model.records import RULES_VERSION, AdText, Score
from model.scorer import entity_summary, fact_summary


@dataclass(frozen=True)
class Rule:
    """A weight on one indicator (`name` from the catalogue) or one fact (`name` = `kind:value`)."""

    name: str
    scam_weight: float
    trafficking_weight: float

    @property
    def is_fact(self) -> bool:
        return ":" in self.name

    @property
    def category(self) -> str:
        if self.is_fact:
            return "fact"
        return spec_by_name()[self.name].category

    @property
    def catalogue_name(self) -> str:
        return self.name


RULES: tuple[Rule, ...] = (
    # deciding facts: illegal ones raise the class they belong to
    Rule("visa:visit", 0.2, 2.0), Rule("visa:converted_there", 0.2, 1.6),
    Rule("passport:held_by_other", 0.1, 2.0), Rule("passport:arranged_there", 0.2, 1.6),
    Rule("cost:wage_deduction", 0.3, 1.6), Rule("cost:paid_by_applicant", 2.0, 0.3),
    Rule("channel:informal", 0.3, 1.4), Rule("contract:after_arrival", 0.2, 1.0),
    Rule("preparation:no_procedure", 0.2, 1.0), Rule("seafarer_papers:not_needed", 0.2, 1.6),
    Rule("wages:withheld", 0.2, 1.6), Rule("route:irregular", 0.1, 2.0), Rule("sex_work:asserted", 0.2, 2.2),
    Rule("age:minor", 0.2, 2.0), Rule("marriage:brokered_abroad", 0.1, 2.4), Rule("money:otp_or_topup", 2.2, 0.1),
    Rule("task:commission", 2.2, 0.0), Rule("contact:impersonates_employer", 2.0, 0.1),
    Rule("destination:no_placement_agreement", 0.3, 2.0), Rule("destination:closed_to_household_work", 0.1, 2.2),
    # lawful facts lower risk
    Rule("visa:work", -0.5, -1.0), Rule("passport:held_by_worker", 0.0, -0.8), Rule("cost:none_for_worker", -0.6, -0.4),
    Rule("channel:licensed_agency", -0.3, -0.8), Rule("channel:job_order", -0.3, -0.6),
    Rule("contract:before_departure", -0.2, -0.6), Rule("preparation:predeparture_training", -0.2, -0.4),
    Rule("preparation:social_security", -0.2, -0.3), Rule("seafarer_papers:required", 0.0, -0.6),
    Rule("wages:monthly_to_worker", -0.2, -0.5), Rule("warning:scam_warning", -0.5, -0.3),
    # indicators that matter in combination
    Rule("chat_only_contact", 0.4, 0.2), Rule("unrealistic_pay", 0.6, 0.5), Rule("too_good_pay_phrase", 0.4, 0.3),
    Rule("no_skills_needed", 0.3, 0.3), Rule("no_selection", 0.6, 0.2), Rule("urgency", 0.2, 0.2),
    Rule("free_travel", 0.1, 0.5), Rule("transit_town", 0.0, 0.5), Rule("young_age_limit", 0.1, 0.4),
    Rule("female_only", 0.0, 0.3), Rule("appearance_requirement", 0.1, 0.3), Rule("nightlife_venue", 0.0, 0.3),
    Rule("scam_compound_pattern", 0.2, 1.2), Rule("entertainment_young_women", 0.0, 0.8),
    Rule("overseas_without_official_channel", 0.1, 0.8), Rule("debt_with_travel", 0.0, 0.6),
    Rule("licence_claim_with_visit_visa", 0.0, 0.8), Rule("placement_without_agreement", 0.0, 1.0),
)

# Bias so that an ad with no red flag sits well under the review threshold.
_BASE_LOGIT = -3.0


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


class RuleScorer:
    """Transparent weights over `analyse()`; the version string says that no trained model is behind it."""

    version = RULES_VERSION

    def __init__(self, rules: Sequence[Rule] = RULES) -> None:
        self.rules = {rule.name: rule for rule in rules}
        unknown = [name for name, rule in self.rules.items()
                   if (rule.is_fact and name not in FACT_INFO) or (not rule.is_fact and name not in spec_by_name())]
        if unknown:
            raise ValueError(f"rules name no indicator or fact: {', '.join(unknown)}")

    def predict(self, ads: Sequence[AdText]) -> list[Score]:
        return [self._score(analysis) for analysis in analyse(ads)]

    def _fired(self, analysis: Analysis) -> list[Rule]:
        names = {hit.name for hit in analysis.hits}
        names |= {fact.key for fact in analysis.facts if not fact.negated}
        return [self.rules[name] for name in sorted(names) if name in self.rules]

    def _score(self, analysis: Analysis) -> Score:
        fired = self._fired(analysis)
        # Risk adds each rule's stronger weight; the two sums then split it between scam and trafficking.
        risk = _sigmoid(_BASE_LOGIT + sum(max(rule.scam_weight, rule.trafficking_weight) for rule in fired))
        scam = sum(rule.scam_weight for rule in fired)
        trafficking = sum(rule.trafficking_weight for rule in fired)
        trafficking_share = _sigmoid(trafficking - scam)
        p_scam, p_trafficking = risk * (1 - trafficking_share), risk * trafficking_share
        contributions = [(rule.name, round(rule.scam_weight + rule.trafficking_weight, 4)) for rule in fired]
        contributions.sort(key=lambda item: abs(item[1]), reverse=True)
        return Score(analysis.ad.ad_id, self.version, p_scam, p_trafficking, list(analysis.hits), contributions[:6],
                     entity_summary(analysis), fact_summary(analysis))
