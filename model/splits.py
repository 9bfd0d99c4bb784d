"""Train/test splits that do not leak: near-duplicates and same-author ads stay on one side.

A reposted ad with one word changed, or the two halves of a contrast pair, on both sides of a split
would let the model be tested on what it memorised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH
from sklearn.model_selection import StratifiedGroupKFold

_WORD = re.compile(r"\w+")


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _minhash(text: str, num_perm: int) -> MinHash:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    signature = MinHash(num_perm=num_perm, seed=1)
    signature.update_batch([shingle.encode("utf-8") for shingle in shingles])
    return signature


def near_duplicate_clusters(texts: Sequence[str], threshold: float = 0.7, num_perm: int = 64) -> list[int]:
    """A cluster id per text; texts whose word-trigram Jaccard similarity is about `threshold` or more share one."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    union = _UnionFind(len(texts))
    for index, text in enumerate(texts):
        signature = _minhash(text, num_perm)
        for other in lsh.query(signature):
            union.union(index, int(other))
        lsh.insert(str(index), signature)
    return [union.find(index) for index in range(len(texts))]


def leak_free_groups(texts: Sequence[str], groups: Sequence[str] | None = None,
                     threshold: float = 0.7) -> list[int]:
    """Merge author/batch groups with near-duplicate clusters: one id per connected set of ads."""
    clusters = near_duplicate_clusters(texts, threshold)
    union = _UnionFind(len(texts))
    for index, cluster in enumerate(clusters):
        union.union(index, cluster)
    if groups is not None:
        first_of: dict[str, int] = {}
        for index, group in enumerate(groups):
            union.union(index, first_of.setdefault(group, index))
    return [union.find(index) for index in range(len(texts))]


def holdout_split(labels: Sequence[str], groups: Sequence[int] | Sequence[str], test_share: float = 0.2,
                  seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of a stratified, group-disjoint train/test split with about `test_share` in test."""
    n_splits = max(2, round(1 / test_share))
    if len(set(groups)) < n_splits:
        raise ValueError(f"a group-aware split needs at least {n_splits} groups, got {len(set(groups))}")
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    train, test = next(splitter.split(np.zeros(len(labels)), np.asarray(labels), np.asarray(groups)))
    return train, test
