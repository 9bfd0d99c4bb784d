"""Splits keep near-duplicates and authors on one side."""

from __future__ import annotations

from model.dataset import LabelledSet, group_of
from model.splits import holdout_split, leak_free_groups, near_duplicate_clusters


def test_near_duplicates_share_a_cluster_and_different_ads_do_not() -> None:
    base = "Dicari admin online untuk perusahaan di Kamboja gaji lima belas juta tiket pesawat gratis tanpa pengalaman"
    texts = [base, base.replace("lima belas", "dua puluh"), "Toko roti di Semarang butuh karyawan produksi, gaji UMR"]
    clusters = near_duplicate_clusters(texts, threshold=0.5)
    assert clusters[0] == clusters[1] != clusters[2]


def test_holdout_keeps_authors_and_contrast_twins_on_one_side(sample: LabelledSet) -> None:
    texts = [record.text for record in sample.records]
    authors = [group_of(record) for record in sample.records]
    groups = leak_free_groups(texts, authors)
    train, test = holdout_split(sample.labels, groups, test_share=0.2, seed=0)
    assert {authors[i] for i in train}.isdisjoint({authors[i] for i in test})
    pairs_train = {sample.records[i].extra.get("pair_id") for i in train} - {None}
    pairs_test = {sample.records[i].extra.get("pair_id") for i in test} - {None}
    assert pairs_train.isdisjoint(pairs_test)
    assert len(train) + len(test) == len(sample.records)
