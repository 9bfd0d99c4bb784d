"""What the desk's lead pages show: the leads a viewer may see (and, for supervisors, the confirmed ads a
new lead can be built from), and one lead with its ads, decisions, scores, exports and history.

Built on the same functions as the API's lead endpoints (`service.leads.rules`), audited the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit import AuditedSession
from service.auth.roles import Role
from service.leads.rules import (
    CONFIRMED_DECISIONS,
    LeadDetail,
    Viewer,
    lead_ad_ids,
    list_leads,
    read_lead,
    read_leads,
)
from service.review.decisions import latest_decisions
from service.store.ads import latest_scores
from service.store.tables import Ad, Lead, LeadAd, LeadExport, Review, ScoreRow, User

MAX_CANDIDATES = 200
MAX_LEADS = 500


@dataclass(frozen=True)
class Candidate:
    """A confirmed ad a supervisor may put into a lead."""

    ad: Ad
    review: Review
    in_lead: bool
    risk: float | None


@dataclass(frozen=True)
class LeadsOverview:
    leads: list[Lead]  # newest first
    ad_counts: dict[int, int]
    candidates: list[Candidate] = field(default_factory=list)
    units: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LeadDossier:
    detail: LeadDetail
    ads: list[Ad]
    decisions: dict[int, Review]
    scores: dict[int, ScoreRow]
    exports: list[LeadExport]


def leads_overview(desk: AuditedSession, viewer: Viewer) -> LeadsOverview:
    """The leads page: the viewer's leads (audited); supervisors also get candidates and police units."""
    leads = read_leads(desk, viewer, limit=MAX_LEADS)
    return _overview(desk.session, viewer, leads)


def leads_form_again(session: Session, viewer: Viewer) -> LeadsOverview:
    """The leads page shown again after a lead could not be built (nothing new was read: not audited again)."""
    return _overview(session, viewer, list_leads(session, viewer, limit=MAX_LEADS))


def _overview(session: Session, viewer: Viewer, leads: list[Lead]) -> LeadsOverview:
    supervisor = viewer.role == Role.SUPERVISOR.value
    return LeadsOverview(
        leads=sorted(leads, key=lambda lead: -lead.id),
        ad_counts={lead.id: len(lead_ad_ids(session, lead.id)) for lead in leads},
        candidates=candidates(session) if supervisor else [],
        units=police_units(session) if supervisor else [],
    )


def candidates(session: Session) -> list[Candidate]:
    """Ads whose latest decision is trafficking or scam, newest decision first, with whether a lead has them."""
    reviewed = list(session.scalars(select(Review.ad_id).where(Review.decision.in_(CONFIRMED_DECISIONS))
                                    .distinct().order_by(Review.ad_id.desc()).limit(MAX_CANDIDATES * 2)))
    decisions = {ad_id: r for ad_id, r in latest_decisions(session, reviewed).items()
                 if r.decision in CONFIRMED_DECISIONS}
    ads = {ad.id: ad for ad in session.scalars(select(Ad).where(Ad.id.in_(list(decisions))))}
    in_leads = set(session.scalars(select(LeadAd.ad_id).where(LeadAd.ad_id.in_(list(decisions)))))
    scores = latest_scores(session, list(decisions))
    rows = [Candidate(ads[ad_id], review, ad_id in in_leads, scores[ad_id].risk if ad_id in scores else None)
            for ad_id, review in decisions.items() if ad_id in ads]
    rows.sort(key=lambda r: (r.in_lead, -r.review.id))
    return rows[:MAX_CANDIDATES]


def police_units(session: Session) -> list[str]:
    return sorted(u for u in session.scalars(select(User.unit).where(User.role == Role.POLICE.value).distinct()) if u)


def lead_dossier(desk: AuditedSession, lead_id: int, viewer: Viewer) -> LeadDossier:
    """One lead's page: the lead (audited as a read) with its ads, their decisions and scores, and its exports."""
    detail = read_lead(desk, lead_id, viewer)
    session = desk.session
    ads = list(session.scalars(select(Ad).where(Ad.id.in_(detail.ad_ids)).order_by(Ad.id)))
    exports = list(session.scalars(select(LeadExport).where(LeadExport.lead_id == lead_id).order_by(LeadExport.id)))
    return LeadDossier(detail, ads, latest_decisions(session, detail.ad_ids), latest_scores(session, detail.ad_ids),
                       exports)
