"""Every heading in a document that may open a recommendation, and every finding.

Read in order of trust: headings that name their recommendation ("Recommendation 3b"), the
items of a range heading, numbered paragraphs under a "Recommendation" label; then the lists
under a section that names them ("Summary of conclusions and recommendations", "What does the
local authority need to improve?"); and only in a document with none of these, the paragraphs
that recommend in prose. Returned as {paragraph index: Heading}; an id may be found more than
once, and `decision.py` says which one is the recommendation.
"""

from __future__ import annotations

import re

from review_assistant.ingest import recids
from review_assistant.ingest.headings import (
    REC_LABEL,
    Heading,
    finding_heading,
    is_subheading,
    numbered,
    numbered_below_title,
    rec_heading,
)
from review_assistant.ingest.paragraphs import Paragraph

# A heading that opens the list of recommendations of a report or an inspection
REC_SECTION = re.compile(
    r"^(?:(?:chapter|section|part)\s+\w+\s*[:.–—-]\s*)?(?:"
    r"summary of (?:the )?(?:conclusions and )?recommendations|(?:conclusions and )?recommendations"
    r"|(?:key|specific|main|principal|our|further) recommendations"
    r"|recommendations (?:for|to) [\w ’']{1,50}"
    r"|areas? for (?:improvement|development|priority action)|priority (?:and immediate )?actions?"
    r"|what needs to improve(?: in [\w ’']{1,60})?"
    r"|what (?:does|do|should) (?:the )?[\w ’']{1,50} need to (?:improve|do)"
    r")\s*[?:.]?$",
    re.I,
)
# A recommendation whose label carries no id: "Recommendation: The Government should…"
INLINE_LABEL = re.compile(r"^(?:- )?(?:Recommendation|RECOMMENDATION)[ \t]*[:–—-][ \t]+(?=\S)")
# A recommendation made in a sentence, not under a heading: its subject and the verb
_PROSE_RECOMMENDATION = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:(?:[A-Z][\w’']*\s+){0,5}|We\s+|I\s+)(?:also\s+|further\s+)?"
    r"recommend(?:s|ed)?\s+(?:that|the)\b"
)
# What ends such a list: the next part of the document
_SECTION_END = re.compile(
    r"^(?:appendix|annex|annexe|chapter|section|part|glossary|references|information about|"
    r"the experiences and progress|the effectiveness)\b",
    re.I,
)
# How an improvement or a recommendation is worded: an instruction ("Ensure that…") or a
# statement of what should happen ("The board should…", "We recommend…")
IMPERATIVE = re.compile(
    r"^(?:ensure|undertake|recruit|develop|strengthen|establish|improve|increase|accelerate|"
    r"review|consider|provide|make|set|publish|introduce|implement|reduce|embed|continue|"
    r"monitor|agree|clarify|prioritise|secure|extend|evaluate|commission|appoint|create|share|"
    r"raise|identify|take|work|use|put|give|promote|support|audit|update|revise|record|assess|"
    r"address|tackle|enable|deliver|ask|build|check|confirm|define|engage|involve|seek|train)\b",
    re.I,
)
# The heading of a contents page, and how far back from an entry it may be
_CONTENTS = re.compile(r"^(?:table of )?contents$", re.I)
_CONTENTS_REACH = 15
# What a recommendation says must happen, not merely that something is needed
_STRONG_MODAL = re.compile(r"\b(?:should|must|ought to)\b", re.I)
# A list item that opens with a verb in -ing: "Improving the…", "Broadening…"
_GERUND = re.compile(r"^[A-Z][a-z]{2,}ing\b")
DIRECTIVE = re.compile(
    IMPERATIVE.pattern + r"|\b(?:should|must|needs? to|ought to|recommend|urge)\b", re.I
)


def find_headings(paras: list[Paragraph], emphasised: set[int]) -> dict[int, Heading]:
    """The candidate recommendation headings, by paragraph index; `emphasised` are the
    paragraphs set in bold or italic."""
    headings = _section_headings(paras, _labelled_headings(paras), emphasised)
    return headings or prose_headings(paras)


def find_findings(
    paras: list[Paragraph], headings: dict[int, Heading]
) -> dict[int, tuple[str, str]]:
    """Paragraphs that open a finding: index -> (finding id, text after the heading)."""
    findings: dict[int, tuple[str, str]] = {}
    for index, para in enumerate(paras):
        if index in headings:
            continue
        found = finding_heading(para)
        if found is not None:
            findings[index] = found
    return findings


def _labelled_headings(paras: list[Paragraph]) -> dict[int, Heading]:
    """Headings that name their recommendation, the items of range headings, and numbered
    paragraphs a "Recommendation" label introduces."""
    headings: dict[int, Heading] = {}
    index = 0
    while index < len(paras):
        para = paras[index]
        heading = rec_heading(index, para)
        items = _range_items(paras, heading) if heading and heading.members else {}
        if items:  # the range heading is a title over its items, which are the recs
            for item in items.values():
                item.source = "range"
            headings.update(items)
            index = max(items) + 1
            continue
        if heading and (heading.rest[:1] in tuple(",;)") or heading.rest == "."):
            heading = None  # a reference wrapped onto a line of its own: "Recommendation 4), so…"
        if heading:
            heading.source = "labelled"
            headings[index] = heading
            index += 1
            continue
        inline = INLINE_LABEL.match(para.text)
        if inline:  # numbered in order with any other unnumbered ones (`decision.py`)
            headings[index] = Heading(
                index, "", "Recommendation", para.text[inline.end():].strip(),
                para.start + inline.end(), numbered=True, assigned=True, source="labelled",
            )  # fmt: skip
            index += 1
            continue
        if REC_LABEL.match(para.text.strip()):
            found = _numbered_under_label(paras, index)
            if found is not None:
                found.source = "under_label"
                headings[found.index] = found
                index = found.index
        index += 1
    return headings


def _numbered_under_label(paras: list[Paragraph], index: int) -> Heading | None:
    """ "Committee Recommendation" then, within a few short lines, "8.12 We recommend…"."""
    label = paras[index].text.strip()
    for ahead in range(index + 1, min(index + 6, len(paras))):
        found = numbered(ahead, paras[ahead])
        if found:
            if over_label(paras, ahead):
                return None  # a numbered theme over labelled recommendations, not one itself
            found.heading = f"{label} {found.heading}"
            return found
        if len(paras[ahead].text.split()) > 15 or REC_LABEL.match(paras[ahead].text):
            return None
    return None


def over_label(paras: list[Paragraph], index: int) -> bool:
    """Whether the paragraph at `index` is straight above one that opens with a
    recommendation's label: a theme's heading ("2. Funding of forces") over it."""
    return index + 1 < len(paras) and _opens_with_label(paras[index + 1])


def _opens_with_label(para: Paragraph) -> bool:
    """Whether a paragraph opens with a recommendation's label, with or without an id."""
    return bool(INLINE_LABEL.match(para.text) or rec_heading(0, para))


def _range_items(paras: list[Paragraph], heading: Heading) -> dict[int, Heading]:
    """The items under a range heading ("Recommendations 7b-7d" then "7b) …", "7c) …"),
    when each of its ids is labelled in turn: each item is that recommendation."""
    items: dict[int, Heading] = {}
    for ahead, member in enumerate(heading.members, heading.index + 1):
        match = recids.ITEM.match(paras[ahead].text) if ahead < len(paras) else None
        label = match.group("label").lower() if match else ""
        if not match or label not in (member, member.rsplit(".", 1)[-1], member[-1]):
            return {}
        items[ahead] = Heading(
            ahead, member, f"{heading.heading} ({label})", match.group("text").strip(),
            paras[ahead].start + match.start("text"),
        )  # fmt: skip
    return items


def prose_headings(paras: list[Paragraph]) -> dict[int, Heading]:
    """A document that numbers nothing but recommends in prose ("The Ombudsman
    recommended that…", "We recommend that…"): each such paragraph is a recommendation,
    numbered in order and marked as such. Its own text starts at the recommending words."""
    headings: dict[int, Heading] = {}
    for index, para in enumerate(paras):
        match = _PROSE_RECOMMENDATION.search(para.text)
        if match is None or len(para.text.split()) < 8:
            continue
        number = str(len(headings) + 1)
        headings[index] = Heading(
            index, number, f"Recommendation {number} (in prose)", para.text[match.start():],
            para.start + match.start(), numbered=True, assigned=True, source="prose",
        )  # fmt: skip
    return headings


def _section_headings(
    paras: list[Paragraph], known: dict[int, Heading], emphasised: set[int]
) -> dict[int, Heading]:
    """`known` with the recommendations listed under a heading that names them: numbered
    paragraphs take their printed numbers; an unnumbered list of bullets is numbered in
    order and marked as assigned."""
    headings = dict(known)
    unnumbered: list[tuple[str, list[int]]] = []
    for index, para in enumerate(paras):
        title = re.sub(r"\b([A-Z]) (?=[A-Z]{2,})", r"\1", " ".join(para.text.split()))
        if len(title.split()) > 15 or not REC_SECTION.match(title) or _in_contents(paras, index):
            continue
        # "Conclusions and recommendations" is a chapter whose subheadings group the list;
        # under "Areas for improvement" a subheading starts the next part of the report
        chapter = bool(re.search(r"conclusions|summary", title, re.I))
        listed, bullets = _section_list(paras, index, chapter, headings, emphasised)
        name = title.rstrip("?:.")
        marked = [ahead for ahead in listed if ahead in emphasised]
        if chapter and len(marked) >= 3 and len(listed) - len(marked) >= 3:
            # a summary that sets its recommendations apart from its conclusions by type
            # (bold or italic) counts only those, in order: "Recommendation 1" is the
            # first set apart, whatever paragraph number it is printed with
            for number, ahead in enumerate(marked, 1):
                found = listed[ahead]
                headings.setdefault(
                    ahead,
                    Heading(
                        ahead, str(number), f"{name} {found.heading}",
                        found.rest, found.body_start, numbered=True, assigned=True,
                        source="section_marked",
                    ),
                )  # fmt: skip
            continue
        if listed:
            for ahead, found in listed.items():
                found.heading = f"{name} {found.heading}"
                found.source = found.source or "section_numbered"
                headings.setdefault(ahead, found)
        elif bullets:
            unnumbered.append((name, bullets))
    return _number_bullets(paras, headings, unnumbered)


def _in_contents(paras: list[Paragraph], index: int) -> bool:
    """Whether the paragraph at `index` is an entry of a contents page: a "Contents" heading
    shortly before it, and no sentence between (entries do not end with a full stop)."""
    for back in range(index - 1, max(index - _CONTENTS_REACH, 0) - 1, -1):
        text = " ".join(paras[back].text.split())
        if _CONTENTS.match(text):
            return True
        if text.endswith("."):
            return False
    return False


def _section_list(
    paras: list[Paragraph],
    index: int,
    chapter: bool,
    headings: dict[int, Heading],
    emphasised: set[int],
) -> tuple[dict[int, Heading], list[int]]:
    """The list under the section heading at `index`, up to where the narrative resumes:
    its numbered paragraphs by index, and its bullets (or unmarked items after a lead-in)
    when nothing in it is numbered."""
    listed: dict[int, Heading] = {}
    bullets: list[int] = []
    for ahead in range(index + 1, len(paras)):
        text = paras[ahead].text.strip()
        if ahead in headings or (_SECTION_END.match(text) and len(text.split()) <= 12):
            break
        if REC_SECTION.match(" ".join(text.split())):
            break
        found = numbered(ahead, paras[ahead]) or numbered_below_title(ahead, paras[ahead])
        if found is not None and over_label(paras, ahead):
            continue  # a numbered theme over labelled recommendations
        if found is not None and found.rest and listed and _restarts(listed, found):
            break  # numbering that starts again is another list (a list of evidence after)
        if found is not None and found.rest:
            listed[ahead] = found
        elif paras[ahead].bullet and len(text.split()) >= 4:
            if not listed:
                bullets.append(ahead)
        elif not listed and not bullets and text.endswith(":") and not is_subheading(paras[ahead]):
            bullets = _unmarked_items(paras, ahead + 1)
            if bullets:
                break
        elif (
            (listed or bullets)
            and not chapter
            and (
                len(text.split()) > 30
                or (
                    is_subheading(paras[ahead])
                    and not _continues_under(paras, ahead, index, listed, emphasised)
                )
            )
        ):
            break  # the narrative resumes: the list has ended
    return listed, bullets


def _restarts(listed: dict[int, Heading], found: Heading) -> bool:
    """Whether a numbered paragraph goes back to a lower number than the list's last one."""
    last = listed[max(listed)].rec_id
    return last.isdigit() and found.rec_id.isdigit() and int(found.rec_id) < int(last)


def _continues_under(
    paras: list[Paragraph],
    index: int,
    section: int,
    listed: dict[int, Heading],
    emphasised: set[int],
) -> bool:
    """Whether the list goes on past the subheading at `index`. Where the section's heading is
    set in bold or italic, a subheading in the same type is the next part of the report: the
    list goes on only if what follows still instructs; one in plain type groups the list, which
    goes on while its numbering does."""
    if section in emphasised:
        if index in emphasised:
            return _instructs_next(paras, index)
        found = numbered(index + 1, paras[index + 1]) if index + 1 < len(paras) else None
        last = listed[max(listed)].rec_id if listed else None
        if found is not None and last is not None and recids.successor(last) == found.rec_id:
            return True
    return _continues_list(paras, index)


def _instructs_next(paras: list[Paragraph], index: int) -> bool:
    """Whether the numbered paragraph or bullet after a subheading opens with an instruction
    or says what should or must be done (a description that mentions a need does not)."""
    for ahead in range(index + 1, min(index + 4, len(paras))):
        found = numbered(ahead, paras[ahead])
        text = found.rest if found is not None else paras[ahead].text.lstrip("- ")
        if found is not None or paras[ahead].bullet:
            return bool(IMPERATIVE.match(text) or _STRONG_MODAL.search(text[:200]))
        if not is_subheading(paras[ahead]):
            return False
    return False


def _unmarked_items(paras: list[Paragraph], start: int) -> list[int]:
    """The items of a list printed without numbers or bullets after a lead-in ("The
    recommendations include:"): the paragraphs that open as the first one does (each an
    instruction, or each a verb in -ing), up to the first that does not. Two at least."""
    form = _opening_form(paras[start].text) if start < len(paras) else None
    items: list[int] = []
    for ahead in range(start, len(paras)):
        para = paras[ahead]
        if form is None or para.bullet or _opening_form(para.text) != form:
            break
        if len(para.text.split()) < 4:
            break
        items.append(ahead)
    return items if len(items) >= 2 else []


def _opening_form(text: str) -> str | None:
    """How an item of a list opens: with an instruction ("Ensure…") or a verb in -ing
    ("Improving…"); None for anything else."""
    if IMPERATIVE.match(text):
        return "imperative"
    return "gerund" if _GERUND.match(text) else None


def _number_bullets(
    paras: list[Paragraph], headings: dict[int, Heading], unnumbered: list[tuple[str, list[int]]]
) -> dict[int, Heading]:
    """`headings` with the bullets of unnumbered lists, numbered in order after any number
    the document prints, so that no id is taken twice."""
    printed = [int(h.rec_id) for h in headings.values() if h.rec_id.isdigit()]
    assigned = max(printed, default=0)
    for title, bullets in unnumbered:
        for ahead in bullets:
            assigned += 1
            bullet = paras[ahead]
            skip = 2 if bullet.bullet else 0  # the "- " a bullet opens with
            headings.setdefault(
                ahead,
                Heading(
                    ahead, str(assigned), f"{title} ({assigned})",
                    bullet.text[skip:].strip(), bullet.start + skip, numbered=True,
                    assigned=True, source="section_bullet",
                ),
            )  # fmt: skip
    return headings


def _continues_list(paras: list[Paragraph], index: int) -> bool:
    """Whether the numbered paragraph after a subheading still reads as a recommendation."""
    for ahead in range(index + 1, min(index + 4, len(paras))):
        found = numbered(ahead, paras[ahead])
        if found is not None and found.rest:
            return bool(DIRECTIVE.search(found.rest[:200]))
        if paras[ahead].bullet:
            return bool(DIRECTIVE.search(paras[ahead].text[2:200]))
        if not is_subheading(paras[ahead]):
            return False
    return False
