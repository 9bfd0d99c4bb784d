"""A PostgreSQL store filled fast with synthetic but realistic scored ads, for the scale benchmarks.

Scoring a million ads with the real scorer would take hours and measure the scorer, so ads are built from a
pool of ad bodies that rules-0 really scored (its indicators with spans, modus, deciding facts and entities are
the real ones), each ad adding its own recruiter phone. About 30% of the ads share one of a pool of recruiter
phones, so contacts and clusters exist as linking would make them. Rows go in with COPY; the queue entries are
made with the queue's own rules (`service.review.queue_sync`), so the store is what scoring, queue sync and
linking would leave behind.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from model.records import AdText
from model.rule_scorer import RuleScorer
from service.auth.passwords import hash_password
from service.review.queue_sync import SYNC_KEY, in_queue, indicator_names, kind_of, shown_modus
from service.scoring.entities import find_entities
from service.scoring.pending import SWEEP_KEY
from service.store.ads import content_hash

JOBS = ["admin online", "operator komputer", "kasir", "sopir", "ART", "perawat lansia", "pelayan restoran",
        "staf gudang", "CS online", "marketing", "teknisi listrik", "guru les", "barista", "satpam"]
PLACES = ["Kamboja", "Myanmar", "Malaysia", "Taiwan", "Batam", "Jakarta Selatan", "Pontianak", "Singkawang", "Medan",
          "Dubai", "Surabaya", "Bandung", "Laos", "Hong Kong"]
SUSPICIOUS = ["visa turis diurus agen", "paspor dipegang agen selama kontrak",
              "biaya administrasi 2 juta dibayar di muka", "tanpa pengalaman, tanpa ijazah",
              "tiket dan mess ditanggung", "potong gaji untuk ganti biaya",
              "wanita usia 18-25", "berangkat minggu depan", "kerja ketik di rumah, komisi per tugas"]
ORDINARY = ["BPJS Kesehatan dan Ketenagakerjaan", "gaji sesuai UMK", "kirim lamaran dan CV ke alamat kantor",
            "pengalaman minimal 1 tahun", "pendidikan minimal SMA/SMK", "penempatan melalui P3MI resmi terdaftar",
            "kontrak kerja tertulis", "wawancara di kantor cabang"]
TITLES = ["Lowongan", "LOKER", "Dibutuhkan segera", "Info kerja", "Lowongan kerja terbaru"]
SOURCES = ["telegram", "olx", "facebook", "whatsapp"]
T0 = datetime(2026, 1, 1, tzinfo=UTC)
MODEL_VERSION = "rules-0"
USERS_PASSWORD = "bench-password-0123456789"


@dataclass(frozen=True)
class ScoredBody:
    """An ad body rules-0 scored, with what the store keeps of that score."""

    title: str
    body: str
    p_scam: float
    p_trafficking: float
    risk: float
    indicators: list[dict[str, Any]]
    modus: str | None
    modus_probability: float | None
    facts: list[dict[str, Any]]
    entities: dict[str, Any]


def _body(rng: random.Random) -> tuple[str, str]:
    flags = rng.sample(SUSPICIOUS, rng.choice([0, 0, 0, 1, 1, 2, 3]))
    plain = rng.sample(ORDINARY, rng.randint(1, 3))
    details = ", ".join(flags + plain)
    text = (f"Dicari {rng.choice(JOBS)} untuk penempatan {rng.choice(PLACES)}, gaji {rng.randint(3, 30)} juta per "
            f"bulan, {details}. Usia {rng.randint(18, 25)}-{rng.randint(30, 45)}. Hubungi")
    return rng.choice(TITLES), text


def scored_bodies(count: int, seed: int) -> list[ScoredBody]:
    """`count` distinct ad bodies with rules-0's real verdicts on them."""
    rng = random.Random(seed)
    pairs = list(dict.fromkeys(_body(rng) for _ in range(count * 2)))[:count]
    ads = [AdText(str(n), text, title=title) for n, (title, text) in enumerate(pairs)]
    scores = RuleScorer().predict(ads)
    return [ScoredBody(ad.title, ad.text, s.p_scam, s.p_trafficking, s.risk, s.indicators_json(),
                       s.modus[:60] if s.modus else None, s.modus_probability if s.modus else None,
                       list(s.facts), find_entities(ad))
            for ad, s in zip(ads, scores, strict=True)]


def _phone(rng: random.Random) -> str:
    return f"08{rng.randint(11, 99)}{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}"


@dataclass
class SyntheticAd:
    ad_id: int
    source: str
    title: str
    text: str
    location: str
    phone: str
    seen_at: datetime
    scored: ScoredBody
    digest: str
    entities: dict[str, Any]


def synthetic_ads(count: int, bodies: list[ScoredBody], seed: int, first_id: int = 1) -> Iterator[SyntheticAd]:
    """Ads `first_id`.. in posting order: a scored body, a source, a place and a phone (30% a recruiter's)."""
    rng = random.Random(seed)
    recruiters = [_phone(rng) for _ in range(max(10, count // 200))]
    for n in range(count):
        scored = rng.choice(bodies)
        phone = rng.choice(recruiters) if rng.random() < 0.3 else _phone(rng)
        text = f"{scored.body} {phone}"
        full = f"{scored.title}\n{text}"
        start = full.rindex(phone)
        contact = {"kind": "phone", "value": "+62" + phone[1:], "text": phone, "start": start,
                   "end": start + len(phone)}
        entities = {**scored.entities, "contacts": [contact]}
        yield SyntheticAd(first_id + n, rng.choice(SOURCES), scored.title, text, rng.choice(PLACES), phone,
                          T0 + timedelta(seconds=30 * n), scored, content_hash(scored.title, text), entities)


def _copy(cursor: psycopg.Cursor[Any], table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    written = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def load(database_url: str, count: int, threshold: float, seed: int = 7, bodies: int = 1500) -> dict[str, int]:
    """Fill an empty, migrated store with `count` scored ads (plus queue, contacts, clusters, analysts).

    Returns how many rows went into each table.
    """
    pool = scored_bodies(bodies, seed)
    ads = list(synthetic_ads(count, pool, seed))
    now = datetime.now(UTC)
    clusters: dict[str, int] = {}
    phone_counts: dict[str, int] = {}
    for ad in ads:
        phone_counts[ad.phone] = phone_counts.get(ad.phone, 0) + 1
    for phone, n in phone_counts.items():
        if n > 1:
            clusters[phone] = len(clusters) + 1
    written: dict[str, int] = {}
    libpq = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq) as connection, connection.cursor() as cursor:
        written["ads"] = _copy(cursor, "ads", [
            "id", "source", "source_ad_id", "url", "title", "text", "posted_at", "location", "contact_handles",
            "extra", "content_hash", "first_seen_at", "last_seen_at", "linked_content_hash", "scored_content_hash"],
            ((a.ad_id, a.source, f"bench-{a.ad_id}", None, a.title, a.text, a.seen_at, a.location, "[]", "{}",
              a.digest, a.seen_at, a.seen_at, a.digest, a.digest)  # linked and scored, as the tables below say
             for a in ads))
        written["scores"] = _copy(cursor, "scores", [
            "id", "ad_id", "model_version", "content_hash", "p_scam", "p_trafficking", "risk", "indicators",
            "top_features", "entities", "modus", "modus_probability", "facts", "scored_at"],
            ((a.ad_id, a.ad_id, MODEL_VERSION, a.digest, a.scored.p_scam, a.scored.p_trafficking, a.scored.risk,
              json.dumps(a.scored.indicators), "[]", json.dumps(a.entities), a.scored.modus,
              a.scored.modus_probability, json.dumps(a.scored.facts), a.seen_at) for a in ads))
        written["clusters"] = _copy(cursor, "clusters", ["id", "created_at", "updated_at"],
                                    ((cid, now, now) for cid in clusters.values()))
        written["ad_link_state"] = _copy(cursor, "ad_link_state", ["ad_id", "content_hash", "cluster_id", "linked_at"],
                                         ((a.ad_id, a.digest, clusters.get(a.phone), now) for a in ads))
        written["ad_contacts"] = _copy(cursor, "ad_contacts", ["id", "ad_id", "kind", "value", "text", "found_at"],
                                       ((a.ad_id, a.ad_id, "phone", "+62" + a.phone[1:], a.phone, now) for a in ads))
        queued = [a for a in ads if a.scored.risk >= threshold]
        written["queue_entries"] = _copy(cursor, "queue_entries", [
            "ad_id", "score_id", "risk", "p_scam", "p_trafficking", "kind", "kind_rank", "status", "in_queue",
            "source", "location", "modus", "cluster_id", "seen_at", "entered_at", "indicator_names"],
            ((a.ad_id, a.ad_id, a.scored.risk, a.scored.p_scam, a.scored.p_trafficking,
              *kind_of(a.scored.p_scam, a.scored.p_trafficking), "open", in_queue("open", a.scored.risk, threshold),
              a.source, a.location, shown_modus(a.scored.modus, a.scored.risk, threshold), clusters.get(a.phone),
              a.seen_at, now, json.dumps(indicator_names(a.scored.indicators))) for a in queued))
        written["queue_indicators"] = _copy(cursor, "queue_indicators", ["ad_id", "name", "kind_rank", "risk"],
                                            ((a.ad_id, name, kind_of(a.scored.p_scam, a.scored.p_trafficking)[1],
                                              a.scored.risk) for a in queued
                                             for name in indicator_names(a.scored.indicators)))
        for table in ("ads", "scores", "clusters", "ad_contacts"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        # The queue is in step with every score just loaded, at this threshold: what sync_queue itself records.
        cursor.execute("INSERT INTO app_state (key, value, updated_at) VALUES (%s, %s, %s)",
                       (SYNC_KEY, json.dumps({"score_id": count, "threshold": threshold}), now))
        # Every ad has this model's score: its sweep is over, as `service.scoring.pending` would have recorded.
        cursor.execute("INSERT INTO app_state (key, value, updated_at) VALUES (%s, %s, %s)",
                       (SWEEP_KEY, json.dumps({"version": MODEL_VERSION, "after": count, "done": True}), now))
        connection.commit()
        connection.autocommit = True
        cursor.execute("VACUUM ANALYZE")
    return written


def add_analysts(database_url: str, count: int) -> list[tuple[int, str]]:
    """`count` analyst accounts and one supervisor; returns the analysts' (id, username)."""
    libpq = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    password = hash_password(USERS_PASSWORD)
    now = datetime.now(UTC)
    people = [(f"analis{n + 1}", "analyst") for n in range(count)] + [("supervisor1", "supervisor")]
    with psycopg.connect(libpq) as connection:
        ids = [connection.execute(
            "INSERT INTO users (username, password_hash, role, unit, disabled, created_at) "
            "VALUES (%s, %s, %s, NULL, false, %s) RETURNING id", (name, password, role, now)).fetchone()[0]  # type: ignore[index]
            for name, role in people]
    return [(user_id, name) for user_id, (name, role) in zip(ids, people, strict=True) if role == "analyst"]
