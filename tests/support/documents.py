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
<ul><li><strong>Northshire Hospitals NHS Foundation Trust</strong> midwives now share booking
information with the MASH.</li></ul>
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


def outlined_pdf(path: Path, lines: list[str], pages: int = 1) -> Path:
    """A PDF like a browser's "print to PDF" with text as vector outlines: each page draws its
    lines as filled rectangles traced from a rendering, with no text layer and no image."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = ImageFont.load_default(size=28)
    width = 1100
    image = Image.new("1", (width, 60 * len(lines) + 40), 1)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((20, 20 + 60 * number), line, fill=0, font=font)
    pixels = image.load()
    scale = (A4[0] - 72) / width  # points per traced pixel
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        pdf.setFillColorRGB(0, 0, 0)
        for y in range(image.height):
            x = 0
            while x < width:
                if pixels[x, y] == 0:
                    run = x
                    while run < width and pixels[run, y] == 0:
                        run += 1
                    pdf.rect(36 + x * scale, A4[1] - 72 - y * scale, (run - x) * scale, scale,
                             stroke=0, fill=1)  # fmt: skip
                    x = run
                else:
                    x += 1
        pdf.showPage()
    pdf.save()
    return path


def huge_page_pdf(path: Path, size_pt: float = 14400) -> Path:
    """One page of size_pt × size_pt points (the largest a PDF allows) with a drawing on it."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(size_pt, size_pt))
    pdf.setFillColorRGB(0, 0, 0)
    pdf.rect(size_pt * 0.1, size_pt * 0.1, size_pt * 0.8, size_pt * 0.8, stroke=0, fill=1)
    pdf.showPage()
    pdf.save()
    return path


def zip_bomb_docx(path: Path, megabytes: int) -> Path:
    """A valid DOCX with one extra part of `megabytes` of zeros (it compresses a thousandfold)."""
    import zipfile

    docx_file(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (megabytes * 1_000_000))
    return path


def many_paragraphs_docx(path: Path, count: int) -> Path:
    """A DOCX of `count` empty paragraphs and one line of text, written as raw XML (fast)."""
    import zipfile

    docx_file(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode()
    empty = "<w:p/>" * count
    parts["word/document.xml"] = xml.replace("<w:body>", "<w:body>" + empty, 1).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path
