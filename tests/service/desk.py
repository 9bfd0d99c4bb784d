"""Shared set-up for the review-desk tests: one user per role, their tokens, and scored ads in the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from scraper.records import JobPost
from service.auth.passwords import hash_password
from service.auth.roles import Role
from service.auth.tokens import issue_access_token
from service.auth.users import Principal, principal_of
from service.settings import Settings
from service.store.ads import _find, upsert_job_post
from service.store.session import Store
from service.store.tables import ScoreRow, User
from service.store.types import utc_now

PASSWORD = "kata-sandi-yang-panjang"
T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
USERNAMES = {Role.ANALYST: "ana", Role.SUPERVISOR: "sari", Role.POLICE: "polisi", Role.RESEARCHER: "riset",
             Role.ADMIN: "admin"}


@dataclass
class Desk:
    """A running API with one user per role (plus a second analyst) and bearer headers for each."""

    client: TestClient
    app: FastAPI
    settings: Settings
    store: Store
    users: dict[str, Principal]

    def headers(self, who: Role | str) -> dict[str, str]:
        user = self.users[who.value if isinstance(who, Role) else who]
        token, _ = issue_access_token(self.settings, user.id, user.role.value)
        return {"Authorization": f"Bearer {token}"}


@lru_cache(maxsize=1)
def password_hash() -> str:
    """Hashed once per test run: argon2 is slow on purpose, and six users per test would add up."""
    return hash_password(PASSWORD)


def make_users(session: Session) -> dict[str, Principal]:
    users: dict[str, Principal] = {}
    people = [(role.value, name, role) for role, name in USERNAMES.items()] + [("analyst2", "budi", Role.ANALYST)]
    for key, name, role in people:
        unit = "PPA Polres Singkawang" if role is Role.POLICE else None
        user = User(username=name, password_hash=password_hash(), role=role.value, unit=unit, disabled=False,
                    created_at=utc_now())
        session.add(user)
        session.flush()
        users[key] = principal_of(user)
    session.commit()
    return users


def add_scored_ad(session: Session, source_ad_id: str, text: str, p_scam: float, p_trafficking: float,
                  source: str = "telegram", location: str | None = None, indicators: list[str] | None = None,
                  modus: str | None = None, seen: datetime = T0, title: str = "Lowongan") -> int:
    """An ad and a score for its current content (with the model's `modus`), as scraping + scoring leave them."""
    post = JobPost(source=source, source_ad_id=source_ad_id, text=text, title=title, location=location,
                   posted_at=seen)
    upsert_job_post(session, post, None, seen)
    ad = _find(session, source, source_ad_id)
    assert ad is not None
    hits = [{"name": name, "category": "test", "text": name, "start": 0, "end": 1} for name in indicators or []]
    session.add(ScoreRow(ad_id=ad.id, model_version="test-1", content_hash=ad.content_hash, p_scam=p_scam,
                         p_trafficking=p_trafficking, risk=min(1.0, p_scam + p_trafficking), indicators=hits,
                         top_features=[], modus=modus, modus_probability=0.8 if modus else None,
                         scored_at=seen + timedelta(minutes=1)))
    session.flush()
    return ad.id
