"""Linked ads: shared contacts written differently, near-duplicate reposts, clusters that merge."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from scraper.records import JobPost
from service.links.linking import count_stale, link_pending, stale_ad_ids
from service.links.views import cluster_view, related_ads
from service.review.queue_sync import sync_queue
from service.store.ads import upsert_job_post
from service.store.session import Store
from service.store.tables import Ad, QueueEntry
from tests.service.desk import add_scored_ad
from tests.service.lead_data import CAPTURED, add_ad

REPOST = ("DICARI ADMIN CUSTOMER SERVICE untuk perusahaan investasi di Sihanoukville, gaji 15 juta per bulan, "
          "tiket pesawat dan mess ditanggung, tidak perlu pengalaman, usia 18-35 tahun, bisa bahasa Inggris "
          "dasar. Berangkat minggu depan, paspor dibantu agen kami.")
REPOST_EDITED = ("Dicari admin customer service untuk perusahaan investasi di Sihanoukville!! Gaji 15 juta per bulan, "
                 "tiket pesawat & mess ditanggung, tidak perlu pengalaman, usia 18-35 thn, bisa bahasa Inggris "
                 "dasar. Berangkat minggu depan, paspor dibantu agen kami. Info lanjut DM.")
UNRELATED = ("Dibutuhkan kasir untuk minimarket di Pontianak Kota, pendidikan minimal SMA, gaji sesuai UMK, BPJS "
             "kesehatan dan ketenagakerjaan, lamaran diantar langsung ke kantor cabang jalan Gajah Mada.")


def _ids(store: Store, *ads: tuple[str, str, str]) -> list[int]:
    with store.session_factory() as session, session.begin():
        return [add_ad(session, key, text, source=source).id for key, text, source in ads]


def test_ads_sharing_a_phone_written_differently_are_linked_by_it(store: Store) -> None:
    first, second, third, other = _ids(
        store,
        ("p1", "Kerja di Malaysia, kebun sawit. WA 0812-3456-7890", "telegram"),
        ("p2", "Lowongan pabrik, hubungi nol delapan satu dua tiga empat lima enam tujuh delapan sembilan nol",
         "facebook"),
        ("p3", "Butuh ART ke Hong Kong, kontak +62 812 3456 789O segera", "olx"),
        ("p4", "Kasir toko, hubungi 0857 1111 2222", "olx"),
    )
    assert link_pending(store.session_factory) == 4
    with store.session_factory() as session:
        view = related_ads(session, first)
        assert [ad.id for ad in view.related] == [second, third]
        for ad in view.related:
            assert [(r.kind, r.value) for r in ad.reasons] == [("phone", "+6281234567890")]
        assert view.cluster_id is not None
        cluster = cluster_view(session, view.cluster_id)
        assert [ad.id for ad in cluster.ads] == [first, second, third]
        assert cluster.sources == ["facebook", "olx", "telegram"]
        assert cluster.contacts[0].value == "+6281234567890" and cluster.contacts[0].ads == 3
        assert related_ads(session, other).related == []


def test_near_duplicate_reposts_are_linked_with_their_similarity(store: Store) -> None:
    original, repost, unrelated = _ids(
        store, ("r1", REPOST, "telegram"), ("r2", REPOST_EDITED, "facebook"), ("r3", UNRELATED, "olx"))
    link_pending(store.session_factory)
    with store.session_factory() as session:
        related = related_ads(session, repost).related
        assert [ad.id for ad in related] == [original]
        reason = related[0].reasons[0]
        assert reason.kind == "near_duplicate" and reason.similarity is not None and reason.similarity >= 0.7
        assert related_ads(session, unrelated).related == []


def test_an_ad_sharing_two_recruiters_contacts_merges_their_clusters(store: Store) -> None:
    by_phone, by_email = _ids(store, ("m1", "Kerja Jepang, WA 0812 1111 3333", "telegram"),
                              ("m2", "Kerja Korea, email rekrut.asia@gmail.com", "facebook"))
    _ids(store, ("m1b", "Lowongan kapal, WA 081211113333", "olx"), ("m2b", "Email rekrut.asia@gmail.com", "olx"))
    link_pending(store.session_factory)
    with store.session_factory() as session:
        first = related_ads(session, by_phone).cluster_id
        second = related_ads(session, by_email).cluster_id
    assert first is not None and second is not None and first != second
    (bridge,) = _ids(store, ("m3", "Pabrik Taiwan. WA 0812-1111-3333 atau rekrut.asia@gmail.com", "telegram"))
    link_pending(store.session_factory)
    with store.session_factory() as session:
        merged = cluster_view(session, second)  # the old id still leads to the merged cluster
        assert merged.id == min(first, second)
        assert len(merged.ads) == 5 and bridge in {ad.id for ad in merged.ads}
        assert {(c.kind, c.ads) for c in merged.contacts} == {("phone", 3), ("email", 3)}
        times = [event.at for event in merged.timeline]
        assert times == sorted(times) and {e.event for e in merged.timeline} >= {"first_seen"}


def test_linking_is_incremental_and_follows_content_changes(store: Store) -> None:
    (changing,) = _ids(store, ("c1", "Lowongan admin, hubungi 0812 5555 6666", "telegram"))
    _ids(store, ("c2", "Kerja ke Batam, WA 0813 7777 8888", "olx"))
    assert link_pending(store.session_factory) == 2
    assert link_pending(store.session_factory) == 0  # nothing changed, nothing to do
    with store.session_factory() as session, session.begin():
        upsert_job_post(session, JobPost(source="telegram", source_ad_id="c1",
                                         text="Lowongan admin, sekarang hubungi 0813-7777-8888"),
                        None, CAPTURED + timedelta(days=1))
        assert count_stale(session) == 1
    assert link_pending(store.session_factory) == 1
    with store.session_factory() as session:
        reasons = {(r.kind, r.value) for ad in related_ads(session, changing).related for r in ad.reasons}
        assert reasons == {("phone", "+6281377778888")}


def test_queued_ads_carry_their_cluster_so_the_queue_can_filter_by_it(store: Store) -> None:
    with store.session_factory() as session, session.begin():
        first = add_scored_ad(session, "q1", "Kerja Kamboja visa turis, WA 0812 4444 5555", 0.2, 0.7)
        second = add_scored_ad(session, "q2", "Admin ke Myanmar, hubungi 0812-4444-5555", 0.2, 0.7)
    with store.session_factory() as session:
        sync_queue(session, 0.5)
    link_pending(store.session_factory)
    with store.session_factory() as session, session.begin():
        late = add_scored_ad(session, "q3", "Operator ke Laos, kontak +62 812 4444 5555", 0.2, 0.7)
    link_pending(store.session_factory)  # linked before the queue has an entry for it
    with store.session_factory() as session:
        sync_queue(session, 0.5)
    link_pending(store.session_factory)  # nothing to link, but the new entry gets its cluster
    with store.session_factory() as session:
        clusters = {entry.ad_id: entry.cluster_id for entry in session.scalars(select(QueueEntry))}
    assert clusters[first] is not None and clusters[first] == clusters[second] == clusters[late]


def test_finding_what_to_link_reads_only_the_stale_ads_index(store: Store) -> None:
    # A scrape run's linking must not scan a million linked ads to find its twenty new ones.
    _ids(store, ("s1", "Lowongan admin, hubungi 0812 5555 6666", "telegram"),
         ("s2", "Kerja ke Batam, WA 0813 7777 8888", "olx"))
    with store.session_factory() as session:
        assert stale_ad_ids(session, 10) == sorted(stale_ad_ids(session, 10)) and len(stale_ad_ids(session, 10)) == 2
        if store.dialect == "postgresql":
            session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: ask whether the index serves it
            prefix = "EXPLAIN "
        else:
            prefix = "EXPLAIN QUERY PLAN "
        statement = select(Ad.id).where(Ad.linked_content_hash.is_distinct_from(Ad.content_hash)).order_by(Ad.id)
        compiled = str(statement.limit(5).compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row) for row in session.execute(text(prefix + compiled)))
    assert "ix_ads_link_stale" in plan, plan
    link_pending(store.session_factory)
    with store.session_factory() as session:
        assert stale_ad_ids(session, 10) == [] and count_stale(session) == 0
