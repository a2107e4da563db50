"""PDF pages as text with pypdfium2 (Apache/BSD); pages without a text layer are OCRed."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.errors import UnreadableDocument
from ingest.layout import Fragment, paragraphs_text
from ingest.ocr import ocr_image


def _page_text(page: pdfium.PdfPage) -> str:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        fragments: list[Fragment] = []
        current: list[str] = []
        box: list[float] | None = None  # left, top, right, bottom (y downwards)

        def flush() -> None:
            nonlocal box
            if box is not None and "".join(current).strip():
                fragments.append(Fragment(box[0], box[1], box[2], box[3], "".join(current)))
            current.clear()
            box = None

        for index, char in enumerate(text[: textpage.count_chars()]):
            if char in "\r\n":
                flush()
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            top, bottom = height - top, height - bottom
            if char.isspace() or right <= left:
                current.append(char)
                continue
            if box is not None:
                same_line = top < box[3] and bottom > box[1]
                # pdfium may put two columns, or far-apart runs, in one stream line.
                if not same_line or left > box[2] + 20 or left < box[0] - 1:
                    flush()
            if box is None:
                box = [left, top, right, bottom]
            else:
                box = [min(box[0], left), min(box[1], top), max(box[2], right), max(box[3], bottom)]
            current.append(char)
        flush()
        return paragraphs_text(fragments, width)
    finally:
        textpage.close()


def _has_image(page: pdfium.PdfPage) -> bool:
    # A blank page has nothing to OCR; a scanned page is an image.
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def read_pdf_pages(data: bytes, *, ocr_min_chars: int, ocr_scale: float) -> list[tuple[str, bool]]:
    """(text, was_ocred) for every page."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise UnreadableDocument("encrypted PDF (a password is required)") from exc
        raise UnreadableDocument(f"corrupt or unreadable PDF ({exc})") from exc
    try:
        if len(pdf) == 0:
            raise UnreadableDocument("PDF has no pages")
        pages: list[tuple[str, bool]] = []
        for page in pdf:
            try:
                text = _page_text(page)
                ocred = False
                if len("".join(text.split())) < ocr_min_chars and _has_image(page):
                    bitmap = page.render(scale=ocr_scale)
                    ocr_text = ocr_image(bitmap.to_pil())
                    if len(ocr_text.strip()) > len(text.strip()):
                        text, ocred = ocr_text, True
                pages.append((text, ocred))
            finally:
                page.close()
        return pages
    finally:
        pdf.close()
