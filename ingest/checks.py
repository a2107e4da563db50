"""A structure check for each document: does its register look whole?

A parser that misread a document usually leaves traces: a gap in the numbering, the same
number twice, a recommendation with no words of its own, responses missing, or no
recommendations in a document that talks about them. A document with such traces is
"doubtful": the answerer then searches instead of asserting that something does not exist.
"""

from __future__ import annotations

import re
from collections import defaultdict

from review_assistant.ingest.types import DocType, ParsedDocument, StructureCheck

_RESPONSES = {DocType.partnership_response, DocType.government_response}
_MENTIONS = re.compile(r"\brecommend(?:ation)?s?\b", re.I)


def _number(rec_id: str) -> tuple[str, int] | None:
    """'8.12' -> ('8.', 12); '3b' -> ('', 3); '4a.i' -> None (lettered parts are not counted)."""
    match = re.fullmatch(r"((?:\d+\.)*)(\d+)[a-z]?", rec_id)
    return (match.group(1), int(match.group(2))) if match else None


def gaps(rec_ids: list[str], paragraphs: bool = False) -> list[str]:
    """Numbers missing inside each numbered series: ['1', '2', '4'] -> ['3']. With
    `paragraphs`, the ids are a report's paragraph numbers however low they start."""
    series: dict[str, set[int]] = defaultdict(set)
    for rec_id in rec_ids:
        number = _number(rec_id)
        if number:
            series[number[0]].add(number[1])
    missing = []
    for prefix, numbers in series.items():
        ordered = sorted(numbers)
        if not prefix and (paragraphs or ordered[0] > 5):
            # report paragraph numbers (an inspection's 14-23, then 109-113): only a number
            # or two missing inside a run is a gap; a long jump is the next section
            for low, high in zip(ordered, ordered[1:], strict=False):
                if 1 < high - low <= 3:
                    missing += [str(n) for n in range(low + 1, high)]
            continue
        low = 1 if not prefix else ordered[0]
        missing += [f"{prefix}{n}" for n in range(low, ordered[-1]) if n not in numbers]
    return missing


def check_structure(doc: ParsedDocument) -> StructureCheck:
    problems: list[str] = []
    ids = [r.rec_id for r in doc.recommendations]
    # an inspection numbers every paragraph: its recommendations to the local authority open
    # the report at 1, those to the board sit a hundred paragraphs on, and nothing lies between
    missing = gaps(ids, paragraphs=doc.doc_type == DocType.inspection)
    if missing:
        problems.append(f"numbering skips {', '.join(missing[:5])}")
    # a number printed twice whose repeat took the free next number is a typo put right
    # (recorded in `numbered_as`); one that had to be suffixed "(2)" is not
    repeated = [r.rec_id for r in doc.recommendations if " (" in r.rec_id]
    if repeated:
        problems.append(f"numbers printed twice ({', '.join(repeated[:5])})")
    empty = [r.rec_id for r in doc.recommendations if len(r.text.split()) < 4]
    if empty:
        problems.append(f"no text of their own: {', '.join(empty[:5])}")
    if doc.doc_type in _RESPONSES and ids:
        unanswered = [r.rec_id for r in doc.recommendations if not r.responses]
        if len(unanswered) > len(ids) / 3:
            problems.append(f"{len(unanswered)} of {len(ids)} have no response")
    if not ids and doc.doc_type != DocType.minutes and len(_MENTIONS.findall(doc.text)) >= 5:
        problems.append("the document discusses recommendations but none were found")
    return StructureCheck(doubtful=bool(problems), problems=problems)
