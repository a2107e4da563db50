"""Read a file into a RawDocument, choosing the reader by content (magic bytes), not extension."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import puremagic

from ingest import recids
from ingest.errors import UnreadableDocument
from ingest.normalize import assemble
from ingest.pdf import read_pdf_pages
from ingest.types import RawDocument

_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<(?:p|div|h[1-6])[\s>]", re.I)


def sniff(data: bytes, suffix: str = "") -> str:
    """The format of a file's bytes: pdf, docx, html, markdown or text."""
    if not data.strip():
        raise UnreadableDocument("empty file")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile as exc:
            raise UnreadableDocument("corrupt ZIP/DOCX file") from exc
        raise UnreadableDocument("unsupported ZIP archive (not a DOCX document)")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument("legacy .doc/.xls (OLE) files are not supported; save as DOCX")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument(f"unsupported binary file ({_describe(data)})")
    if _HTML_SNIFF.search(data[:4096]):
        return "html"
    return "markdown" if suffix.lower() in {".md", ".markdown"} else "text"


def _describe(data: bytes) -> str:
    try:
        return puremagic.from_string(data, mime=True) or "unknown type"
    except puremagic.PureError:
        return "unknown type"


def _decode(data: bytes) -> str:
    for encoding in (
        ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",)
    ):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def _text_pages(text: str) -> list[tuple[str, bool]]:
    return [(page, False) for page in text.split("\f")]


def _docx_pages(data: bytes) -> list[tuple[str, bool]]:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for bad packages
        raise UnreadableDocument(f"corrupt DOCX file ({exc.__class__.__name__})") from exc
    pages: list[list[str]] = [[]]
    body = document.element.body
    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(element, document)
            if element.xpath(".//w:br[@w:type='page']") or element.xpath(
                ".//w:lastRenderedPageBreak"
            ):
                pages.append([])
            pages[-1].append(_docx_paragraph(paragraph))
        elif element.tag == qn("w:tbl"):
            table = docx.table.Table(element, document)
            rows = [[cell.text for cell in row.cells] for row in table.rows]
            pages[-1].append(table_text(rows))
    return [("\n".join(lines), False) for lines in pages if any(x.strip() for x in lines)] or [
        ("", False)
    ]


def _docx_paragraph(paragraph) -> str:
    text = "".join(
        f"**{run.text}**" if run.bold and run.text.strip() else run.text for run in paragraph.runs
    )
    text = text.replace("****", "")
    style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    is_list = "list" in style or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if is_list and text.strip():
        text = "- " + text.strip()
    return text + "\n"


_ID_HEADER = re.compile(r"\b(?:rec(?:ommendation)?s?|no\.?|number|ref(?:erence)?|#)\b", re.I)


_OWNER_HEADER = re.compile(
    r"\b(?:lead|owner|responsible|agency|agencies|organisation|partner)", re.I
)
_TEXT_HEADER = re.compile(r"^recommendations?(?: text)?$", re.I)


def table_text(rows: list[list[str]]) -> str:
    """A table as text the structure parser reads: one block per row, each cell after its
    column's header ("Lead agency: Solent NHS Trust"), so action-plan tables keep who does what.
    A bare number in a recommendation column becomes a heading ("Recommendation 3"), and the
    lead agency comes straight after the recommendation so the row's actions are attributed."""
    rows = [[" ".join(cell.split()) for cell in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        return ""
    header, body = rows[0], rows[1:]
    if not body or any(len(h.split()) > 6 for h in header):
        return "\n\n".join(" | ".join(dict.fromkeys(c for c in row if c)) for row in rows)
    blocks = []
    for row in body:
        heading, text, owners, rest = [], [], [], []
        for index, cell in enumerate(row):
            if not cell or (index and cell == row[index - 1]):  # empty, or a merged cell
                continue
            title = header[index] if index < len(header) else ""
            if index == 0 and recids.BARE.match(cell) and _ID_HEADER.search(title):
                heading.append(f"Recommendation {cell.rstrip('.')}")
            elif index == 0 or not title or _TEXT_HEADER.match(title):
                text.append(cell)
            elif _OWNER_HEADER.search(title):
                owners.append(f"{title}: {cell}")
            else:
                rest.append(f"{title}: {cell}")
        blocks.append("\n\n".join(heading + text + owners + rest))
    return "\n\n".join(blocks)


def _html_pages(data: bytes) -> list[tuple[str, bool]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for tag in soup(["script", "style", "nav", "noscript", "template", "head"]):
        tag.decompose()
    for table in soup.find_all("table"):
        rows = [
            [cell.get_text(" ", strip=True) for cell in tr.find_all(["td", "th"])]
            for tr in table.find_all("tr")
        ]
        table.replace_with(soup.new_string("\n\n" + table_text(rows) + "\n\n"))
    for tag in soup.find_all(["strong", "b"]):
        if tag.get_text(strip=True):
            tag.insert_before("**")
            tag.insert_after("**")
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all("li"):
        tag.insert_before("\n- ")
    blocks = [
        "p",
        "div",
        "section",
        "article",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "blockquote",
        "dd",
        "dt",
        "header",
        "footer",
        "main",
    ]
    for tag in soup.find_all(blocks):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return [(text, False)]


def read_document(
    path: Path, *, ocr_min_chars: int = 20, ocr_scale: float = 2.0, data: bytes | None = None
) -> RawDocument:
    """Read one file; raise UnreadableDocument with a user-facing reason if it cannot be read."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableDocument(f"cannot read file ({exc.strerror})") from exc
    kind = sniff(data, path.suffix)
    if kind == "pdf":
        pages = read_pdf_pages(data, ocr_min_chars=ocr_min_chars, ocr_scale=ocr_scale)
    elif kind == "docx":
        pages = _docx_pages(data)
    elif kind == "html":
        pages = _html_pages(data)
    else:
        pages = _text_pages(_decode(data))
    text, page_models, emphasis = assemble(pages)
    if len(text.strip()) < 20:
        raise UnreadableDocument("no text found in the document (even after OCR)")
    return RawDocument(
        file_name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        source_format=kind,
        text=text,
        pages=page_models,
        emphasis=emphasis,
        ocr_pages=sum(1 for p in page_models if p.ocr),
    )
