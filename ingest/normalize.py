"""Canonical document text: markup stripped, bullets unified, fragmented text re-flowed.

Every character offset stored in the index points into the text built here, so citations quote
exactly what the parser saw. Emphasis (Markdown bold, DOCX/HTML bold) is kept as spans because
it often marks a recommendation's own text or an agency label.
"""

from __future__ import annotations

import re
import unicodedata

from review_assistant.ingest import spacing
from review_assistant.ingest.types import Page

_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",
        "\t": " ",
        "\ufffe": "-",  # pdfium's marker for a hyphen at a line break
        "\u00ad": "",
        "\uf0b7": "•",
        "\uf0a7": "•",
        "\u2017": "‘",  # some PDF fonts map the opening quote to a double low line
        "\r": "",
        "\f": "",
    }
)
_HEADING_HASHES = re.compile(r"^\s{0,3}#{1,6}\s+")
# bullet glyphs, including those of symbol fonts, which PDFs give as private-use characters
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦○●■□◼◾▸►‣⁃➢➤✓\uf000-\uf0ff]|o(?=\s{2,}))\s*(?=\S)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_BOLD = re.compile(r"\*\*|__")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
# What a browser prints on every page of a saved web page: the date and time, with the page's
# title beside them, on top ("02/12/2024, 10:31 Government response"); the address and a page
# counter below ("https://www.example.org/response 3/12").
_BROWSER_FURNITURE = re.compile(
    r"^(?:\d{1,2}/\d{1,2}/\d{2,4},?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s.*)?"
    r"|(?:https?://|www\.)\S.*?\s\d{1,4}\s*/\s*\d{1,4})$",
    re.IGNORECASE,
)
_HEADING_WORD = re.compile(
    r"(?:^|\s)(?:recommendations?|finding|part|section|chapter)[ \t]*(?:no\.?)?[ \t]*$", re.I
)
_STRUCTURAL = re.compile(
    r"^(?:recommendation|finding|part|section|chapter|appendix)\b|^\d+(?:\.\d+)*[.)]?$",
    re.IGNORECASE,
)


def _clean_line(line: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip markup from one line; return it with the emphasised spans (line offsets)."""
    line = _HEADING_HASHES.sub("", line.rstrip())
    line = _LINK.sub(r"\1", line)
    bullet = _BULLET.match(line)
    if bullet and not re.match(r"^\s*\*\*", line):
        line = "- " + line[bullet.end() :]
    prefix = ""
    if line.startswith("- "):
        prefix, line = "- ", line[2:]
    line = line.strip()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    markers = list(_BOLD.finditer(line))
    position = 0
    open_at: int | None = None
    for index, marker in enumerate(markers):
        out.append(line[position : marker.start()])
        here = len(prefix) + sum(len(p) for p in out)
        if open_at is None:
            if index == len(markers) - 1 and len(markers) % 2 == 1 and marker.end() >= len(line):
                # A lone closing marker: the emphasis opened on the line start (lost upstream).
                spans.append((len(prefix), here))
            else:
                open_at = here
        else:
            spans.append((open_at, here))
            open_at = None
        position = marker.end()
    out.append(line[position:])
    text = prefix + "".join(out)
    if open_at is not None:
        spans.append((open_at, len(text)))
    text = re.sub(r" {2,}", " ", text.rstrip())
    spans = [(a, min(b, len(text))) for a, b in spans if min(b, len(text)) > a]
    return text, spans


def _is_fragmented(lines: list[str]) -> bool:
    """True when an extractor put (nearly) one word per line."""
    words = [line for line in lines if line.strip()]
    if len(words) < 15:
        return False
    short = sum(1 for line in words if len(line.split()) <= 2)
    return short / len(words) >= 0.6


def _reflow(lines: list[str]) -> list[str]:
    """Join one-word-per-line text into paragraphs, keeping headings and bullets on their own."""
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append(" ".join(current))
            current.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
            out.append("")
            continue
        starts_block = stripped.startswith("- ") or bool(_STRUCTURAL.match(stripped))
        heading_number = re.fullmatch(r"\d+(?:\.\d+)*[a-z]?[.:)]?", stripped)
        previous = current[-1] if current else ""
        if heading_number and re.match(r"(?i)^(recommendation|finding)s?$", previous):
            current.append(stripped)  # "Recommendation" / "7" split over two lines
            flush()
            continue
        if starts_block and not heading_number:
            flush()
        current.append(stripped)
    flush()
    return out


def _drop_page_furniture(lines: list[str], previous_tail: str, paged: bool) -> list[str]:
    """Remove a browser's print lines among the first and last lines of a page, and bare page
    numbers where the document has pages (`paged`: a one-page text's "1" may be a heading's).

    A number right after a page that ended on "Recommendation" is the rest of a heading split
    by the page break, not a page number.
    """
    kept = list(lines)
    filled = [i for i, line in enumerate(kept) if line.strip()]
    split_heading = bool(_HEADING_WORD.search(previous_tail))
    for position, index in enumerate(filled[:2] + filled[-2:]):
        if position == 0 and split_heading:
            continue
        line = kept[index].strip()
        if (paged and _PAGE_NUMBER.match(line)) or _BROWSER_FURNITURE.match(line):
            kept[index] = ""
    return kept


def _shape(line: str) -> str:
    """A line without its numbers and punctuation: "68 CHILDREN IN CARE", "CHILDREN IN CARE 69"
    and "Page 3 of 12" each keep one shape from page to page."""
    return " ".join(re.sub(r"[\W\d_]+", " ", line.lower()).split())


def _edges(lines: list[str]) -> list[int]:
    """Where running headers and footers sit: the first two and last two filled lines (a
    browser prints a date and a title on top, an address and a page counter below)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:2] + filled[-2:]))


def _may_run(line: str) -> bool:
    """Running headers and footers are short and are not sentences."""
    stripped = line.strip()
    return len(stripped.split()) <= 15 and not stripped.endswith((".", "!", "?", ";", ":"))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Shapes of edge lines that repeat on most pages: running headers and footers, not text."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        for shape in {_shape(lines[i]) for i in _edges(lines) if _may_run(lines[i])}:
            counts[shape] = counts.get(shape, 0) + 1
    return {
        shape
        for shape, count in counts.items()
        if shape and count >= max(3, len(pages) // 2) and not _STRUCTURAL.match(shape)
    }


def assemble(pages: list[tuple[str, bool]]) -> tuple[str, list[Page], list[tuple[int, int]]]:
    """Canonical text, page offsets and emphasis spans from per-page raw text."""
    chunks: list[str] = []
    page_models: list[Page] = []
    emphasis: list[tuple[int, int]] = []
    offset = 0
    multi_page = len(pages) > 1
    previous_tail = ""
    split_pages = [
        unicodedata.normalize("NFC", raw.translate(_CHAR_MAP)).split("\n") for raw, _ in pages
    ]
    running = _running_lines(split_pages)
    for number, ((_, ocred), lines) in enumerate(zip(pages, split_pages, strict=True), start=1):
        if running:
            edges = set(_edges(lines))
            lines = [
                "" if i in edges and _may_run(line) and _shape(line) in running else line
                for i, line in enumerate(lines)
            ]
        lines = _drop_page_furniture(lines, previous_tail if multi_page else "", multi_page)
        previous_tail = next((ln for ln in reversed(lines) if ln.strip()), "")
        if _is_fragmented(lines):
            lines = _reflow(lines)
        page_start = offset
        page_lines: list[str] = []
        blank = True
        for line in lines:
            text, spans = _clean_line(spacing.repair(line, ocr=ocred))
            if not text:
                if not blank:
                    page_lines.append("")
                    offset += 1
                blank = True
                continue
            emphasis.extend((offset + a, offset + b) for a, b in spans)
            page_lines.append(text)
            offset += len(text) + 1
            blank = False
        page_text = "\n".join(page_lines)
        if page_lines:
            page_text += "\n"
        # offset counted one newline per line, which is what the join plus trailing newline adds
        chunks.append(page_text)
        if page_text and not page_text.endswith("\n\n"):
            chunks.append("\n")
            offset += 1
        page_models.append(Page(number=number, start=page_start, end=offset, ocr=ocred))
    text = "".join(chunks)
    return text, page_models, emphasis
