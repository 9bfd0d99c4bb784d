"""Leads for police: confirmed ads handed to one unit, with a status the unit keeps up to date.

Only ads whose latest decision is trafficking or scam can go into a lead (police act on what an
analyst confirmed, not on a score). A lead belongs to one unit; police of other units cannot read or
update it. Status moves forward only (new -> received -> in_progress -> closed); every change is an
append-only event with its note, so the history a court may ask for is never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit import AuditedSession, record_audit
from service.auth.users import Principal
from service.errors import ConflictError, DeskError, NotFoundError
from service.review.decisions import latest_decisions
from service.store.tables import Ad, Lead, LeadAd, LeadEvent
from service.store.types import utc_now

CONFIRMED_DECISIONS = frozenset({"trafficking", "scam"})
STATUSES = ("new", "received", "in_progress", "closed")
POLICE_STATUSES = frozenset({"received", "in_progress", "closed"})


class LeadNotFound(NotFoundError):
    """No lead (or ad) with that id."""


class LeadAccessDenied(DeskError):
    """The lead was sent to another unit."""

    http_status = 403


class LeadRuleError(ConflictError):
    """The request breaks a lead rule (unconfirmed ad, status going backwards, ...)."""


@dataclass(frozen=True)
class Viewer:
    """Who is asking: police see only their own unit's leads; desk roles see all."""

    name: str
    role: str
    unit: str | None = None

    @classmethod
    def of(cls, user: Principal) -> Viewer:
        """The viewer behind a logged-in caller (the API's and the desk's alike)."""
        return cls(user.actor, user.role.value, user.unit)

    @property
    def is_police(self) -> bool:
        return self.role == "police"


@dataclass(frozen=True)
class LeadDetail:
    """One lead with its ads and its status history."""

    lead: Lead
    ad_ids: list[int]
    history: list[LeadEvent]


def create_lead(session: Session, creator: str, unit: str, ad_ids: Sequence[int], title: str,
                note: str = "") -> Lead:
    """A new lead for `unit` from confirmed ads; refuses the whole request if any ad is not confirmed.

    Audited; the caller commits (on SQLite in a write session, as for every read-then-write).
    """
    unit = " ".join(unit.split())
    wanted = sorted(set(ad_ids))
    if not unit:
        raise LeadRuleError("a lead needs the police unit it is sent to")
    if not wanted:
        raise LeadRuleError("a lead needs at least one ad")
    found = set(session.scalars(select(Ad.id).where(Ad.id.in_(wanted))))
    missing = [ad_id for ad_id in wanted if ad_id not in found]
    if missing:
        raise LeadNotFound(f"no ad with id {', '.join(map(str, missing))}")
    decisions = latest_decisions(session, wanted)
    def state(ad_id: int) -> str:
        return decisions[ad_id].decision if ad_id in decisions else "not reviewed"

    unconfirmed = [f"{ad_id} ({state(ad_id)})" for ad_id in wanted if state(ad_id) not in CONFIRMED_DECISIONS]
    if unconfirmed:
        raise LeadRuleError("only ads whose latest decision is trafficking or scam can go into a lead; "
                            f"not confirmed: {', '.join(unconfirmed)}")
    now = utc_now()
    lead = Lead(unit=unit, title=title.strip() or f"{len(wanted)} iklan terkonfirmasi", note=note, status="new",
                created_by=creator, created_at=now, updated_at=now)
    session.add(lead)
    session.flush()
    session.add_all(LeadAd(lead_id=lead.id, ad_id=ad_id) for ad_id in wanted)
    session.add(LeadEvent(lead_id=lead.id, at=now, actor=creator, status="new", note=note))
    session.flush()
    record_audit(session, creator, "lead.create", "lead", lead.id, {"unit": unit, "ad_ids": wanted})
    return lead


def get_lead(session: Session, lead_id: int, viewer: Viewer) -> Lead:
    """The lead, if `viewer` may see it (police: only their own unit's)."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LeadNotFound(f"no lead with id {lead_id}")
    if viewer.is_police and (viewer.unit is None or viewer.unit != lead.unit):
        raise LeadAccessDenied(f"lead {lead_id} was sent to another unit")
    return lead


def list_leads(session: Session, viewer: Viewer, limit: int = 100, after_id: int = 0) -> list[Lead]:
    """Leads in id order; police get only their unit's."""
    query = select(Lead).where(Lead.id > after_id).order_by(Lead.id).limit(limit)
    if viewer.is_police:
        query = query.where(Lead.unit == (viewer.unit or ""))
    return list(session.scalars(query))


def lead_ad_ids(session: Session, lead_id: int) -> list[int]:
    return list(session.scalars(select(LeadAd.ad_id).where(LeadAd.lead_id == lead_id).order_by(LeadAd.ad_id)))


def lead_events(session: Session, lead_id: int) -> list[LeadEvent]:
    return list(session.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id).order_by(LeadEvent.id)))


def set_status(session: Session, lead_id: int, viewer: Viewer, status: str, note: str,
               at: datetime | None = None) -> Lead:
    """Police of the lead's unit record progress; status never moves backwards, closed is final."""
    if not viewer.is_police:
        raise LeadAccessDenied("only police of the lead's unit update its status")
    lead = get_lead(session, lead_id, viewer)
    if status not in POLICE_STATUSES:
        raise LeadRuleError(f"status must be one of {', '.join(sorted(POLICE_STATUSES))}")
    if lead.status == "closed":
        raise LeadRuleError(f"lead {lead_id} is closed; it cannot change any more")
    if STATUSES.index(status) < STATUSES.index(lead.status):
        raise LeadRuleError(f"lead {lead_id} is already {lead.status}; status cannot go back to {status}")
    now = at or utc_now()
    lead.status = status
    lead.updated_at = now
    session.add(LeadEvent(lead_id=lead.id, at=now, actor=viewer.name, status=status, note=note))
    session.flush()
    record_audit(session, viewer.name, "lead.status", "lead", lead.id, {"status": status, "unit": lead.unit})
    return lead


def lead_detail(session: Session, lead_id: int, viewer: Viewer) -> LeadDetail:
    lead = get_lead(session, lead_id, viewer)
    return LeadDetail(lead, lead_ad_ids(session, lead.id), lead_events(session, lead.id))


def open_lead(session: Session, viewer: Viewer, unit: str, ad_ids: Sequence[int], title: str,
              note: str = "") -> LeadDetail:
    """A supervisor turns confirmed ads into a lead (audited in the same transaction); the caller commits."""
    lead = create_lead(session, viewer.name, unit, ad_ids, title, note)
    return lead_detail(session, lead.id, viewer)


def read_leads(desk: AuditedSession, viewer: Viewer, limit: int = 100, after_id: int = 0) -> list[Lead]:
    """The leads `viewer` may see, audited with their ids."""
    leads = list_leads(desk.session, viewer, limit, after_id)
    desk.audit("leads.list", "lead", None, {"lead_ids": [lead.id for lead in leads]})
    return leads


def read_lead(desk: AuditedSession, lead_id: int, viewer: Viewer) -> LeadDetail:
    """One lead, if `viewer` may see it, audited."""
    detail = lead_detail(desk.session, lead_id, viewer)
    desk.audit("lead.read", "lead", lead_id, {"unit": detail.lead.unit})
    return detail


def update_lead_status(session: Session, lead_id: int, viewer: Viewer, status: str, note: str) -> LeadDetail:
    """Police of the lead's unit record progress (audited); the caller commits."""
    set_status(session, lead_id, viewer, status, note)
    return lead_detail(session, lead_id, viewer)
