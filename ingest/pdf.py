"""PDF pages as text with pypdfium2 (Apache/BSD); pages without a text layer are OCRed."""

from __future__ import annotations

import ctypes
import math
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from review_assistant.ingest.config import IngestConfig
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.layout import Fragment, paragraphs_text
from review_assistant.ingest.ocr import ocr_image

_INK_SCALE = 0.2  # about 14 dpi: enough to see whether a page shows anything
_MIN_OCR_SCALE = 0.5  # about 36 dpi: below this OCR reads nothing


def _page_text(page: pdfium.PdfPage) -> str:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        fragments: list[Fragment] = []
        current: list[str] = []
        box: list[float] | None = None  # left, top, right, bottom (y downwards)
        styled = counted = 0  # characters of the fragment set in bold or italic
        font_name = ctypes.create_string_buffer(256)

        def flush() -> None:
            nonlocal box, styled, counted
            content = "".join(current)
            if box is not None and content.strip():
                # a run set wholly in a bold or italic face is emphasis, as in DOCX and HTML
                if counted and styled >= 0.8 * counted:
                    content = f"**{content.strip()}**"
                fragments.append(Fragment(box[0], box[1], box[2], box[3], content))
            current.clear()
            box = None
            styled = counted = 0

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
            counted += 1
            styled += _styled(textpage, index, font_name)
            if box is None:
                box = [left, top, right, bottom]
            else:
                box = [min(box[0], left), min(box[1], top), max(box[2], right), max(box[3], bottom)]
            current.append(char)
        flush()
        return paragraphs_text(fragments, width)
    finally:
        textpage.close()


_STYLE_NAME = re.compile(r"bold|italic|oblique|semibold|demi|black|heavy", re.I)


def _styled(textpage: pdfium.PdfTextPage, index: int, name: ctypes.Array) -> bool:
    """Whether a character is set in a bold or italic face (by its font's name or weight)."""
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), ctypes.byref(flags))
    if _STYLE_NAME.search(name.value.decode("latin-1")):
        return True
    return pdfium_c.FPDFText_GetFontWeight(textpage.raw, index) >= 600


def _has_ink(page: pdfium.PdfPage) -> bool:
    """Whether a page shows anything: scanned images, text drawn as vector outlines (browsers'
    "print to PDF") or a mix. Decided from a small rendering, not from the object types."""
    width, height = page.get_size()
    scale = min(_INK_SCALE, math.sqrt(4_000_000 / max(width * height, 1.0)))
    small = page.render(scale=scale, grayscale=True).to_numpy()
    return bool((small < 160).mean() > 0.0005)


def _ocr_scale(page: pdfium.PdfPage, config: IngestConfig, number: int) -> float:
    """The render scale for OCR, lowered for large pages so the bitmap stays within budget."""
    width, height = page.get_size()
    budget = config.max_render_megapixels * 1_000_000
    scale = min(config.ocr_scale, math.sqrt(budget / max(width * height, 1.0)))
    if scale < _MIN_OCR_SCALE:
        raise UnreadableDocument(
            f"page {number} is too large to OCR ({width:.0f} × {height:.0f} pt)"
        )
    return scale


def _read_page(
    pdf: pdfium.PdfDocument, number: int, config: IngestConfig, needed_ocr: int
) -> tuple[str, bool, bool]:
    """(text, was OCRed, needed OCR) of one page: OCR when it shows ink but holds too little
    text, within the budget of pages per document."""
    page = pdf[number - 1]
    try:
        text = _page_text(page)
        if len("".join(text.split())) >= config.ocr_min_chars or not _has_ink(page):
            return text, False, False
        if needed_ocr + 1 > config.max_ocr_pages:
            raise UnreadableDocument(
                f"more than {config.max_ocr_pages} pages need OCR (REVIEW_ASSISTANT_MAX_OCR_PAGES)"
            )
        bitmap = page.render(scale=_ocr_scale(page, config, number))
        ocr_text = ocr_image(bitmap.to_pil())
        if len(ocr_text.strip()) > len(text.strip()):
            return ocr_text, True, True
        return text, False, True
    finally:
        page.close()


def read_pdf_pages(data: bytes, config: IngestConfig) -> list[tuple[str, bool]]:
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
        if len(pdf) > config.max_pages:
            raise UnreadableDocument(f"PDF has {len(pdf)} pages (limit {config.max_pages})")
        pages: list[tuple[str, bool]] = []
        needed_ocr = 0
        for number in range(1, len(pdf) + 1):
            try:
                text, ocred, needed = _read_page(pdf, number, config, needed_ocr)
            except pdfium.PdfiumError as exc:  # a damaged page object
                raise UnreadableDocument(
                    f"page {number} of the PDF cannot be read ({exc})"
                ) from exc
            pages.append((text, ocred))
            needed_ocr += needed
        return pages
    finally:
        pdf.close()
