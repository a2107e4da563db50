"""Offline OCR of page images with RapidOCR (its ONNX models ship inside the PyPI package)."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from review_assistant.ingest.layout import Fragment, paragraphs_text

_engine: Any = None
_lock = threading.Lock()


def _get_engine() -> Any:
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            _engine = RapidOCR()
        return _engine


def ocr_image(image: Any) -> str:
    """Text of a PIL image, laid out into lines and paragraphs."""
    array = np.asarray(image.convert("RGB"))
    result, _ = _get_engine()(array)
    fragments: list[Fragment] = []
    for box, text, _score in result or []:
        xs = [point[0] for point in box]
        ys = [point[1] for point in box]
        fragments.append(Fragment(min(xs), min(ys), max(xs), max(ys), text))
    return paragraphs_text(fragments, float(array.shape[1]))
