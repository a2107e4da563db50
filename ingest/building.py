"""The parsed document's output: blocks, and recommendations with their responses by agency.

Every paragraph becomes a block (a response paragraph one block per agency it gives); each
recommendation chosen becomes a `Recommendation` with its sub-parts, the agencies' responses
to its group (each with a status and deadline) and the ids it shares them with.
"""

from __future__ import annotations

import re

from review_assistant.ingest import recids
from review_assistant.ingest.agencies import Gazetteer
from review_assistant.ingest.attribution import ResponseAttributor
from review_assistant.ingest.paragraphs import Paragraph
from review_assistant.ingest.status import dates_and_deadline, status_of
from review_assistant.ingest.types import (
    AgencyResponse,
    Block,
    ParsedDocument,
    RawDocument,
    Recommendation,
    RecommendationPart,
    SectionKind,
)
from review_assistant.ingest.walk import Layout, Rec

# A run of a response: (start, end, agency)
Run = tuple[int, int, str]
# An item of a response numbered like the recommendations it answers: "1. …", "(2b) …"
_ANSWER_LABEL = re.compile(rf"^\(?({recids.LABEL})[.):]\s")


def build(
    doc: ParsedDocument,
    raw: RawDocument,
    paras: list[Paragraph],
    layout: Layout,
    recs: list[Rec],
    gazetteer: Gazetteer,
) -> None:
    """Add the blocks and the recommendations `recs` (grouped) to `doc`."""
    by_group: dict[int, list[Rec]] = {}
    for rec in recs:
        by_group.setdefault(rec.group, []).append(rec)
    responses = _blocks_and_responses(doc, raw, paras, layout, by_group, gazetteer)
    # a group's members share its response: it is split and read once per group, not once
    # per member (a list of hundreds answered together would otherwise be read hundreds of
    # times over)
    numbered_of: dict[int, dict[str, list[Run]] | None] = {}
    answered: dict[tuple[Run, ...], list[AgencyResponse]] = {}
    for rec in recs:
        members = by_group[rec.group]
        runs = responses.get(rec.group, [])
        if rec.group not in numbered_of:
            numbered_of[rec.group] = (
                _numbered_answers(members, runs, raw) if len(members) > 1 else None
            )
        numbered = numbered_of[rec.group]
        if numbered is not None:  # "Responses" then "1. …", "2. …": each answers its own
            runs = numbered.get(rec.heading.rec_id, [])
        key = tuple(runs)
        if key not in answered:
            answered[key] = _agency_responses(runs, raw)
        own = [response.model_copy(deep=True) for response in answered[key]]
        built = _recommendation(rec, members, runs, raw, own)
        if numbered is not None:
            # the passages still carry the group's key; only the answers are apart
            built.shared_with = []
        doc.recommendations.append(built)


def _blocks_and_responses(
    doc: ParsedDocument,
    raw: RawDocument,
    paras: list[Paragraph],
    layout: Layout,
    by_group: dict[int, list[Rec]],
    gazetteer: Gazetteer,
) -> dict[int, list[Run]]:
    """Add every paragraph to `doc` as blocks (response paragraphs split by agency); return
    the attributed response runs of each group of recommendations."""
    fallback = (
        gazetteer.resolve(doc.partnership) or doc.partnership if doc.partnership else "Unattributed"
    )
    attributor = ResponseAttributor(gazetteer, raw, fallback)
    responses: dict[int, list[Run]] = {}
    group_keys = {
        group: ", ".join(r.heading.rec_id for r in members) for group, members in by_group.items()
    }
    for index, para in enumerate(paras):
        rec, kind = layout.owner_rec[index], layout.kinds[index]
        segments: list[tuple[int, int, str | None]] = [(para.start, para.end, None)]
        if kind == SectionKind.response and rec is not None:
            own = by_group[rec.group][0].own_text(raw)
            segments = attributor.response(para, id(rec), own)
            responses.setdefault(rec.group, []).extend(segments)
        elif kind == SectionKind.recommendation:
            attributor.recommendation_text()
        group_key = group_keys[rec.group] if rec else None
        for start, end, agency in segments:
            doc.blocks.append(
                Block(
                    start=start,
                    end=end,
                    kind=kind,
                    rec_id=group_key,
                    finding_id=layout.finding_of[index],
                    agency=agency,
                    agencies_mentioned=gazetteer.mentions(raw.text[start:end]),
                )
            )
    return responses


def _numbered_answers(
    members: list[Rec], runs: list[Run], raw: RawDocument
) -> dict[str, list[Run]] | None:
    """A list of recommendations answered by a list numbered the same way: the runs of each
    member's own item, or None when the response is not such a list."""
    ids = [m.heading.rec_id for m in members]
    owner: str | None = None
    split: dict[str, list[Run]] = {}
    for start, end, agency in runs:
        text = raw.text[start:end].lstrip("- ")
        label = _ANSWER_LABEL.match(text)
        if label and recids.normalise(label.group(1)) in ids:
            owner = recids.normalise(label.group(1))
        if owner is not None:
            split.setdefault(owner, []).append((start, end, agency))
    return split if len(split) >= max(2, len(ids) - 1) else None


def _recommendation(
    rec: Rec,
    members: list[Rec],
    responses: list[Run],
    raw: RawDocument,
    by_agency: list[AgencyResponse],
) -> Recommendation:
    heading = rec.heading
    text = ""
    end = rec.text_start
    if rec.text_paragraphs:
        end = rec.text_paragraphs[-1].end
        text = raw.text[rec.text_start : end].strip()
    parts = [
        RecommendationPart(label=m.group("label"), text=" ".join(m.group("text").split()))
        for p in rec.text_paragraphs
        if (m := recids.SUBPART.match(p.text))
    ]
    return Recommendation(
        rec_id=heading.rec_id,
        heading=heading.heading,
        finding_id=rec.finding_id,
        title=rec.title,
        text=text,
        parts=parts,
        start=rec.text_start,
        end=end,
        page=raw.page_at(rec.text_start),
        response_start=responses[0][0] if responses else None,
        response_end=responses[-1][1] if responses else None,
        shared_with=[m.heading.rec_id for m in members if m is not rec],
        group_key=", ".join(m.heading.rec_id for m in members),
        numbered_as=(
            "not numbered in the document: numbered in order"
            if heading.assigned
            else heading.heading
            if "[numbered" in heading.heading
            else None
        ),
        responses=by_agency,
    )


def _agency_responses(responses: list[Run], raw: RawDocument) -> list[AgencyResponse]:
    """The runs of a response as one response per agency and passage: runs of one agency a
    few characters apart are one response."""
    merged: list[list] = []  # [agency, start, end, start of the last run]
    for seg_start, seg_end, agency in responses:
        last = merged[-1] if merged else None
        if last is not None and last[0] == agency and seg_start - last[2] <= 3:
            last[2], last[3] = seg_end, seg_start
        else:
            merged.append([agency, seg_start, seg_end, seg_start])
    agency_responses = [
        AgencyResponse(
            agency=agency,
            text=raw.text[start:end].strip(),
            start=start,
            end=end,
            page_start=raw.page_at(start),
            page_end=raw.page_at(max(end - 1, last_start)),
        )
        for agency, start, end, last_start in merged
    ]
    for response in agency_responses:
        response.status = status_of(response.text)
        response.dates, response.deadline = dates_and_deadline(response.text)
    return agency_responses
