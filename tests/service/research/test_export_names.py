"""Research export on SQLite and PostgreSQL: names the store knows from ad fields are replaced in every text."""

from __future__ import annotations

import io
import json
import re

from service.research.export import export_labelled
from service.research.known_names import known_names_in_store
from service.research.pseudonymise import Pseudonymiser, pseudonym_key
from service.settings import Settings
from service.store.session import Store
from tests.service.lead_data import add_ad, decide

# Who the store knows, and from which field: a WhatsApp sender, an OLX seller, a Facebook share, a forwarder.
SENDER = "Lina Susanti"
SELLER = "Rudi Hartono"
SHARER = "Yohana Manafe"
FORWARDER = "Mami Rosa"
KNOWN_HANDLE = "@loker_batam26"


def _seed(store: Store) -> dict[str, int]:
    ids: dict[str, int] = {}
    with store.session_factory() as session, session.begin():
        sender = add_ad(session, "wa-1", "Dicari LC cafe Batam, gaji harian, mess gratis. Wa aku aja 0812-3456-7781",
                        source="whatsapp", author=SENDER)
        seller = add_ad(session, "olx-1", "Butuh sopir truk antar kota, SIM B1, Cikarang.", source="olx",
                        title="Lowongan sopir", author=SELLER, extra={"seller_name": SELLER})
        add_ad(session, "fb-1", "Info loker pabrik Cikarang, bagikan ya.", source="facebook",
               extra={"shared_from": SHARER})  # never reviewed: its name must still be known to the export
        forwarded = add_ad(session, "tg-1", "Loker Batam, kumpul di rumah mami, tiket ditanggung.",
                           author="Info Loker Batam", extra={"forwarded_from": FORWARDER},
                           contact_handles=[KNOWN_HANDLE])
        # No cue before any of these names: only the store knows they are people.
        repost = add_ad(session, "tg-2",
                        "Kerja di Batam, berangkat minggu ini! "
                        "Terima kasih Lina Susanti dan Yohana Manafe sudah share. "
                        "Sopir dari rudi hartono sudah penuh. Yang urus tiket Rosa, follow loker_batam26. "
                        "Hubungi Mak Lina 0812-3456-7781 atau PT Sinar Jaya Abadi, Cikarang.",
                        title="LINA SUSANTI share loker Batam", author="Info Loker Batam")
        for key, ad, decision in (("sender", sender, "trafficking"), ("seller", seller, "benign"),
                                  ("forwarded", forwarded, "trafficking"), ("repost", repost, "trafficking")):
            decide(session, ad, decision)
            ids[key] = ad.id
    return ids


def _export(store: Store, settings: Settings) -> dict[str, dict[str, object]]:
    handle = io.StringIO()
    export_labelled(store.session_factory, settings, handle, actor="peneliti1")
    return {str(record["id"]): record for record in map(json.loads, handle.getvalue().splitlines())}


def test_store_knows_names_from_every_name_field(store: Store) -> None:
    _seed(store)
    with store.session_factory() as session:
        known = known_names_in_store(session)
    assert {("lina", "susanti"), ("rudi", "hartono"), ("yohana", "manafe")} <= known.full
    assert "rosa" in known.parts, "a forwarder's honorific is not part of the name"
    assert "loker_batam26" in known.handles
    assert not {"info", "loker", "batam"} & known.parts, "a channel title names no person"


def test_names_the_store_knows_are_replaced_wherever_an_exported_text_repeats_them(
        store: Store, settings: Settings) -> None:
    ids = _seed(store)
    records = _export(store, settings)
    repost = records[f"lokerwatch-{ids['repost']}"]
    written = f"{repost['title']}\n{repost['text']}"
    for name in ("Lina", "LINA", "Susanti", "SUSANTI", "Yohana", "Manafe", "rudi", "hartono", "Rosa",
                 "loker_batam26"):
        assert not re.search(rf"(?<!\w){name}(?!\w)", written), f"{name} left in {written!r}"
    pseudonymiser = Pseudonymiser(pseudonym_key(settings))
    for name in (SENDER, SELLER, SHARER, "Rosa", "Lina"):
        assert pseudonymiser.name_token(name) in written, name
    assert pseudonymiser.token("handle", "loker_batam26") in written
    assert re.search(r"follow \[handle:[a-p]{16}\]\. Hubungi", written), "the full stop after a handle stays"
    assert "Hubungi Mak [name:" in written, "the term of address stays, it is a research signal"
    assert "PT Sinar Jaya Abadi, Cikarang" in written and "Kerja di Batam" in written


def test_an_authors_token_matches_the_same_name_in_another_ads_text(store: Store, settings: Settings) -> None:
    ids = _seed(store)
    records = _export(store, settings)
    author_token = records[f"lokerwatch-{ids['sender']}"]["author"]
    assert author_token == Pseudonymiser(pseudonym_key(settings)).name_token(SENDER)
    assert str(author_token) in str(records[f"lokerwatch-{ids['repost']}"]["text"])
    assert str(author_token) in str(records[f"lokerwatch-{ids['repost']}"]["title"])
    assert records[f"lokerwatch-{ids['seller']}"]["title"] == "Lowongan sopir"


def test_no_exported_field_holds_a_known_name(store: Store, settings: Settings) -> None:
    _seed(store)
    exported = json.dumps(list(_export(store, settings).values()), ensure_ascii=False).lower()
    for name in (SENDER, SELLER, SHARER, "rosa", "0812-3456-7781", KNOWN_HANDLE):
        assert name.lower() not in exported
