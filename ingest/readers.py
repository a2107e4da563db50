"""Read a file into a RawDocument, choosing the reader by content (magic bytes), not extension."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import puremagic

from assistant.models import RawDocument
from ingest.errors import UnreadableDocument
from ingest.normalize import assemble
from ingest.pdf import read_pdf_pages

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
            for row in table.rows:
                cells = [c.text.strip() for c in row.cells if c.text.strip()]
                pages[-1].append(" | ".join(dict.fromkeys(cells)))
                pages[-1].append("")
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


def _html_pages(data: bytes) -> list[tuple[str, bool]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for tag in soup(["script", "style", "nav", "noscript", "template", "head"]):
        tag.decompose()
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
        "tr",
        "ul",
        "ol",
        "table",
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
    for tag in soup.find_all(["td", "th"]):
        tag.insert_after(" | ")
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
