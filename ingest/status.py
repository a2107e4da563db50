"""Status words and dates of an agency's response: what managers track for each commitment."""

from __future__ import annotations

import re

from ingest.metadata import find_dates

# The status words of the register, from done to not done.
STATUSES = ("completed", "in progress", "planned", "accepted", "rejected")

# In priority order: the first that matches names the response's status.
_STATUS_PATTERNS = [
    (
        "rejected",
        r"\b(?:does|do|did) not (?:agree|accept|believe|support)\b|\breject(?:s|ed)?\b"
        r"|\bnot (?:be )?appropriate\b|\bdisagrees?\b",
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
        r"\b(?:agrees?|accepts?|welcomes?|endorses?|supports?) (?:with )?(?:the|this|these)\b",
    ),
]
_COMPILED = [(status, re.compile(pattern, re.IGNORECASE)) for status, pattern in _STATUS_PATTERNS]
_DEADLINE_CUE = re.compile(
    r"\b(?:by|before|no later than|due|deadline|target(?:ed)?(?: for)?|completion (?:by|in)|"
    r"by the end of|aimed for completion by the end of)\s*(?:the\s+)?(?:end\s+of\s+)?$",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"\b(?:by|in|during|until|from|for|of)\s+((?:19|20)\d{2})(?:/(?:\d{2}|\d{4}))?\b"
)
_SEASON = re.compile(r"\b(spring|summer|autumn|winter)\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_SEASON_MONTH = {"spring": "03", "summer": "06", "autumn": "09", "winter": "12"}


_STATUS_LABEL = re.compile(r"\b(?:status|progress|rag)\s*:\s*([a-z -]+)", re.I)
_LABEL_WORDS = {
    "complete": "completed", "completed": "completed", "closed": "completed", "done": "completed",
    "green": "completed", "in progress": "in progress", "ongoing": "in progress",
    "open": "in progress", "on track": "in progress", "amber": "in progress",
    "delayed": "in progress", "not started": "planned", "planned": "planned", "red": "planned",
    "accepted": "accepted", "agreed": "accepted", "rejected": "rejected",
    "not accepted": "rejected",
}  # fmt: skip


def status_of(text: str) -> str | None:
    text = " ".join(text.split())  # hard-wrapped text: "has been\nconfirmed"
    label = _STATUS_LABEL.search(text)
    if label:  # an action plan's own status column
        words = label.group(1).strip().lower()
        for key in sorted(_LABEL_WORDS, key=len, reverse=True):
            if words.startswith(key):
                return _LABEL_WORDS[key]
    for status, pattern in _COMPILED:
        if pattern.search(text):
            return status
    return None


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
