"""Files managers and trainers take away: a review's register as CSV or XLSX (one row per
recommendation and agency, each with the citation of its words), and learning points on a
theme as a trainer's handout in DOCX or Markdown (each point with its review,
recommendation and page)."""

from __future__ import annotations

import csv
import html
import io
import re

from review_assistant.ingest.status import PROGRESS, progress
from review_assistant.models import Answer, Citation, RecommendationDetail, SourceRef

REGISTER_COLUMNS = (
    "review", "recommendation", "finding", "recommendation text", "agency", "response",
    "status", "progress", "dates", "deadline", "document", "page", "citation",
)  # fmt: skip


def register_rows(details: list[RecommendationDetail]) -> list[dict[str, str | int]]:
    """One row per recommendation × responding agency (a recommendation nobody answered
    still gets its row)."""
    rows = []
    for rec in details:
        base = {
            "review": rec.review,
            "recommendation": rec.rec_id,
            "finding": rec.finding or "",
            "recommendation text": rec.text,
        }
        for response in rec.responses or [None]:
            cited = response.citation if response else rec.citation
            rows.append(
                base
                | {
                    "agency": response.agency if response else "",
                    "response": response.text if response else "",
                    "status": (response.status if response else None) or "",
                    "progress": progress(response.status if response else None),
                    "dates": "; ".join(response.dates) if response else "",
                    "deadline": (response.deadline if response else None) or "",
                    "document": cited.document,
                    "page": cited.page,
                    "citation": citation_text(cited),
                }
            )
    return rows


def citation_text(cited: SourceRef) -> str:
    pages = (
        f"p. {cited.page}" if cited.page == cited.page_end else f"pp. {cited.page}-{cited.page_end}"
    )
    return f"{cited.document}, {pages}, characters {cited.start}-{cited.end}"


def inert(value):
    """A cell a spreadsheet program shows as text: one starting with = + - @ (or a tab or
    carriage return before them) would be run as a formula, so it is prefixed with a quote.
    Every sheet and CSV a user downloads goes through this."""
    if isinstance(value, str) and value.lstrip("\t\r\n ")[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


_FORMULA_STARTS = ("=", "+", "-", "@")


def register_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGISTER_COLUMNS)
    writer.writeheader()
    writer.writerows({k: inert(v) for k, v in row.items()} for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheet programs read UTF-8


def register_xlsx(rows: list[dict], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(title)
    sheet.append(list(REGISTER_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([inert(row[c]) for c in REGISTER_COLUMNS])
    widths = {"recommendation text": 60, "response": 60, "citation": 40, "review": 24}
    for index, column in enumerate(REGISTER_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(column, 14)
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    _summary_sheet(book, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def summary_rows(rows: list[dict]) -> list[list]:
    """The register's progress at a glance: per agency (and in all), how many of its
    recommendation rows stand at each progress."""
    counted: dict[str, dict[str, int]] = {}
    for row in rows:
        agency = row["agency"] or "(no response recorded)"
        for name in (agency, "All agencies"):
            counts = counted.setdefault(name, dict.fromkeys(PROGRESS, 0))
            counts[row["progress"] if row["progress"] in counts else "not stated"] += 1
    order = sorted(k for k in counted if k != "All agencies") + ["All agencies"] * bool(counted)
    return [[name, *counted[name].values(), sum(counted[name].values())] for name in order]


def _summary_sheet(book, rows: list[dict]) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet("Summary")
    sheet.append(["agency", *PROGRESS, "total"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in summary_rows(rows):
        sheet.append([inert(v) for v in values])
    sheet.column_dimensions["A"].width = 40


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (cleaned or "register")[:31]


def handout_points(answer: Answer) -> list[Citation]:
    """The learning points of an answer: one per citation, in the answer's order."""
    return [] if answer.abstained else list(answer.citations)


def handout_markdown(theme: str, answer: Answer) -> str:
    """The handout as Markdown, every text from a document or the user made inert: HTML and
    Slack's <…> mentions escaped, "@channel" broken, no link or image syntax."""
    lines = [f"# Learning points: {_plain(theme)}", ""]
    points = handout_points(answer)
    if not points:
        lines.append(_plain(answer.answer))
    for review in dict.fromkeys(p.review for p in points):
        lines += [f"## {_plain(review)}", ""]
        for point in (p for p in points if p.review == review):
            lines.append(f"- {_plain(point.quote)} ({_plain(_source(point))})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _plain(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"([\[\]!`*_])", r"\\\1", text)  # Markdown's own syntax, as literal characters
    return _BROADCAST.sub("@\u200b\\1", text)


_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.I)


def handout_docx(theme: str, answer: Answer) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(f"Learning points: {theme}", level=1)
    points = handout_points(answer)
    if not points:
        document.add_paragraph(answer.answer)
    for review in dict.fromkeys(p.review for p in points):
        document.add_heading(review, level=2)
        for point in (p for p in points if p.review == review):
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(point.quote)
            paragraph.add_run(f" ({_source(point)})").italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _source(point: Citation) -> str:
    parts = [point.review]
    if point.recommendation:
        parts.append(f"Recommendation {point.recommendation}")
    pages = (
        f"p. {point.page}" if point.page == point.page_end else f"pp. {point.page}-{point.page_end}"
    )
    parts += [pages, point.document]
    return ", ".join(parts)
