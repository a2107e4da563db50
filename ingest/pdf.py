"""PDF pages as text with pypdfium2 (Apache/BSD); ruled tables with pdfplumber (MIT), each cell
after its column's header; pages without a text layer are OCRed."""

from __future__ import annotations

import contextlib
import ctypes
import io
import math
import re
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from review_assistant.ingest.config import IngestConfig
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.layout import Fragment, paragraphs_text
from review_assistant.ingest.ocr import ocr_image
from review_assistant.ingest.tables import table_text

# A table's bounds on its page (left, top, right, bottom; y downwards) and its text
Table = tuple[tuple[float, float, float, float], str]
_RULE = (3.0, 6.0)  # points: a rule is thinner than the first and longer than the second
_MIN_RULES = 3  # rules each way a page needs before it is searched for ruled tables
_RULE_SNAP = 2.0  # points: rules closer than this stand in one place

_INK_SCALE = 0.2  # about 14 dpi: enough to see whether a page shows anything
_MIN_OCR_SCALE = 0.5  # about 36 dpi: below this OCR reads nothing


def _page_text(page: pdfium.PdfPage, tables: list[Table]) -> str:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        fragments: list[Fragment] = []
        current: list[str] = []
        box: list[float] | None = None  # left, top, right, bottom (y downwards)
        styled = counted = 0  # characters of the fragment set in bold or italic
        font_name = ctypes.create_string_buffer(256)
        # pdfium gives each text object one font, so its characters share one style: asked
        # once per object, not once per character (the per-character font calls were a
        # third of the time a page took to read)
        object_styled: dict[int, bool] = {}

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
            styled += _object_styled(textpage, index, font_name, object_styled)
            if box is None:
                box = [left, top, right, bottom]
            else:
                box = [min(box[0], left), min(box[1], top), max(box[2], right), max(box[3], bottom)]
            current.append(char)
        flush()
        return (
            _with_tables(fragments, width, tables) if tables else paragraphs_text(fragments, width)
        )
    finally:
        textpage.close()


def _with_tables(fragments: list[Fragment], width: float, tables: list[Table]) -> str:
    """A page's text with each table read from its cells, in its place among the page's
    lines; the text layer's runs inside a table are left out (read once, as cells). The page
    is laid out whole, a table's runs standing in for it, so lines and paragraphs part as they
    would without the tables."""

    def inside(frag: Fragment, bounds: tuple[float, float, float, float]) -> bool:
        x, y = (frag.left + frag.right) / 2, (frag.top + frag.bottom) / 2
        return bounds[0] - 1 <= x <= bounds[2] + 1 and bounds[1] - 1 <= y <= bounds[3] + 1

    marks = [f"{_MARK}{index}{_MARK}" for index in range(len(tables))]
    standing: list[Fragment] = []
    for frag in fragments:
        index = next((i for i, (bounds, _) in enumerate(tables) if inside(frag, bounds)), None)
        text = frag.text if index is None else marks[index]
        standing.append(Fragment(frag.left, frag.top, frag.right, frag.bottom, text))
    placed: set[int] = set()
    out: list[str] = []
    for line in paragraphs_text(standing, width).split("\n"):
        for index, mark in enumerate(marks):
            if mark in line and index not in placed:
                placed.add(index)
                line = line.replace(mark, f"\n\n{tables[index][1]}\n\n", 1)
            line = line.replace(mark, "")
        if line.strip() or not line:
            out.append(line.strip(" "))
    # a table the text layer holds no runs of (its cells drawn as outlines) comes last
    out += [f"\n{text}" for index, (_, text) in enumerate(tables) if index not in placed]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


_MARK = "\ue000"  # a private-use character: where a table stands while the page is laid out


def _ruled(page: pdfium.PdfPage) -> bool:
    """Whether a page draws rules both ways, as a ruled table does: reading a page's tables
    costs far more than reading its text, and most pages (charts and boxes too) draw none.
    Two columns need three vertical rules at different places: a box drawn round a block,
    however many segments it is drawn in, has two, and is not searched."""
    across = 0
    downs: set[int] = set()  # where vertical rules stand, to the nearest few points
    rows: set[int] = set()
    thin, long = _RULE
    for path in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = path.get_bounds()
        if top - bottom < thin and right - left > long:
            across += 1
            rows.add(round((top + bottom) / 2 / _RULE_SNAP))
        if right - left < thin and top - bottom > long:
            downs.add(round((left + right) / 2 / _RULE_SNAP))
        if across >= _MIN_RULES and len(downs) >= _MIN_RULES and len(rows) >= 2:
            return True
    return False


def _tables(plumber: Any, number: int) -> list[Table]:
    """The ruled tables of a page that are tables: a header and a row, two columns or more
    holding words (a box drawn round a quotation, or a frame, is a one-column table)."""
    tables: list[Table] = []
    for found in plumber.pages[number - 1].find_tables():
        rows = [[" ".join((cell or "").split()) for cell in row] for row in found.extract()]
        rows = [row for row in rows if any(row)]
        columns = max((len(row) for row in rows), default=0)
        worded = [
            i for i in range(columns) if sum(1 for row in rows if i < len(row) and row[i]) >= 2
        ]
        filled = [row for row in rows if sum(1 for cell in row if cell) >= 2]
        # a chart's grid holds figures; a table's header names its columns in words
        header = filled[0] if filled else []
        if (
            len(worded) >= 2
            and len(filled) >= 2
            and sum(bool(_WORD.search(c)) for c in header) >= 2
        ):
            tables.append((found.bbox, table_text(rows)))
    return tables


_WORD = re.compile(r"[^\W\d_]{2,}")
_STYLE_NAME = re.compile(r"bold|italic|oblique|semibold|demi|black|heavy", re.I)


def _styled(textpage: pdfium.PdfTextPage, index: int, name: ctypes.Array) -> bool:
    """Whether a character is set in a bold or italic face (by its font's name or weight)."""
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), ctypes.byref(flags))
    if _STYLE_NAME.search(name.value.decode("latin-1")):
        return True
    return pdfium_c.FPDFText_GetFontWeight(textpage.raw, index) >= 600


def _object_styled(
    textpage: pdfium.PdfTextPage, index: int, name: ctypes.Array, seen: dict[int, bool]
) -> bool:
    """`_styled` of a character, remembered for the text object it belongs to."""
    handle = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
    key = ctypes.cast(handle, ctypes.c_void_p).value
    if key is None:  # a character pdfium generated (a space, a line break) has no object
        return _styled(textpage, index, name)
    if key not in seen:
        seen[key] = _styled(textpage, index, name)
    return seen[key]


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
    pdf: pdfium.PdfDocument, number: int, config: IngestConfig, needed_ocr: int, plumber: Any
) -> tuple[str, bool, bool]:
    """(text, was OCRed, needed OCR) of one page: OCR when it shows ink but holds too little
    text, within the budget of pages per document."""
    page = pdf[number - 1]
    try:
        tables: list[Table] = []
        if _ruled(page):
            # pdfminer, under pdfplumber, reads the file apart from pdfium: a page it cannot
            # parse keeps its text, read without tables
            with contextlib.suppress(Exception):
                tables = _tables(plumber(), number)
        text = _page_text(page, tables)
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
        with contextlib.ExitStack() as stack:
            opened: list[Any] = []

            def plumber() -> Any:  # opened only for a document with a ruled page
                if not opened:
                    opened.append(stack.enter_context(pdfplumber.open(io.BytesIO(data))))
                return opened[0]

            for number in range(1, len(pdf) + 1):
                try:
                    text, ocred, needed = _read_page(pdf, number, config, needed_ocr, plumber)
                except pdfium.PdfiumError as exc:  # a damaged page object
                    raise UnreadableDocument(
                        f"page {number} of the PDF cannot be read ({exc})"
                    ) from exc
                pages.append((text, ocred))
                needed_ocr += needed
        return pages
    finally:
        pdf.close()
