"""All stores of one data directory, opened together."""

from __future__ import annotations

from assistant.settings import Settings
from store.embedding import default_model
from store.keyword import KeywordIndex
from store.register import Register
from store.vectors import VectorIndex


class Stores:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.model = default_model(settings.onnx_threads)
        self.register = Register(settings.register_path)
        self.vectors = VectorIndex(settings, self.model)
        self.keyword = KeywordIndex(settings.bm25_dir)

    def refresh_keyword_index(self) -> None:
        self.keyword.rebuild(self.register.all_chunks())

    def close(self) -> None:
        self.register.close()
