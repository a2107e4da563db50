"""DOCX as text: paragraphs (bold kept, lists as bullets), page breaks, tables row by row.

The package is checked before python-docx opens it: a zip bomb or a document of absurd length
is refused with a reason instead of filling memory or running for minutes.
"""

from __future__ import annotations

import io
import zipfile

from review_assistant.ingest.config import IngestConfig
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.tables import table_text


def check_package(data: bytes, config: IngestConfig) -> None:
    """Refuse a DOCX whose members are too many or expand beyond the limit (the sizes a zip
    declares bound what zipfile will ever inflate, so they can be trusted here)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument("corrupt ZIP/DOCX file") from exc
    if len(members) > config.max_archive_members:
        raise UnreadableDocument(
            f"DOCX has {len(members)} parts (limit {config.max_archive_members})"
        )
    expanded = sum(member.file_size for member in members)
    if expanded > config.max_expanded_mb * 1_000_000:
        raise UnreadableDocument(
            f"document expands beyond {config.max_expanded_mb:g} MB "
            f"({expanded / 1_000_000:.0f} MB unzipped)"
        )


def docx_pages(data: bytes, config: IngestConfig) -> list[tuple[str, bool]]:
    import docx
    from docx.oxml.ns import qn

    check_package(data, config)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for bad packages
        raise UnreadableDocument(f"corrupt DOCX file ({exc.__class__.__name__})") from exc
    body = document.element.body
    if len(body) > config.max_paragraphs:
        raise UnreadableDocument(
            f"DOCX has {len(body)} paragraphs and tables (limit {config.max_paragraphs})"
        )
    paragraph_tag, table_tag = qn("w:p"), qn("w:tbl")
    pages: list[list[str]] = [[]]
    for element in body.iterchildren():
        if element.tag == paragraph_tag:
            if element.xpath(".//w:br[@w:type='page'] | .//w:lastRenderedPageBreak"):
                pages.append([])
            if not "".join(element.itertext()).strip():
                pages[-1].append("\n")  # an empty paragraph: no need to build its runs
                continue
            pages[-1].append(_docx_paragraph(docx.text.paragraph.Paragraph(element, document)))
        elif element.tag == table_tag:
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
