"""All stores of one data directory, opened together."""

from __future__ import annotations

from store.config import StoreConfig
from store.embedding import default_model
from store.keyword import KeywordIndex
from store.register import Register
from store.vectors import VectorIndex


class Stores:
    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.model = default_model(config.onnx_threads)
        self.register = Register(config.register_path)
        self.vectors = VectorIndex(config, self.model)
        self.keyword = KeywordIndex(config.bm25_dir)

    def refresh_keyword_index(self) -> None:
        self.keyword.rebuild(self.register.all_chunks())

    def close(self) -> None:
        self.register.close()
