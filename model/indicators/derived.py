"""Indicators that combine facts: pay against skills, a claimed licence against a visit visa, ...

Counting red flags misses the point of the contrast pairs: a legal ad full of feared words and an
illegal one dressed in legal words differ by one decisive fact. Each rule here names that fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from model.entities import FREEMAIL_DOMAINS, SHORTLINK_DOMAINS, AgeRange, Contact, Entities, Mention, Money, domain_of
from model.indicators.catalogue import spec_by_name
from model.normalise import NormalisedText
from model.records import IndicatorHit
from model.reference import employers


@dataclass(frozen=True)
class Evidence:
    """What the derived rules look at: the normalised ad, its entities and the pattern hits."""

    norm: NormalisedText
    entities: Entities
    hits: tuple[IndicatorHit, ...]

    def first(self, *names: str) -> IndicatorHit | None:
        return next((hit for hit in self.hits if hit.name in names), None)

    def has(self, *names: str) -> bool:
        return self.first(*names) is not None


def _hit(name: str, text: str, start: int, end: int) -> IndicatorHit:
    return IndicatorHit(name, spec_by_name()[name].category, text, start, end)


def _from(name: str, source: IndicatorHit | Mention | Money | AgeRange) -> IndicatorHit:
    return _hit(name, source.text, source.start, source.end)


_EXPERIENCED = re.compile(
    r"\b\d+\s?tahun pengalaman|pengalaman (?:kerja )?(?:minimal )?\d+\s?tahun|\b(?:senior|manager|manajer|"
    r"head of|direktur|director|dokter|spesialis|engineer|lead)\b"
)
_FOREIGN_MAN = re.compile(
    r"\bpria (?:china|taiwan|hong kong|korea|asing|luar negeri)\b|\bwarga (?:china|taiwan|asing)\b"
)


def unrealistic_pay(ev: Evidence) -> list[IndicatorHit]:
    if not ev.entities.money:
        return []
    top = max(ev.entities.money, key=lambda m: m.monthly_idr)
    official = ev.has("licence_claim") and not any(d.risk == "high" for d in ev.entities.destinations)
    if _EXPERIENCED.search(ev.norm.text) or official:
        limit = 40e6  # skilled or formally placed overseas work pays this much legitimately
    elif ev.has("no_skills_needed", "online_scam_job", "task_scam"):
        limit = 10e6
    else:
        limit = 20e6
    return [_from("unrealistic_pay", top)] if top.monthly_idr >= limit else []


def high_risk_destination(ev: Evidence) -> list[IndicatorHit]:
    return [_from("high_risk_destination", d) for d in ev.entities.destinations if d.risk == "high"][:1]


def transit_town(ev: Evidence) -> list[IndicatorHit]:
    return [_from("transit_town", town) for town in ev.entities.transit_towns][:1]


def young_age_limit(ev: Evidence) -> list[IndicatorHit]:
    return [_from("young_age_limit", age) for age in ev.entities.ages
            if age.max_age is not None and age.max_age <= 25][:1]


def minor_by_age(ev: Evidence) -> list[IndicatorHit]:
    if ev.has("minor_targeted"):
        return []
    return [_from("minor_targeted", age) for age in ev.entities.ages
            if (age.min_age is not None and age.min_age < 18) or (age.max_age is not None and age.max_age < 18)][:1]


def female_only(ev: Evidence) -> list[IndicatorHit]:
    genders = {mention.value for mention in ev.entities.genders}
    if genders != {"female"} or _FOREIGN_MAN.search(ev.norm.text):
        return []
    return [_from("female_only", ev.entities.genders[0])]


def overseas_without_official_channel(ev: Evidence) -> list[IndicatorHit]:
    if not ev.entities.destinations or ev.has("licence_claim"):
        return []
    return [_from("overseas_without_official_channel", ev.entities.destinations[0])]


_OFFICIAL_SUFFIXES = (".co.id", ".go.id", ".ac.id", ".or.id")


def _group_domain(domain: str, text: str) -> bool:
    """`astraotoparts.co.id` for Astra: a group company's own .co.id / .go.id domain named after the employer.

    Look-alike recruitment domains sit on cheap open TLDs (.online, .info, .site, .com); an Indonesian
    .co.id or .go.id name needs company papers to register.
    """
    if not domain.endswith(_OFFICIAL_SUFFIXES):
        return False
    name = domain.rsplit(".", 2)[0].split(".")[-1]
    return any(name.startswith(alias.replace(" ", "")) for employer in employers() for alias in employer.aliases
               if re.search(rf"\b{re.escape(alias)}\b", text))


def _is_own_domain(domain: str, own_domains: set[str], text: str) -> bool:
    if domain in FREEMAIL_DOMAINS or domain in SHORTLINK_DOMAINS:
        return False
    return any(domain == d or domain.endswith("." + d) for d in own_domains) or _group_domain(domain, text)


def _domain_contacts(norm: NormalisedText, entities: Entities) -> list[tuple[Contact, bool]]:
    """Each contact with a domain, and whether the domain belongs to an employer the ad names."""
    text = norm.text
    own_domains = {domain for employer in employers() for domain in employer.domains
                   if any(re.search(rf"\b{re.escape(alias)}\b", text) for alias in employer.aliases)}
    return [(contact, _is_own_domain(domain, own_domains, text))
            for contact in entities.contacts if (domain := domain_of(contact))]


def impersonation(ev: Evidence) -> list[IndicatorHit]:
    if ev.first("named_employer") is None:
        return []
    for contact, own in _domain_contacts(ev.norm, ev.entities):
        if not own:
            return [_hit("impersonation", contact.text, contact.start, contact.end)]
    return []


def official_employer_contact(norm: NormalisedText, entities: Entities,
                              hits: tuple[IndicatorHit, ...]) -> Contact | None:
    """The contact on the named employer's own domain, when every domain contact is its own.

    The lawful twin of `impersonation`: "daftar hanya via e-recruitment.bri.co.id" is how the employer
    itself recruits (KemenBUMN: BUMN recruitment runs through their own sites).
    """
    if not any(hit.name == "named_employer" for hit in hits):
        return None
    contacts = _domain_contacts(norm, entities)
    if not contacts or not all(own for _, own in contacts):
        return None
    return contacts[0][0]


def licence_claim_with_visit_visa(ev: Evidence) -> list[IndicatorHit]:
    visa = ev.first("visit_visa", "passport_arranged")
    return [_from("licence_claim_with_visit_visa", visa)] if visa and ev.has("licence_claim") else []


def placement_without_agreement(ev: Evidence) -> list[IndicatorHit]:
    if not ev.has("licence_claim"):
        return []
    return [_from("placement_without_agreement", d) for d in ev.entities.destinations if d.risk == "high"][:1]


def scam_compound_pattern(ev: Evidence) -> list[IndicatorHit]:
    job = ev.first("online_scam_job")
    if job is None or not ev.entities.destinations:
        return []
    high_risk = any(d.risk == "high" for d in ev.entities.destinations)
    lure = ev.has("free_travel", "no_skills_needed", "unrealistic_pay", "passport_arranged", "visit_visa")
    return [_from("scam_compound_pattern", job)] if high_risk or lure else []


def domestic_work_middle_east(ev: Evidence) -> list[IndicatorHit]:
    if not ev.has("domestic_work"):
        return []
    return [_from("domestic_work_middle_east", d) for d in ev.entities.destinations
            if d.risk == "kepmenaker260"][:1]


def entertainment_young_women(ev: Evidence) -> list[IndicatorHit]:
    venue = ev.first("lc_companion", "nightlife_venue")
    if venue is None:
        return []
    young = ev.has("young_age_limit", "minor_targeted")
    if young or (ev.has("female_only") and ev.has("lc_companion")):
        return [_from("entertainment_young_women", venue)]
    return []


def bride_abroad(ev: Evidence) -> list[IndicatorHit]:
    offer = ev.first("marriage_offer")
    if offer is None:
        return []
    abroad = _FOREIGN_MAN.search(ev.norm.text) or any(
        d.value in ("china", "taiwan", "hong kong", "korea") for d in ev.entities.destinations)
    return [_from("bride_abroad", offer)] if abroad else []


def debt_with_travel(ev: Evidence) -> list[IndicatorHit]:
    debt = ev.first("debt_deduction")
    if debt is None:
        return []
    travel = ev.has("free_travel") or bool(ev.entities.destinations) or "berangkat" in ev.norm.text
    return [_from("debt_with_travel", debt)] if travel else []


# Order matters: later rules read the hits of earlier ones.
RULES: tuple[Callable[[Evidence], list[IndicatorHit]], ...] = (
    high_risk_destination, transit_town, young_age_limit, minor_by_age, female_only, unrealistic_pay,
    overseas_without_official_channel, impersonation, licence_claim_with_visit_visa, placement_without_agreement,
    scam_compound_pattern, domestic_work_middle_east, entertainment_young_women, bride_abroad, debt_with_travel,
)


def derive(norm: NormalisedText, entities: Entities, hits: list[IndicatorHit]) -> list[IndicatorHit]:
    """Pattern hits plus every derived hit, each rule seeing the hits of the rules before it."""
    all_hits = list(hits)
    for rule in RULES:
        all_hits.extend(rule(Evidence(norm, entities, tuple(all_hits))))
    return all_hits
