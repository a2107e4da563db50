"""Hostile and oversized files: each refused with a reason, quickly and within memory."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from review_assistant.ingest.config import IngestConfig
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.readers import read_document
from review_assistant.ingest.worker import ReadingWorker
from tests.support.documents import (
    RESPONSE_TEXT,
    huge_page_pdf,
    many_paragraphs_docx,
    outlined_pdf,
    scanned_pdf,
    text_pdf,
    zip_bomb_docx,
)

LIMITS = IngestConfig()


def test_a_page_too_large_to_ocr_is_refused(tmp_path: Path):
    with pytest.raises(UnreadableDocument, match="page 1 is too large to OCR"):
        read_document(huge_page_pdf(tmp_path / "huge.pdf"), LIMITS)


def test_a_large_page_is_ocred_at_a_lower_scale(tmp_path: Path):
    config = replace(LIMITS, max_render_megapixels=2.0)
    raw = read_document(
        outlined_pdf(tmp_path / "page.pdf", ["Recommendation 1", "Agencies should meet."]), config
    )
    assert raw.ocr_pages == 1 and "Recommendation" in raw.text


def test_too_many_pages(tmp_path: Path):
    path = text_pdf(tmp_path / "long.pdf", [["Page text here."]] * 3)
    with pytest.raises(UnreadableDocument, match=r"PDF has 3 pages \(limit 2\)"):
        read_document(path, replace(LIMITS, max_pages=2))


def test_an_ocr_budget_per_document(tmp_path: Path):
    path = outlined_pdf(tmp_path / "printed.pdf", ["A page of outlined text."], pages=3)
    with pytest.raises(UnreadableDocument, match="more than 2 pages need OCR"):
        read_document(path, replace(LIMITS, max_ocr_pages=2))


def test_a_docx_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path):
    path = zip_bomb_docx(tmp_path / "bomb.docx", megabytes=40)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(UnreadableDocument, match="document expands beyond 20 MB"):
        read_document(path, replace(LIMITS, max_expanded_mb=20))


def test_a_docx_of_endless_paragraphs_is_refused(tmp_path: Path):
    path = many_paragraphs_docx(tmp_path / "endless.docx", 5000)
    with pytest.raises(UnreadableDocument, match="paragraphs and tables"):
        read_document(path, replace(LIMITS, max_paragraphs=1000))


def test_empty_paragraphs_are_read_quickly_and_cost_nothing(tmp_path: Path):
    raw = read_document(many_paragraphs_docx(tmp_path / "sparse.docx", 20_000), LIMITS)
    assert "Recommendation 1" in raw.text


def test_an_html_file_over_the_limit(tmp_path: Path):
    path = tmp_path / "big.html"
    path.write_text("<html><body>" + "<p>Agencies met.</p>" * 80_000 + "</body></html>")
    with pytest.raises(UnreadableDocument, match="HTML file larger than 1 MB"):
        read_document(path, replace(LIMITS, max_html_mb=1))


def test_deeply_nested_and_wide_html_reads(tmp_path: Path):
    nested = "<div>" * 200 + "<p>Recommendation 1</p><p>Agencies should meet.</p>" + "</div>" * 200
    wide = "".join(f"<li><b>Team {i}</b> met.</li>" for i in range(20_000))
    path = tmp_path / "odd.html"
    path.write_text(f"<html><body>{nested}<ul>{wide}</ul></body></html>")
    raw = read_document(path, LIMITS)
    assert "Recommendation 1\n\nAgencies should meet." in raw.text
    assert "- Team 19999 met." in raw.text
    start = raw.text.index("Team 19999")
    assert (start, start + len("Team 19999")) in raw.emphasis  # bold kept as emphasis


def test_browser_printed_pages_are_ocred_though_they_hold_no_image(tmp_path: Path):
    path = outlined_pdf(tmp_path / "printed.pdf", ["Recommendation 1", "Agencies should meet."])
    raw = read_document(path, LIMITS)
    assert raw.ocr_pages == 1
    assert "Agencies should meet" in raw.text


def test_the_worker_stops_a_reader_that_needs_too_much_memory(tmp_path: Path):
    path = scanned_pdf(tmp_path / "scan.pdf", ["Recommendation 1", "Agencies should meet."])
    with ReadingWorker(replace(LIMITS, max_memory_mb=60)) as worker:
        with pytest.raises(UnreadableDocument, match="more than 60 MB of memory"):
            worker.parse("scan.pdf", path.read_bytes())
        # the next document gets a fresh reader
        worker.config = LIMITS
        doc = worker.parse("q.txt", RESPONSE_TEXT.encode())
    assert [r.rec_id for r in doc.recommendations] == ["1", "2"]


def test_the_worker_stops_a_reader_that_takes_too_long(tmp_path: Path):
    path = scanned_pdf(tmp_path / "scan.pdf", ["Recommendation 1", "Agencies should meet."])
    worker = ReadingWorker(replace(LIMITS, max_seconds=0.01))
    with worker, pytest.raises(UnreadableDocument, match="longer than 0.01 s"):
        worker.parse("scan.pdf", path.read_bytes())


def test_the_worker_reports_unreadable_files_and_goes_on():
    with ReadingWorker(LIMITS) as worker:
        with pytest.raises(UnreadableDocument, match="empty file"):
            worker.parse("empty.txt", b"   ")
        assert worker.parse("q.txt", RESPONSE_TEXT.encode()).review_id == "child-q"


def test_a_pdf_whose_page_cannot_be_loaded_is_refused(tmp_path: Path):
    """A document pdfium opens but one of whose pages it cannot load (the mutation fuzzer found
    this): a few random byte changes, searched with a fixed seed until pdfium shows it."""
    import random

    import pypdfium2 as pdfium

    good = text_pdf(tmp_path / "ok.pdf", [["Recommendation 1", "Agencies meet."]]).read_bytes()
    chance = random.Random(1)
    for _ in range(5000):
        data = bytearray(good)
        for _ in range(chance.randint(1, 3)):
            at = chance.randrange(len(data))
            data[at] = chance.randrange(256)
        try:
            pdf = pdfium.PdfDocument(bytes(data))
        except pdfium.PdfiumError:
            continue
        try:
            for index in range(len(pdf)):
                pdf[index].close()
        except pdfium.PdfiumError:
            break
    else:
        pytest.skip("no damaged page found for this reportlab output")
    with pytest.raises(UnreadableDocument, match="cannot be read"):
        read_document(tmp_path / "damaged.pdf", LIMITS, data=bytes(data))
