"""What the store layer needs to know: where the data lives and how to reach the engines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoreConfig:
    data_dir: Path
    database_url: str | None = None  # PostgreSQL for the register; unset: SQLite in data_dir
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "review_passages"
    embed_batch: int = 4
    onnx_threads: int = 2
    keyword_budget: int = 5000

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def originals_dir(self) -> Path:
        return self.data_dir / "originals"

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    @property
    def register_path(self) -> Path:
        return self.data_dir / "register.sqlite3"
