"""Builders for test documents in every supported format (and some broken ones)."""

from __future__ import annotations

import io
from pathlib import Path

RESPONSE_TEXT = """Northshire Safeguarding Children Partnership

Response to the Serious Case Review of Child Q

This document provides the responses of the partnership and its agencies.

Recommendation 1
All agencies should check that every baby is registered with a GP by six weeks.

The CCG will keep a log of births so that unregistered babies are followed up.

Recommendation 2
Practitioners should ask about every adult living in the household.

Hampshire Constabulary now records every adult present at a domestic abuse incident.
"""


def text_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with a real text layer: one list of lines per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        y = 780
        for line in lines:
            if line:
                pdf.drawString(72, y, line)
            y -= 16 if line else 24
        pdf.showPage()
    pdf.save()
    return path


def scanned_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF whose only page is an image of text (no text layer)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    y = 150
    for line in lines:
        draw.text((120, y), line, fill="black", font=font)
        y += 60
    image.save(path, resolution=150)
    return path


def encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = io.BytesIO()
    text_pdf_path = path.with_suffix(".plain.pdf")
    text_pdf(text_pdf_path, [["Recommendation 1", "Secret text of the review."]])
    writer = PdfWriter()
    for page in PdfReader(text_pdf_path).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(plain)
    text_pdf_path.unlink()
    path.write_bytes(plain.getvalue())
    return path


def docx_file(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Northshire Safeguarding Children Partnership", level=1)
    document.add_paragraph("Response to the Serious Case Review of Child Q")
    document.add_heading("Recommendation 1", level=2)
    document.add_paragraph("All agencies should share information about unborn babies.")
    bullet = document.add_paragraph(style="List Bullet")
    bullet.add_run("Solent NHS Trust").bold = True
    bullet.add_run(" will add unborn babies to its safeguarding record.")
    document.add_page_break()
    document.add_heading("Recommendation 2", level=2)
    document.add_paragraph("Schools should record concerns about siblings.")
    document.add_paragraph("Education: schools now record sibling concerns on each file.")
    document.save(str(path))
    return path


HTML = """<!DOCTYPE html>
<html><head><title>Response</title><style>p {color: red}</style></head>
<body>
<h1>Northshire Safeguarding Children Partnership</h1>
<p>Response to the Serious Case Review of Child Q</p>
<h2>Recommendation 1</h2>
<p>All agencies should share information about unborn babies.</p>
<ul><li><strong>UHSFT</strong> midwives now share booking information with the MASH.</li></ul>
<h2>Recommendation 2</h2>
<p>Schools should record concerns about siblings.</p>
<p>Education: schools now record sibling concerns on each file.</p>
<script>var ignored = "Recommendation 9";</script>
</body></html>
"""

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
