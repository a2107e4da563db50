"""Tables (action plans, trackers, summary tables; of DOCX, HTML and PDF) as text the structure
parser reads."""

from __future__ import annotations

import re

from review_assistant.ingest import recids

_ID_HEADER = re.compile(r"\b(?:rec(?:ommendation)?s?|no\.?|number|ref(?:erence)?|#)\b", re.I)


_OWNER_HEADER = re.compile(
    r"\b(?:lead|owner|responsible|agency|agencies|organisation|partner)", re.I
)
_TEXT_HEADER = re.compile(r"^(?:recommendations?|requirements?)(?: text)?$", re.I)


def table_text(rows: list[list[str]]) -> str:
    """A table as text the structure parser reads: one block per row, its recommendation's
    words, then its other cells as a list, each after its column's header ("- Lead agency:
    Northshire NHS Trust", "- Welsh Government: Accepted", "- Due date: 31 March 2025"), so
    action plans and trackers keep who does what, by when, and each one's verdict. A bare
    number in a recommendation column becomes a heading ("Recommendation 3"), and the lead
    agency comes first in the list so the row's actions are attributed."""
    rows = [[" ".join(cell.split()) for cell in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        return ""
    captions: list[str] = []
    # a first row of one cell (or one merged across) is the table's caption, not its header
    while len(rows) > 2 and len({cell for cell in rows[0] if cell}) < 2:
        captions.append(next(cell for cell in rows[0] if cell))
        rows = rows[1:]
    if captions:
        return "\n\n".join([*captions, table_text(rows)])
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
        # the row's labelled cells are a list, a cell an item: as paragraphs of their own, a
        # last short cell ("Due date: 31 March 2025") would pass for the next row's subheading
        labelled = ["\n".join(f"- {cell}" for cell in owners + rest)] if owners or rest else []
        blocks.append("\n\n".join(heading + text + labelled))
    return "\n\n".join(blocks)
