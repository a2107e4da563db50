"""Read a file into a RawDocument, choosing the reader by content (magic bytes), not extension."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from pathlib import Path

import puremagic

from review_assistant.ingest.config import IngestConfig
from review_assistant.ingest.directives import leave_out_directives
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.html import html_text
from review_assistant.ingest.normalize import assemble
from review_assistant.ingest.pdf import read_pdf_pages
from review_assistant.ingest.types import RawDocument
from review_assistant.ingest.word import docx_pages

log = logging.getLogger(__name__)
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


def read_document(
    path: Path, config: IngestConfig | None = None, data: bytes | None = None
) -> RawDocument:
    """Read one file; raise UnreadableDocument with a user-facing reason if it cannot be read
    or is beyond the limits of `config`."""
    config = config or IngestConfig()
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableDocument(f"cannot read file ({exc.strerror})") from exc
    kind = sniff(data, path.suffix)
    if kind == "pdf":
        pages = read_pdf_pages(data, config)
    elif kind == "docx":
        pages = docx_pages(data, config)
    elif kind == "html":
        pages = [(html_text(data, int(config.max_html_mb * 1_000_000)), False)]
    else:
        pages = _text_pages(_decode(data))
    text, page_models, emphasis = assemble(pages)
    # orders to a reader or a model are not the document's findings: no answer may quote them
    text, page_models, emphasis, left_out = leave_out_directives(text, page_models, emphasis)
    if left_out:
        log.warning(
            "%s: %d passage(s) addressed to a reader or a model left out", path.name, len(left_out)
        )
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
        left_out=left_out,
    )
