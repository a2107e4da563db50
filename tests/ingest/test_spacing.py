"""Word spacing repaired: OCR's run-together words split, ligature splits joined."""

from __future__ import annotations

import io
from pathlib import Path

from review_assistant.ingest.normalize import assemble
from review_assistant.ingest.readers import read_document
from review_assistant.ingest.spacing import repair


def test_run_together_ocr_words_are_split_into_known_words():
    assert repair("thePostOfficeHorizonIT was used", ocr=True) == (
        "the Post Office Horizon IT was used"
    )
    assert repair("on (professionalcuriosity).", ocr=True) == "on (professional curiosity)."


def test_names_codes_and_addresses_are_left_alone():
    for line in (
        "the McDonald family met Northshire officers",
        "see https://www.example.org/thevalueofthe",
        "Labinjo-Hughes and co-sleeping",
        "see Plan B and Child Q, e.g. this",
    ):
        assert repair(line, ocr=True) == line


def test_a_text_layer_is_not_split_but_ligature_gaps_are_joined():
    assert repair("thevalueofthechild", ocr=False) == "thevalueofthechild"
    assert repair("Th e value of eff ective work was signifi cant", ocr=False) == (
        "The value of effective work was significant"
    )
    assert repair("it came in to the house", ocr=False) == "it came in to the house"


def test_only_ocred_pages_are_split():
    text, _pages, _emphasis = assemble(
        [("Page one thevalueofthechild", True), ("Page two thevalueofthechild", False)]
    )
    assert "Page one the value of the child" in text
    assert "Page two thevalueofthechild" in text


def test_a_pdf_text_layer_with_split_ligatures(tmp_path: Path):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Th e review found that eff ective supervision was signifi cant.")
    pdf.save()
    path = tmp_path / "ligatures.pdf"
    path.write_bytes(buffer.getvalue())
    raw = read_document(path)
    assert "The review found that effective supervision was significant." in raw.text
