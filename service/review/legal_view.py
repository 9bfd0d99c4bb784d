"""The legal checklist of an overseas ad as the desk and the API show it (`model.legal_checklist`).

It reads the facts stored with the score (or found when the ad is read), the same ones the model
decided on, so the checklist never disagrees with the score about what the ad said.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from model.legal_checklist import check_requirements
from service.scoring.facts import as_facts


@dataclass(frozen=True)
class RequirementView:
    """One requirement of lawful placement: its wording (Bahasa), status, source id and deciding words."""

    code: str
    label: str
    status: str  # shown | missing | contradicted | not_broken
    status_label: str  # ditunjukkan | tidak disebut | bertentangan | tidak ada tanda pelanggaran
    source: str  # an id of model/data/sources.csv
    evidence: list[dict[str, Any]]  # the facts that decide it (kind, value, text, start, end, negated)


def legal_checklist(facts: list[dict[str, Any]]) -> list[RequirementView]:
    """Each requirement's status for an overseas ad; empty for an ad that sends nobody abroad."""
    return [RequirementView(item.requirement.code, item.requirement.label, item.status, item.status_label,
                            item.requirement.source,
                            [{"kind": f.kind, "value": f.value, "text": f.text, "start": f.start, "end": f.end,
                              "negated": f.negated} for f in item.evidence])
            for item in check_requirements(as_facts(facts))]
