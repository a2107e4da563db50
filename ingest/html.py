"""HTML as text in one linear pass over the tree (lxml): blocks, bullets, bold, tables."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.tables import table_text

_SKIP = {"script", "style", "nav", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCKS = {
    "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "blockquote", "dd", "dt", "header", "footer", "main",
}  # fmt: skip
_BOLD = {"strong", "b"}


def html_text(data: bytes, max_bytes: int) -> str:
    """The text of an HTML page; every element is visited once (no quadratic tree edits)."""
    if len(data) > max_bytes:
        raise UnreadableDocument(f"HTML file larger than {max_bytes // 1_000_000} MB")
    try:
        root = lxml.html.fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"unreadable HTML ({exc})") from exc
    out: list[str] = []
    # (element, None) opens an element; (element, suffix) closes it with that suffix
    stack: list[tuple[etree._Element, str | None]] = [(root, None)]
    while stack:
        element, suffix = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if suffix is not None:
            out.append(suffix)
        elif tag is None or tag in _SKIP:
            pass  # comments, processing instructions, scripts: only their tail is text
        elif tag == "table":
            rows = [
                [" ".join(cell.text_content().split()) for cell in row.iter("td", "th")]
                for row in element.iter("tr")
            ]
            out.append("\n\n" + table_text(rows) + "\n\n")
        else:
            before, after = _marks(tag, element)
            out.append(before + (element.text or ""))
            stack.append((element, after))
            stack.extend((child, None) for child in reversed(element))
            continue
        if element is not root and element.tail:
            out.append(element.tail)
    text = "".join(out)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def _marks(tag: str, element: etree._Element) -> tuple[str, str]:
    """What an element adds before and after its text."""
    if tag == "br":
        return "\n", ""
    if tag == "li":
        return "\n- ", ""
    if tag in _BOLD:
        return ("**", "**") if "".join(element.itertext()).strip() else ("", "")
    return ("\n\n", "\n\n") if tag in _BLOCKS else ("", "")
