"""What the ingest layer needs to know: chunk size, when and how to OCR, and the limits that
keep one hostile or broken file from exhausting the machine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IngestConfig:
    chunk_tokens: int = 180
    agencies_file: Path | None = None  # a partnership's own agency names, beside the national
    ocr_min_chars: int = 20
    ocr_scale: float = 2.0
    # limits: a file beyond any of them is refused with a reason, before or during reading
    max_pages: int = 2000
    max_ocr_pages: int = 300
    max_render_megapixels: float = 40.0
    max_expanded_mb: float = 300.0  # DOCX: total size of its members once unzipped
    max_archive_members: int = 5000
    max_paragraphs: int = 100_000
    max_html_mb: float = 20.0
    max_memory_mb: float = 1536.0  # a reading worker beyond this is stopped
    max_seconds: float = 600.0  # and beyond this
