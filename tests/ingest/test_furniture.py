"""Page furniture and doubled text: what a browser prints on every page, and text set twice over
itself, stay out of the text and the title (synthetic PDFs, each pinning one rule)."""

from __future__ import annotations

from pathlib import Path

from review_assistant.ingest.readers import read_document
from review_assistant.ingest.structure import StructureParser

_HEADER = "02/12/2024, 10:31 Northshire partnership response"
_BODY = [
    "Northshire Safeguarding Children Partnership",
    "Response to the Serious Case Review of Child Q",
    "",
    "Recommendation 1",
    "Agencies should record the details of fathers.",
    "",
    "The CCG has updated its referral form.",
]


def _browser_pages(count: int) -> list[list[str]]:
    return [
        [_HEADER, "", *(_BODY if n == 1 else [f"Page text {n} goes on here."]), "",
         f"https://www.example.org/reviews/child-q/response {n}/{count}"]
        for n in range(1, count + 1)
    ]  # fmt: skip


def test_a_browsers_date_line_and_address_are_not_text_nor_title(tmp_path: Path):
    from tests.support.documents import text_pdf

    # two pages: too few for running lines to be told by repetition
    raw = read_document(text_pdf(tmp_path / "printed.pdf", _browser_pages(2)))
    assert "10:31" not in raw.text and "https://" not in raw.text and "1/2" not in raw.text
    doc = StructureParser().parse(raw)
    assert doc.title.startswith("Northshire Safeguarding Children Partnership")
    assert "10:31" not in doc.title
    assert doc.review == "Child Q"


def test_an_ocred_browser_page_loses_its_print_lines(tmp_path: Path):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    draw.text((60, 40), "02/12/2024, 10:31", fill="black", font=font)
    draw.text((520, 40), "Northshire partnership response", fill="black", font=font)
    y = 200
    for line in _BODY:
        draw.text((120, y), line, fill="black", font=font)
        y += 60 if line else 40
    draw.text((60, 1680), "https://www.example.org/reviews/response", fill="black", font=font)
    draw.text((1100, 1680), "1/3", fill="black", font=font)
    path = tmp_path / "scanned.pdf"
    image.save(path, resolution=150)
    raw = read_document(path)
    assert raw.pages[0].ocr
    assert "Agencies should record the details of fathers." in raw.text
    assert "10:31" not in raw.text and "example.org" not in raw.text
    assert StructureParser().parse(raw).title.startswith("Northshire")


def test_a_real_date_and_a_cited_address_stay(tmp_path: Path):
    from tests.support.documents import text_pdf

    pages = [["Published 2 December 2024", "", *_BODY, "", "See https://www.example.org/q"]] * 2
    raw = read_document(text_pdf(tmp_path / "dated.pdf", pages))
    assert "Published 2 December 2024" in raw.text
    assert "See https://www.example.org/q" in raw.text


def _doubled_cover(path: Path, *, by_word: bool) -> Path:
    """A cover whose title is set twice in overlapping text boxes: whole, or word by word
    (each word's copy drawn straight after it), the second a fraction of a point off. pdfium's
    text page reads such copies once; this pins that the reader keeps it so."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    title = "Serious Case Review of Child Q"
    pdf.setFont("Helvetica", 24)
    if by_word:
        x = 72.0
        for word in title.split():
            for shift in (0.0, 0.4):
                pdf.drawString(x + shift, 700 + shift, word)
            x += pdf.stringWidth(word + " ", "Helvetica", 24)
    else:
        for shift in (0.0, 0.4):
            pdf.drawString(72 + shift, 700 + shift, title)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 600, "Northshire Safeguarding Children Partnership, all agencies.")
    pdf.drawString(72, 560, "Recommendation 1")
    pdf.drawString(72, 544, "All staff should be called to a full meeting.")
    pdf.showPage()
    pdf.save()
    return path


def test_text_set_twice_over_itself_reads_once(tmp_path: Path):
    for by_word in (False, True):
        raw = read_document(_doubled_cover(tmp_path / f"cover-{by_word}.pdf", by_word=by_word))
        doc = StructureParser().parse(raw)
        assert doc.title == "Serious Case Review of Child Q", by_word
        assert doc.review == "Child Q"
        # letters doubled in the words themselves ("all", "full", "called") are kept
        assert "all agencies" in raw.text and "a full meeting" in raw.text


def test_ocr_boxes_of_one_text_found_twice_read_once():
    from review_assistant.ingest.layout import Fragment, paragraphs_text

    fragments = []
    left = 10
    for word in ("Serious", "Case", "Review"):  # each word's box found twice, a little apart
        width = 9 * len(word)
        fragments += [Fragment(left, 10, left + width, 30, word),
                      Fragment(left + 2, 12, left + width + 2, 32, word)]  # fmt: skip
        left += width + 8
    fragments += [
        Fragment(10, 40, 90, 60, "Child Q"),
        Fragment(10, 70, 90, 90, "Child Q"),  # the same words again, on the next line
    ]
    assert paragraphs_text(fragments, 600) == "Serious Case Review\nChild Q\nChild Q"
