"""What the ingest layer needs to know: chunk size and when and how to OCR a page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestConfig:
    chunk_tokens: int = 180
    ocr_min_chars: int = 20
    ocr_scale: float = 2.0
