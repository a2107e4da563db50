"""All stores of one data directory, opened together."""

from __future__ import annotations

from store.config import StoreConfig
from store.embedding import default_model
from store.keyword import KeywordRetriever
from store.register import Register
from store.vectors import VectorIndex


class Stores:
    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.model = default_model(config.onnx_threads)
        self.register = Register(config.register_path)
        self.vectors = VectorIndex(config, self.model)

    def keyword_retriever(self, top_k: int, filters) -> KeywordRetriever:
        return KeywordRetriever(self.register, top_k, filters)

    def close(self) -> None:
        self.register.close()
