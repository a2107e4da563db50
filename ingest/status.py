"""Status words and dates of an agency's response: what managers track for each commitment."""

from __future__ import annotations

import re

from review_assistant.ingest.metadata import find_dates

# The status words of the register: what was done, then how a recommendation was received.
STATUSES = (
    "completed", "in progress", "at risk", "planned", "accepted", "accepted in part",
    "accepted in principle", "under consideration", "noted", "rejected",
)  # fmt: skip

# How a tracker counts a status: done, under way, still to do, or no word on it.
PROGRESS = ("completed", "in progress", "planned", "not stated")
_PROGRESS_OF = {
    "completed": "completed", "in progress": "in progress", "at risk": "in progress",
    "planned": "planned", "accepted": "planned", "accepted in part": "planned",
    "accepted in principle": "planned",
}  # fmt: skip


def progress(status: str | None) -> str:
    """The tracker column a status falls in; a response with no status word is "not stated",
    as are one only noted, under consideration or rejected (nothing will be done yet)."""
    return _PROGRESS_OF.get(status or "", "not stated")


def overall_progress(statuses: list[str]) -> str:
    """A recommendation's column: the least advanced of the status words its responses give
    (it is completed only when every part is); with none, "not stated"."""
    columns = [progress(s) for s in statuses] or ["not stated"]
    order = ("not stated", "planned", "in progress", "completed")
    return min(columns, key=order.index)


# In priority order: the first that matches names the response's status. A government or
# partnership answer often opens with how it received the recommendation ("Accepted in part",
# "The Government notes…"); that verdict outranks the tense of what follows.
_STATUS_PATTERNS = [
    (
        "rejected",
        r"\b(?:does|do|did) not (?:agree|accept|believe|support)\b|\breject(?:s|ed)?\b"
        r"|\bnot (?:be )?appropriate\b|\bdisagrees?\b|\bnot accepted\b",
    ),
    (
        "accepted in part",
        r"\b(?:accept(?:s|ed)?|agree(?:s|d)?)\b[^.]{0,60}\b(?:in part|partially)\b"
        r"|\bpartially (?:accept(?:s|ed)?|agree(?:s|d)?)\b",
    ),
    ("accepted in principle", r"\b(?:accept(?:s|ed)?|agree(?:s|d)?)\b[^.]{0,60}\bin principle\b"),
    ("accepted", r"\b(?:accept(?:s|ed)?|agree(?:s|d)?)\b[^.]{0,60}\bin full\b"),
    (
        "under consideration",
        r"\bunder (?:consideration|review)\b|\b(?:will|to) consider\b"
        r"|\bconsidering (?:this|the) recommendation\b",
    ),
    ("noted", r"^(?:the \w+ )?(?:government |partnership |board )?notes?\b|^noted\b"),
    # What an agency says is still to do outranks what it has done: "training has been
    # updated … communications remain to be completed" is under way, and "has developed a
    # business case to be submitted" has not yet delivered what was committed.
    ("in progress", r"\b(?:remains?|remaining|yet|still) to be (?:\w+ed|done)\b"),
    (
        "planned",
        r"\bto be (?:submitted|approved|ratified|agreed|signed off|commissioned|published|"
        r"finalised|finalized)\b",
    ),
    (
        "completed",
        r"\b(?:has|have|had) (?:now )?(?:been )?(?:all )?(?:completed|implemented|established|"
        r"introduced|developed|updated|revised|strengthened|launched|delivered|undertaken|"
        r"carried out|actioned|produced|appointed|confirmed|commissioned|reviewed|created)\b"
        r"|\bwere implemented\b|\b(?:is|are) (?:now )?in place\b"
        r"|\bnow in (?:place|operation|position)\b"
        r"|\(\s*completed\b|\bcompleted (?:in |on )?(?:\w+ )?(?:19|20)\d{2}\b",
    ),
    (
        "in progress",
        r"\b(?:is|are) (?:being|currently)\b|\bunderway\b|\bongoing\b|\bin the process of\b"
        r"|\bcontinu(?:e|es|ing) to\b|\bwork is\b|\bprogress(?:ing)?\b",
    ),
    (
        "planned",
        r"\bwill\b|\bplan(?:s|ned)? to\b|\bplanned\b|\bscheduled\b|\bintends? to\b|\bdue to be\b"
        r"|\bto be (?:completed|delivered|launched|reviewed)\b",
    ),
    (
        "accepted",
        r"\b(?:agrees?|accepts?|welcomes?|endorses?|supports?) (?:with )?(?:the|this|these)\b"
        r"|^accepted\b|\baccepted in full\b|\bfully accept(?:s|ed)?\b",
    ),
]
_COMPILED = [
    (status, re.compile(pattern, re.IGNORECASE | re.MULTILINE))
    for status, pattern in _STATUS_PATTERNS
]
_DEADLINE_CUE = re.compile(
    r"\b(?:by|before|no later than|due|deadline|target(?:ed)?(?: for)?|completion (?:by|in)|"
    r"by the end of|aimed for completion by the end of"
    # an action plan's or a requirements table's column: "Due date: 31 March 2025"
    r"|(?:(?:due|target|completion|deadline|end)\s+date|timescales?|by when|deadline)\s*:)"
    r"\s*(?:the\s+)?(?:end\s+of\s+)?$",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"\b(?:by|in|during|until|from|for|of)\s+((?:19|20)\d{2})(?:/(?:\d{2}|\d{4}))?\b"
)
_SEASON = re.compile(r"\b(spring|summer|autumn|winter)\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_SEASON_MONTH = {"spring": "03", "summer": "06", "autumn": "09", "winter": "12"}


# A response that opens with its verdict as a label or a sentence of its own
_VERDICT = re.compile(
    r"^(?:government |partnership |board )?(?:response\s*[:–—-]\s*)?"
    r"((?:not |partially |fully )?(?:accepted|agreed|rejected|noted)"
    r"(?: in (?:full|part|principle))?)"
    r"\s*(?:[.:;–—-]|$)",
    re.I,
)
_STATUS_LABEL = re.compile(
    r"\b(?:status|progress|rag(?: rating| status)?|rating)\s*:\s*([a-z -]+)", re.I
)
_LABEL_WORDS = {
    "complete": "completed", "completed": "completed", "closed": "completed", "done": "completed",
    "green": "completed", "in progress": "in progress", "ongoing": "in progress",
    "open": "in progress", "on track": "in progress", "amber": "in progress",
    "delayed": "at risk", "not started": "planned", "planned": "planned", "red": "at risk",
    "off track": "at risk", "at risk": "at risk", "accepted in part": "accepted in part",
    "partially accepted": "accepted in part", "accepted in principle": "accepted in principle",
    "accepted": "accepted", "agreed": "accepted", "rejected": "rejected",
    "not accepted": "rejected", "noted": "noted", "under consideration": "under consideration",
}  # fmt: skip


def _label_status(words: str) -> str | None:
    """A status written as a label or verdict ("Complete", "RAG: amber", "Agreed in part")."""
    words = " ".join(words.lower().split())
    words = re.sub(r"\bagreed\b", "accepted", words)
    words = re.sub(r"^(?:fully accepted|accepted in full)\b", "accepted", words)
    words = re.sub(r"^partially accepted\b", "accepted in part", words)
    for key in sorted(_LABEL_WORDS, key=len, reverse=True):
        if words.startswith(key):
            return _LABEL_WORDS[key]
    return None


def verdict(text: str) -> str | None:
    """The status a summary table's cell states on its own ("Accepted in part", "Not
    accepted", "Complete", "Accepted in full by the UK Government"): None for anything longer
    or worded otherwise, such as a recommendation's own text."""
    words = " ".join(text.split()).lstrip("-–—:|* ")
    if not words or len(words.split()) > 30 or re.search(r"\b(?:should|must)\b", words, re.I):
        return None
    found = _label_status(words)
    if found is None:
        # a table's cells under their columns' headers, one a line: "- UK Government: Accepted"
        # (the lines may come joined: "- UK Government: Accepted - Welsh Government: Noted")
        cells = [cell.strip().lstrip("-–—|* ") for cell in _CELL_BREAK.split(text.strip())]
        verdicts = [_label_status(_CELL_LABEL.sub("", cell)) for cell in cells if cell]
        if verdicts and all(verdicts):
            found = verdicts[0]
    return found


# A table cell's column header before its value: "Welsh Government: "; where cells part
_CELL_LABEL = re.compile(r"^[^:.;]{1,60}:\s*")
_CELL_BREAK = re.compile(r"\s*\n\s*|\s+[-–—•]\s+")


def status_of(text: str) -> str | None:
    text = " ".join(text.split())  # hard-wrapped text: "has been\nconfirmed"
    # a labelled answer ("Welsh Government: Noted.") gives its verdict after the label
    unlabelled = re.sub(r"^[^:.;]{1,60}:\s*", "", text)
    label = _STATUS_LABEL.search(text) or _VERDICT.match(text) or _VERDICT.match(unlabelled)
    if label:  # an action plan's status column, or a response opening with its verdict
        found = _label_status(label.group(1))
        if found:
            return found
    # a verdict the answer opens with outranks the tense of what follows ("The government
    # accepts this recommendation. Work is under way…")
    opening = _FIRST_SENTENCE.match(unlabelled)
    if opening:
        for status, pattern in _COMPILED:
            if status in _VERDICT_STATUSES and pattern.search(opening.group(0)):
                return status
    for status, pattern in _COMPILED:
        if pattern.search(text):
            return status
    return None


_FIRST_SENTENCE = re.compile(r"[^.!?]{3,300}[.!?]")
_VERDICT_STATUSES = {
    "rejected", "accepted in part", "accepted in principle", "accepted", "under consideration",
    "noted",
}  # fmt: skip


def dates_and_deadline(text: str) -> tuple[list[str], str | None]:
    """Every date a response mentions, and the first one it gives as a deadline."""
    found = list(find_dates(text))
    taken = {offset for offset, _ in found}
    for match in _SEASON.finditer(text):
        found.append((match.start(), f"{match.group(2)}-{_SEASON_MONTH[match.group(1).lower()]}"))
        taken.add(match.start())
    for match in _YEAR.finditer(text):
        if not any(abs(match.start(1) - t) < 12 for t in taken):
            found.append((match.start(1), match.group(1)))
    found.sort()
    deadline = next(
        (
            value
            for offset, value in found
            if _DEADLINE_CUE.search(text[max(0, offset - 40) : offset])
        ),
        None,
    )
    return list(dict.fromkeys(value for _, value in found)), deadline
