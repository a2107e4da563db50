"""The original bytes of each ingested document, kept in the data directory so a reader can
open the file a citation comes from. Stored by content (sha256), so two names for the same
bytes share one file; written before the register names it, removed after it no longer does."""

from __future__ import annotations

import os
from pathlib import Path


class Originals:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def save(self, sha256: str, data: bytes) -> None:
        path = self.path(sha256)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        try:
            partial.write_bytes(data)
            os.replace(partial, path)  # a reader never sees half a file
        finally:
            partial.unlink(missing_ok=True)  # a full disk leaves nothing half written

    def remove(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def size(self) -> int:
        """Bytes kept, in all."""
        return sum(path.stat().st_size for path in self.stored().values())

    def stored(self) -> dict[str, Path]:
        """Every file kept, by the name it is kept under (a sha256, or a `.partial` an
        interrupted write left)."""
        if not self.folder.exists():
            return {}
        return {path.name: path for path in self.folder.glob("*/*") if path.is_file()}
