"""MinHash signatures and LSH band keys of ad texts, for finding reposts among 100k ads without pairwise work.

Shingles are character 5-grams of the model's normalised text, so evasive respellings of the same ad
(`g4ji`, `K A M B O J A`) still compare equal. 120 permutations in 24 bands of 5 rows: a pair with
Jaccard 0.7 shares at least one band with probability ~0.99, a pair at 0.3 only ~0.06; candidates
are then checked on the full signature. Bands are stored as rows (band, key), so any process finds
candidates with one indexed query instead of rebuilding an in-memory index.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from model.normalise import normalise
from model.records import AdText

NUM_PERM = 120
BANDS = 24
ROWS = NUM_PERM // BANDS
SHINGLE = 5
SEED = 5  # fixed: signatures stored by one process are compared by every other
MIN_CHARS = 40  # shorter texts ("Hubungi admin") match too much to call anything a repost
DTYPE = np.uint64


SCHEME = "affine32"  # named explicitly: stored signatures must keep meaning the same across datasketch upgrades


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The seeded permutations, drawn once per process (datasketch draws them on every MinHash otherwise)."""
    return np.asarray(MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations)


def signature_of_normalised(normalised: str) -> np.ndarray | None:
    """The MinHash of already-normalised text, or None when it is too short to compare."""
    squeezed = " ".join(normalised.split())
    if len(squeezed) < MIN_CHARS:
        return None
    shingles = {squeezed[i:i + SHINGLE] for i in range(len(squeezed) - SHINGLE + 1)}
    # CRC-32 is stable across processes (stored signatures are compared later) and far cheaper than SHA-1.
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, permutations=_permutations(),
                      scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return np.asarray(minhash.hashvalues, dtype=DTYPE)


def signature(text: AdText) -> np.ndarray | None:
    """The MinHash of an ad's normalised full text, or None when it is too short to compare."""
    return signature_of_normalised(normalise(text.full_text).text)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype(DTYPE).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=DTYPE)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (fits a BIGINT column on both stores).

    The band number is hashed in, so one indexed `key IN (...)` finds candidates in every band at once.
    """
    keys = []
    for band in range(BANDS):
        chunk = bytes([band]) + sig[band * ROWS:(band + 1) * ROWS].astype(DTYPE).tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True))
    return keys


def similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(first == second))


def similarities(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature against each row of `others`."""
    return np.asarray((others == sig).mean(axis=1), dtype=float)
