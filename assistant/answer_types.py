"""The kind of answer a question asks for, and whether a sentence gives one.

"When do care leavers get a personal adviser?" is answered by a sentence that says when ("as
a young person approaches their 18th birthday"), not by the best sentence on personal advisers;
"how many…" by one with a number. A sentence of the right kind ranks higher; it is never
required, since a document can say when in words no pattern knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from review_assistant.ingest.metadata import find_dates

# "when…", "by when…", "how soon/late/long/often…", "at what age…", and after a topic ("NE
# Lincs referrals - how fast?")
_ASKS_TIME = re.compile(
    r"(?:^|[-–—:;,]\s*)(?:when\b|by when\b|how (?:soon|late|early|long|quickly|fast|often)\b"
    r"|(?:at )?what age\b|how old\b|what (?:timescales?|deadline)\b)",
    re.I,
)
_TIME = re.compile(
    r"\b\d+(?:\s*(?:-|–|to)\s*\d+)?\s*(?:working\s+)?(?:hours?|days?|weeks?|months?|years?)\b"
    r"|\b\d+(?:st|nd|rd|th)\s+birthday\b|\bbirthday\b|\baged?\s+\d+|\bunder\s+\d+\b"
    r"|\b(?:within|before|until|no later than|at the latest)\b"
    r"|\b(?:annually|yearly|monthly|weekly|daily|fortnightly)\b"
    r"|\b(?:every|each)\s+(?:year|month|week|day|quarter)\b",
    re.I,
)
_ASKS_NUMBER = re.compile(r"\bhow many\b|\bwhat (?:number|proportion|percentage)\b", re.I)
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|%|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|hundred|half|third|quarter|all|none|most|few|several)\b",
    re.I,
)


# "who does viability assessments now?", "which team runs the triage?"
_ASKS_ACTOR = re.compile(
    r"(?:^|[-–—:;,]\s*)(?:who\b(?!\s+(?:is|are)\s+(?:at\s+risk|affected|harmed))"
    r"|which\s+(?:agency|agencies|team|teams|service|services|body|bodies|organisations?)\b)",
    re.I,
)
# a sentence naming who does something: "undertaken by the fostering service", "X leads"
_ACTOR = re.compile(
    r"\b(?:undertaken|carried\s+out|completed|led|chaired|run|delivered|done|conducted"
    r"|provided|managed|overseen|owned|coordinated|co-ordinated|held|made)\s+by\s+\S"
    r"|\bresponsib(?:le|ility)\b|\b(?:leads?|chairs?|runs?)\s+(?:the|on|a|this)\b",
    re.I,
)


def asks_actor(question: str) -> bool:
    return bool(_ASKS_ACTOR.search(question))


def gives_actor(sentence: str) -> bool:
    return bool(_ACTOR.search(sentence))


def asks_time(question: str) -> bool:
    return bool(_ASKS_TIME.search(question))


def gives_time(sentence: str) -> bool:
    return bool(_TIME.search(sentence) or find_dates(sentence))


def asks_number(question: str) -> bool:
    return bool(_ASKS_NUMBER.search(question))


def gives_number(sentence: str) -> bool:
    return bool(_NUMBER.search(sentence))


def asked(question: str) -> Callable[[str], bool] | None:
    """The test a sentence of the kind of answer the question asks for passes (a time, a
    number, who); None when it asks for no particular kind. Read once per question."""
    if asks_time(question):
        return gives_time
    if asks_number(question):
        return gives_number
    if asks_actor(question):
        return gives_actor
    return None


def fits(question: str, sentence: str) -> bool | None:
    """Whether a sentence gives the kind of answer the question asks for; None when the
    question asks for no particular kind."""
    gives = asked(question)
    return gives(sentence) if gives is not None else None
