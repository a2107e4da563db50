"""The offline embedder: normalised vectors where related text lies closer."""

from __future__ import annotations

import numpy as np

from review_assistant.store.embedding import DIMENSION, default_model


def test_vectors_are_normalised_and_meaningful():
    model = default_model()
    vectors = model.embed(
        [
            "babies not registered with a GP",
            "a baby who is not registered with a GP practice by six weeks",
            "the government's plans for the space economy",
        ]
    )
    assert vectors.shape == (3, DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > 0.6 > vectors[0] @ vectors[2]


def test_batching_does_not_change_vectors():
    model = default_model()
    texts = [
        f"recommendation {n} about supervision of social workers" * (n % 3 + 1) for n in range(9)
    ]
    assert np.allclose(
        model.embed(texts, batch_size=1), model.embed(texts, batch_size=4), atol=1e-4
    )
    assert model.embed([]).shape == (0, DIMENSION)
