"""Ruled tables in PDFs are read from their cells (pdfplumber), each cell after its column's
header: a tracker's status column per administration becomes each one's status of the
recommendation its row names, a requirements table's due date the deadline. Synthetic PDFs
(reportlab), each pinning one rule."""

from __future__ import annotations

from pathlib import Path

from review_assistant.ingest.readers import read_document
from review_assistant.ingest.structure import StructureParser

SCHOOLS = "Every school should name a safeguarding lead."
MISSING = "Agencies should share records of missing children."


def _pdf(path: Path, before: list[str], rows: list[list[str]] | None, after: list[str] = ()):
    """Paragraphs, a table ruled as a grid (first row its header), more paragraphs."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    style = getSampleStyleSheet()["BodyText"]
    story = []
    for text in before:
        story += [Paragraph(text, style), Spacer(1, 14)]
    if rows:
        columns = len(rows[0])
        widths = [450] if columns == 1 else [100] + [350 / (columns - 1)] * (columns - 1)
        table = Table([[Paragraph(c, style) for c in row] for row in rows], colWidths=widths)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story += [table, Spacer(1, 14)]
    for text in after:
        story += [Paragraph(text, style), Spacer(1, 14)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def _by_id(path: Path) -> dict:
    doc = StructureParser().parse(read_document(path))
    return {rec.rec_id: rec for rec in doc.recommendations}


def test_a_trackers_column_per_government_is_each_ones_status(tmp_path: Path):
    rows = [
        ["Rec No.", "Recommendation", "UK Government", "Welsh Government"],
        ["1", SCHOOLS, "Accepted", "Accepted in part"],
        ["2", MISSING, "Not accepted", "Accepted"],
    ]
    path = _pdf(tmp_path / "tracker.pdf", ["Northshire Inquiry: the governments' responses"], rows)
    recs = _by_id(path)
    assert list(recs) == ["1", "2"]
    assert recs["1"].text == SCHOOLS
    statuses = {rec: {(r.agency, r.status) for r in recs[rec].responses} for rec in recs}
    assert statuses["1"] == {
        ("HM Government", "accepted"),
        ("Welsh Government", "accepted in part"),
    }
    assert statuses["2"] == {("HM Government", "rejected"), ("Welsh Government", "accepted")}


def test_a_requirements_tables_due_date_is_the_deadline(tmp_path: Path):
    rows = [
        ["Rec No.", "Requirement", "Lead agency", "Action", "Due date"],
        ["1", SCHOOLS, "Children's Services", "Leads are being named in every school.",
         "31 March 2025"],
        ["2", MISSING, "Police", "A protocol will be agreed.", "30 June 2025"],
    ]  # fmt: skip
    before = ["Northshire Safeguarding Children Partnership",
              "Action plan in response to the Serious Case Review of Child Q"]  # fmt: skip
    recs = _by_id(_pdf(tmp_path / "plan.pdf", before, rows))
    assert [recs[i].text for i in ("1", "2")] == [SCHOOLS, MISSING]
    assert [r.deadline for r in recs["1"].responses] == ["2025-03-31"]
    assert [r.deadline for r in recs["2"].responses] == ["2025-06-30"]
    assert recs["1"].agencies == ["Children's Services"]
    assert {r.status for r in recs["1"].responses} == {"in progress"}


def test_a_summary_tables_verdicts_go_to_the_recommendations_answered_below(tmp_path: Path):
    rows = [
        ["Recommendation", "UK Government", "Scottish Government"],
        ["1", "Accepted", "Noted"],
        ["2", "Accepted in principle", "Accepted"],
    ]
    before = ["Government response to the Northshire Inquiry report", "Summary of responses"]
    answer = " The department has written to every local authority about it this term."
    after = [
        "Recommendation 1", SCHOOLS + " Each lead should be trained.",
        "Schools will name their leads by September." + answer,
        "Recommendation 2", MISSING + " Records should be kept for a year.",
        "A data standard is being written." + answer,
    ]  # fmt: skip
    recs = _by_id(_pdf(tmp_path / "summary.pdf", before, rows, after))
    assert list(recs) == ["1", "2"]  # each once: the table's rows are not recommendations
    assert recs["1"].text == SCHOOLS + " Each lead should be trained."
    statuses = {r.status for r in recs["1"].responses}
    assert {"accepted", "noted"} <= statuses
    assert "accepted in principle" in {r.status for r in recs["2"].responses}


def test_boxes_and_charts_are_not_tables(tmp_path: Path):
    """A box drawn round a recommendation (a one-column "table") and a chart's grid of
    figures are read as text, as they were."""
    boxed = [["Inquiry recommendation"], [f"1. {SCHOOLS}"]]
    raw = read_document(_pdf(tmp_path / "box.pdf", ["Government response"], boxed))
    assert "Inquiry recommendation\n" in raw.text and "- " not in raw.text
    chart = [["", "2019", "2020"], ["12%", "40%", "51%"], ["9%", "38%", "43%"]]
    raw = read_document(_pdf(tmp_path / "chart.pdf", ["Figure 1"], chart))
    assert ": 40%" not in raw.text and "40%" in raw.text


def test_a_box_is_not_searched_for_tables_but_a_grid_is(tmp_path: Path):
    """Searching a page for tables (pdfminer under pdfplumber) costs far more than reading its
    text: a page whose only rules are a box round a block, however many rows it is drawn in,
    is not searched; one ruled into two columns or more is."""
    import pypdfium2 as pdfium

    from review_assistant.ingest.pdf import _ruled

    boxed = [["Inquiry recommendation"], [f"1. {SCHOOLS}"], [f"2. {MISSING}"], ["Accepted"]]
    grid = [["Rec No.", "Recommendation"], ["1", SCHOOLS], ["2", MISSING]]
    for name, rows, searched in (("box.pdf", boxed, False), ("grid.pdf", grid, True)):
        pdf = pdfium.PdfDocument(str(_pdf(tmp_path / name, ["Government response"], rows)))
        try:
            assert _ruled(pdf[0]) is searched, name
        finally:
            pdf.close()
