"""The legal requirements of an overseas job, checked against what an ad says.

For an ad that sends people abroad, an analyst wants to see at a glance which requirements of lawful
placement (UU 18/2017, BP2MI rules, Kepmenaker 260/2015, the Cambodia/Myanmar warnings) the ad shows,
which it does not mention, and which it contradicts, each with the words that decide it. The checklist
reads the same facts the model decides on (`model.facts`), so the desk and the score never disagree
about what the ad said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from model.facts import Fact

SHOWN = "shown"
MISSING = "missing"
CONTRADICTED = "contradicted"
NOT_BROKEN = "not_broken"  # a requirement an ad can only break (a closed destination, an irregular route): it does not
STATUS_LABELS = {SHOWN: "ditunjukkan", MISSING: "tidak disebut", CONTRADICTED: "bertentangan",
                 NOT_BROKEN: "tidak ada tanda pelanggaran"}


@dataclass(frozen=True)
class Requirement:
    """One requirement: Bahasa wording, the source id, and the fact keys that show or contradict it."""

    code: str
    label: str
    source: str
    shows: tuple[str, ...]
    contradicts: tuple[str, ...]
    applies_to_ship_crew_only: bool = False


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("licensed_channel", "Lewat P3MI berizin atau program pemerintah (G to G, EPS, IM Japan, SSW)",
                "uu18_2017", ("channel:licensed_agency",), ("channel:informal",)),
    Requirement("job_order", "Ada job order / SIP2MI dari pemberi kerja yang jelas", "uu18_2017",
                ("channel:job_order",), ()),
    Requirement("work_visa", "Visa kerja sebelum berangkat, bukan visa turis/kunjungan/umrah", "uu18_2017",
                ("visa:work",), ("visa:visit", "visa:converted_there")),
    Requirement("contract", "Perjanjian kerja ditandatangani sebelum berangkat", "uu18_2017",
                ("contract:before_departure",), ("contract:after_arrival",)),
    Requirement("passport", "Paspor dipegang pekerja sendiri", "ilo_indicators",
                ("passport:held_by_worker",), ("passport:held_by_other", "passport:arranged_there")),
    Requirement("no_cost", "Tanpa biaya penempatan dan tanpa potong gaji untuk melunasinya", "uu18_2017",
                ("cost:none_for_worker",), ("cost:paid_by_applicant", "cost:wage_deduction", "wages:withheld")),
    Requirement("preparation", "Pelatihan/orientasi pra pemberangkatan dan BPJS Ketenagakerjaan", "uu18_2017",
                ("preparation:predeparture_training", "preparation:social_security"), ("preparation:no_procedure",)),
    Requirement("open_destination", "Negara tujuan terbuka untuk penempatan pekerjaan ini", "kepmenaker_260_2015",
                (), ("destination:no_placement_agreement", "destination:closed_to_household_work")),
    Requirement("regular_route", "Berangkat lewat jalur resmi (bukan jalan tikus)", "polri_tppo_2023",
                (), ("route:irregular",)),
    Requirement("adult", "Usia pekerja minimal 18 tahun", "uu18_2017", ("age:adult_only",), ("age:minor",)),
    Requirement("seafarer_papers", "Awak kapal: wajib BST dan buku pelaut", "bp2mi_perban9_2020",
                ("seafarer_papers:required",), ("seafarer_papers:not_needed",), applies_to_ship_crew_only=True),
)
# Facts that make an ad an overseas placement for this checklist.
_OVERSEAS_KEYS = frozenset({"destination:overseas", "destination:no_placement_agreement",
                            "destination:closed_to_household_work", "channel:licensed_agency", "channel:job_order",
                            "visa:work", "visa:visit"})


@dataclass(frozen=True)
class CheckedRequirement:
    requirement: Requirement
    status: str
    evidence: tuple[Fact, ...]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def is_overseas(facts: Sequence[Fact]) -> bool:
    return any(fact.key in _OVERSEAS_KEYS and not fact.negated for fact in facts)


def check_requirements(facts: Sequence[Fact]) -> list[CheckedRequirement]:
    """Each requirement's status for an overseas ad (empty for an ad that sends nobody abroad)."""
    if not is_overseas(facts):
        return []
    asserted = [fact for fact in facts if not fact.negated]
    ship_crew = any(fact.key in ("job:ship_crew", "seafarer_papers:required", "seafarer_papers:not_needed")
                    for fact in asserted)
    checked = []
    for requirement in REQUIREMENTS:
        if requirement.applies_to_ship_crew_only and not ship_crew:
            continue
        against = tuple(fact for fact in asserted if fact.key in requirement.contradicts)
        shown = tuple(fact for fact in asserted if fact.key in requirement.shows)
        if against:
            checked.append(CheckedRequirement(requirement, CONTRADICTED, against))
        elif shown:
            checked.append(CheckedRequirement(requirement, SHOWN, shown))
        elif requirement.contradicts and not requirement.shows:
            # Nothing in an ad can show "not a closed destination" or "not a rat route"; silence is no proof, so
            # the desk says only that the ad shows no sign of breaking it.
            checked.append(CheckedRequirement(requirement, NOT_BROKEN, ()))
        else:
            checked.append(CheckedRequirement(requirement, MISSING, ()))
    return checked
