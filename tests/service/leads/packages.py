"""A lead built from real captured pages, and its signed case package: the material the leads tests share."""

from __future__ import annotations

from pathlib import Path

from model.rule_scorer import RuleScorer
from service.leads.package import LeadPackage, build_lead_package
from service.leads.rules import Viewer, create_lead
from service.leads.screenshots import renderer_for
from service.leads.signing import load_or_create_signer
from service.scoring.score import score_unscored
from service.settings import Settings
from service.store.session import Store
from service.store.tables import Ad
from tests.service.lead_data import add_ad, decide, store_real_page

SUPERVISOR = Viewer("supervisor1", "supervisor")
UNIT = "PPA Polres Singkawang"
TRAFFICKING_TEXT = ("Dicari admin CS online penempatan Kamboja, gaji 15 juta, tiket pesawat gratis, visa turis "
                    "diurus agen, paspor ditahan perusahaan. WA 0812-3456-7890 <script>alert(1)</script>")


def seed_lead_data(store: Store, fixtures_dir: Path) -> dict[str, int]:
    """Two real captured pages stored as snapshots; three ads seen in them, two confirmed, one benign."""
    telegram = fixtures_dir / "telegram/any2feed_full.html"
    facebook = fixtures_dir / "facebook/fbscraper_m_facebook_group_117507531664134.html"
    with store.session_factory() as session, session.begin():
        first = store_real_page(session, telegram, "https://t.me/s/lokerkerja",
                                {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
        second = store_real_page(session, facebook, "https://m.facebook.com/groups/117507531664134")
        trafficking = add_ad(session, "101", TRAFFICKING_TEXT, first, title="Kerja di Kamboja")
        add_ad(session, "101", TRAFFICKING_TEXT, second, title="Kerja di Kamboja")  # seen again elsewhere
        scam = add_ad(session, "102", "Kerja online, biaya pendaftaran 150rb transfer dulu ke rekening admin",
                      second, source="facebook")
        benign = add_ad(session, "103", "Kasir minimarket Pontianak, gaji UMK, BPJS", second, source="facebook")
        ids = {"trafficking": trafficking.id, "scam": scam.id, "benign": benign.id, "snap1": first, "snap2": second}
    score_unscored(store.session_factory, RuleScorer())
    with store.session_factory() as session, session.begin():
        decide(session, session.get_one(Ad, ids["trafficking"]), "need_info", "cek nomor WA")
        decide(session, session.get_one(Ad, ids["trafficking"]), "trafficking", "visa turis + paspor ditahan")
        decide(session, session.get_one(Ad, ids["scam"]), "scam", "biaya di depan")
        decide(session, session.get_one(Ad, ids["benign"]), "benign", "")
    return ids


def create_test_lead(store: Store, seeded: dict[str, int]) -> int:
    with store.session_factory() as session, session.begin():
        return create_lead(session, "supervisor1", UNIT, [seeded["trafficking"], seeded["scam"]],
                           "Jaringan admin Kamboja", "Mohon ditindaklanjuti").id


def export_package(store: Store, settings: Settings, lead_id: int, viewer: Viewer = SUPERVISOR) -> LeadPackage:
    """The lead's package, signed with the installation key of `settings` (made on first use), its screenshots
    rendered by the Chromium `settings` name."""
    with store.session_factory() as session:
        package = build_lead_package(session, lead_id, viewer, load_or_create_signer(settings.signing_key_path),
                                     settings.display_timezone, renderer_for(settings))
        session.commit()  # the package ends its own reads; the export it records is the caller's to commit
        return package
