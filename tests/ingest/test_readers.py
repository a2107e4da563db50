"""Readers: format by content, page numbers, OCR, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.readers import read_document, sniff
from review_assistant.ingest.structure import StructureParser
from tests.support.documents import (
    HTML,
    PNG_BYTES,
    RESPONSE_TEXT,
    docx_file,
    encrypted_pdf,
    scanned_pdf,
    text_pdf,
)


def test_format_is_chosen_by_content_not_extension(tmp_path: Path):
    pdf = text_pdf(tmp_path / "a.pdf", [["Recommendation 1", "Some text about babies."]])
    disguised = tmp_path / "report.txt"
    disguised.write_bytes(pdf.read_bytes())
    assert read_document(disguised).source_format == "pdf"

    html = tmp_path / "page.txt"
    html.write_text(HTML)
    assert read_document(html).source_format == "html"

    docx = docx_file(tmp_path / "response.docx")
    no_extension = tmp_path / "response"
    no_extension.write_bytes(docx.read_bytes())
    assert read_document(no_extension).source_format == "docx"
    assert sniff(b"# Heading\n\nText", ".md") == "markdown"


def test_pdf_pages_keep_their_numbers(tmp_path: Path):
    path = text_pdf(
        tmp_path / "two-pages.pdf",
        [
            ["Northshire Safeguarding Children Partnership", "", "Recommendation 1",
             "Agencies should share information about unborn babies.", "",
             "The CCG has written to every practice."],
            ["Recommendation 2", "Practitioners should receive supervision.", "",
             "Solent NHS Trust now offers monthly supervision."],
        ],
    )  # fmt: skip
    raw = read_document(path)
    assert [p.number for p in raw.pages] == [1, 2]
    assert raw.page_at(raw.text.index("Recommendation 2")) == 2
    doc = StructureParser().parse(raw)
    assert [(r.rec_id, r.page) for r in doc.recommendations] == [("1", 1), ("2", 2)]
    assert doc.recommendations[1].agencies == ["Solent NHS Trust"]


def test_pdf_heading_split_across_pages(tmp_path: Path):
    path = text_pdf(
        tmp_path / "split.pdf",
        [
            ["Response to the Serious Case Review of Child Q", "", "Recommendation 6",
             "Agencies should record fathers' details.", "",
             "Children's Services now records them.", "", "Recommendation"],
            ["7", "All agencies should check GP registration by six weeks.", "",
             "The CCG keeps a log of births."],
        ],
    )  # fmt: skip
    doc = StructureParser().parse(read_document(path))
    assert [r.rec_id for r in doc.recommendations] == ["6", "7"]
    seven = doc.recommendations[1]
    assert seven.text == "All agencies should check GP registration by six weeks."
    assert seven.page == 2


def test_scanned_page_is_ocred(tmp_path: Path):
    path = scanned_pdf(
        tmp_path / "scan.pdf",
        ["Recommendation 1", "All agencies should check that every baby", "is registered.",
         "", "Solent NHS Trust will write new guidance."],
    )  # fmt: skip
    raw = read_document(path)
    assert raw.ocr_pages == 1 and raw.pages[0].ocr
    assert "Solent NHS Trust will write new guidance" in raw.text
    doc = StructureParser().parse(raw)
    assert [r.rec_id for r in doc.recommendations] == ["1"]


def test_docx_with_bold_agency_and_page_break(tmp_path: Path):
    raw = read_document(docx_file(tmp_path / "response.docx"))
    assert len(raw.pages) == 2
    doc = StructureParser().parse(raw)
    recs = {r.rec_id: r for r in doc.recommendations}
    assert list(recs) == ["1", "2"]
    assert recs["1"].agencies == ["Solent NHS Trust"]
    assert recs["2"].agencies == ["Education"]
    assert recs["2"].page == 2


def test_html_reader_drops_scripts_and_keeps_structure(tmp_path: Path):
    path = tmp_path / "response.html"
    path.write_text(HTML)
    raw = read_document(path)
    assert "ignored" not in raw.text and "color: red" not in raw.text
    doc = StructureParser().parse(raw)
    recs = {r.rec_id: r for r in doc.recommendations}
    assert list(recs) == ["1", "2"]
    assert recs["1"].agencies == ["Northshire Hospitals NHS Foundation Trust"]


def test_plain_text_and_markdown(tmp_path: Path):
    path = tmp_path / "response.md"
    path.write_text(RESPONSE_TEXT.replace("Recommendation 1", "## **Recommendation 1**"))
    doc = StructureParser().parse(read_document(path))
    assert [r.rec_id for r in doc.recommendations] == ["1", "2"]
    assert "**" not in doc.text and "##" not in doc.text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (b"%PDF-1.4\n1 0 obj garbage that is not a pdf", "corrupt or unreadable PDF"),
        (PNG_BYTES, "unsupported binary file (image/png)"),
        (b"PK\x03\x04 not really a zip", "corrupt ZIP/DOCX file"),
    ],
)
def test_bad_files_raise_a_clear_reason(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert reason in str(error.value)


def test_encrypted_pdf_is_reported(tmp_path: Path):
    with pytest.raises(UnreadableDocument, match="encrypted PDF"):
        read_document(encrypted_pdf(tmp_path / "locked.pdf"))


def test_action_plan_tables_keep_who_does_what(tmp_path: Path):
    import docx

    document = docx.Document()
    document.add_paragraph("Northshire Safeguarding Children Partnership")
    document.add_paragraph("Action plan in response to the Serious Case Review of Child Q")
    table = document.add_table(rows=3, cols=5)
    rows = [
        ["Rec No.", "Recommendation", "Lead agency", "Action", "Status"],
        ["1", "Agencies should record the details of fathers.", "Children's Services",
         "Referral forms now ask for fathers' details.", "Completed"],
        ["2", "Babies should be registered with a GP by six weeks.", "CCG",
         "A log of births will be kept by every practice.", "In progress"],
    ]  # fmt: skip
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path = tmp_path / "plan.docx"
    document.save(str(path))
    doc = StructureParser().parse(read_document(path))
    recs = {r.rec_id: r for r in doc.recommendations}
    assert list(recs) == ["1", "2"]
    assert recs["1"].text == "Agencies should record the details of fathers."
    assert recs["1"].agencies == ["Children's Services"]
    assert recs["2"].agencies == ["Clinical Commissioning Group (CCG)"]
    assert {r.status for r in recs["2"].responses} == {"in progress"}
    assert "A log of births will be kept" in " ".join(r.text for r in recs["2"].responses)


def test_two_column_pages_are_read_column_by_column(tmp_path: Path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    left = ["Recommendation 1", "Agencies should check", "that every baby is",
            "registered with a GP.", "", "The CCG will keep", "a log of births for",
            "every practice."]  # fmt: skip
    right = ["Recommendation 2", "Practitioners should", "ask about every adult",
             "living in the home.", "", "Hampshire Constabulary", "now records every adult",
             "at each incident."]  # fmt: skip
    path = tmp_path / "columns.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    for left_line, right_line in zip(left, right, strict=True):
        if left_line:
            pdf.drawString(72, y, left_line)
            pdf.drawString(320, y, right_line)
        y -= 16 if left_line else 24
    pdf.showPage()
    pdf.save()
    doc = StructureParser().parse(read_document(path))
    recs = {r.rec_id: r for r in doc.recommendations}
    assert recs["1"].text == "Agencies should check\nthat every baby is\nregistered with a GP."
    assert recs["1"].agencies == ["Clinical Commissioning Group (CCG)"]
    assert recs["2"].agencies == ["Hampshire Constabulary"]


def test_running_headers_and_footers_are_dropped(tmp_path: Path):
    pages = []
    for n in range(1, 5):
        body = [f"Recommendation {n}", f"Agencies should act on point {n} of the review.", "",
                f"The CCG has acted on point {n}."]  # fmt: skip
        pages.append(["Northshire Partnership response: Child Q", "", *body, "", f"Page {n} of 4"])
    raw = read_document(text_pdf(tmp_path / "running.pdf", pages))
    assert "Northshire Partnership response" not in raw.text and "of 4" not in raw.text
    doc = StructureParser().parse(raw)
    assert [r.rec_id for r in doc.recommendations] == ["1", "2", "3", "4"]
    assert doc.recommendations[3].responses[0].text == "The CCG has acted on point 4."
