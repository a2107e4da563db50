"""Document-level facts from the text alone: title, review name, partnership, type, dates."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from review_assistant.ingest.types import DocType

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_NUMBER = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DATE_PATTERNS = [
    re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})\b"),
    re.compile(
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mn>" + _MONTHS + r")\.?\s+(?P<y>(?:19|20)\d{2})\b",
        re.I,
    ),
    re.compile(r"\b(?P<mn>" + _MONTHS + r")\.?\s+(?P<y>(?:19|20)\d{2})\b", re.I),
]
_PARTNERSHIP = re.compile(
    r"((?:[A-Z][\w'’&-]+\s+){1,4}(?:Local\s+)?Safeguarding\s+Children(?:'s|’s)?\s+"
    r"(?:Partnership|Board)|(?:[A-Z][\w'’&-]+\s+){1,3}Children(?:'s|’s)?\s+Safeguarding\s+"
    r"(?:Partnership|Board))"
)
_DEPARTMENT = re.compile(
    r"\b(Department[ ]+(?:for|of)[ ]+[A-Z][\w]*(?:(?:,[ ]*|[ ]+and[ ]+|[ ]+)[A-Z][\w]*)*)"
)
_BOILERPLATE_TITLE = re.compile(
    r"^(?:issue\s*-\s*meetings|contents|cp\s*\d+|crown copyright|©.*|\d+)$", re.I
)
# A publisher's lines above a report's subject: the House, the committee, the session, the paper
_PUBLISHER_LINE = re.compile(
    r"^(?:house of (?:lords|commons)"
    r"|(?:the )?[\w’' ]{0,60}\bcommittee(?: (?:on|for) [\w ,’'-]{1,60})?"
    r"|(?:(?:\d+(?:st|nd|rd|th)|[a-z]+) )?(?:special )?"
    r"report of session\b.*|(?:hl|hc) paper\b.*|(?:hl|hc) \d+(?:-[ivx]+)?|report|session \d{4}.*"
    r"|ordered to be printed\b.*"
    r"|published by\b.*|.*\bstationery office\b.*|.*£.*)$",
    re.I,
)
# How a review names the child or the family it is about, anonymised: "Child T", "Baby R",
# "Family W", "Young Person A", "Siblings B". A question names them the same way.
ANONYMISED_NAME = r"(?:Child|Baby|Family|Young Person|Children|Siblings?)\s+[A-Z]{1,3}\b"
# ... or by a given name: "Arthur"
_CHILD_NAME = r"(?:" + ANONYMISED_NAME + r"|[A-Z][a-z]{2,})"
_REVIEW_WORDS = (
    r"(?:Serious\s+Case\s+Review|Child\s+Safeguarding\s+Practice\s+Review|Safeguarding\s+Practice\s+"
    r"Review|Local\s+Child\s+Safeguarding\s+Practice\s+Review|Learning\s+Review|Case\s+Review|"
    r"Domestic\s+Homicide\s+Review|SCR|CSPR|LCSPR)"
)
_REVIEW_RULES = [
    re.compile(r"(Thematic\s+Review\s*[–—:-]\s*[^\n]+)"),
    re.compile(
        _REVIEW_WORDS
        + r"\s+(?:of|into|for|concerning|regarding)\s+(?:the\s+)?("
        + _CHILD_NAME
        + r")"
    ),
    re.compile(_REVIEW_WORDS + r"\s*[–—:-]\s*(" + _CHILD_NAME + r")\b"),
    re.compile(r"^(" + _CHILD_NAME + r")\s+" + _REVIEW_WORDS, re.M),
    re.compile(r"Response\s*[–—:-]\s*(" + _CHILD_NAME + r")\s*$", re.M),
]
_KNOWN_AS = re.compile(
    r"\b(?:is|was|are|were|be)\s+(?:known|referred\s+to)\s+as\s+[‘'\"“]?(" + _CHILD_NAME + r")"
)
_REPORT_TITLE = [
    re.compile(r"[Rr]eport[:,]?\s*[‘'\"“]([^’'\"”]{4,120})[’'\"”]"),
    re.compile(r"[Rr]eport\s+(?:on|into)\s+((?:[A-Z][\w-]*\s*){1,8})"),
    re.compile(r"[Ii]nquiry\s+(?:on|into)\s+((?:[A-Z][\w-]*\s*){1,8})"),
]
_STOP_NAMES = {
    "The",
    "This",
    "Recommendation",
    "Finding",
    "Response",
    "Report",
    "Review",
    "Learning",
    "Improvement",
    "Executive",
    "Summary",
    "Action",
    "Overview",
    "Partnership",
    "Panel",
    "Briefing",
    "Update",
    "Progress",
    "Key",
    "Final",
    "Draft",
    "Independent",
}


@dataclass
class DocumentFacts:
    title: str
    review: str
    partnership: str | None
    doc_type: DocType
    date: str | None
    dates: list[str] = field(default_factory=list)


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower().replace("’", "").replace("'", "")).strip("-")


# A letter's salutation: its subject line comes next ("Dear Ms Smith," then "Visit to …")
_SALUTATION = re.compile(r"^dear [^\n]{1,60}$", re.I | re.M)
# A title line that goes on in the next paragraph ("Modules 2, 2A:", "Core decision-making and")
_CONTINUED = re.compile(r"(?::|\b(?:and|of|for|on|in|the|to|with|&))$", re.I)


def _title(text: str) -> str:
    head = text[:3000]
    salutation = _SALUTATION.search(head[:1500])  # a letter's, not a foreword's further on
    if salutation:  # a letter: what comes before its salutation is the address block
        subject = head[salutation.end() :].strip().split("\n\n", 1)[0]
        subject = " ".join(subject.split())
        if subject and len(subject.split()) <= 20 and not subject.endswith("."):
            return subject[:300]
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", head):
        para = " ".join(line.strip() for line in paragraph.strip().split("\n") if line.strip())
        if lines and re.match(r"(?i)contents\b", para):
            break  # the title pages are over
        if not para or _BOILERPLATE_TITLE.match(para) or _PUBLISHER_LINE.match(para):
            continue
        first_line = paragraph.strip().split("\n", 1)[0].strip()
        if len(para.split()) > 30:
            # A heading glued to the body that follows it: keep the heading line only.
            if len(first_line.split()) <= 15 and not first_line.endswith((".", ",")) and not lines:
                lines.append(first_line)
            break
        if para.endswith(".") and lines:
            break
        if lines and _CONTINUED.search(lines[-1]):
            lines[-1] += " " + para  # one title line set over two
        elif para not in lines:
            lines.append(para)
        if len(" ".join(lines).split()) > 20:
            break
        if len(lines) == 2 and not _CONTINUED.search(lines[-1]):
            break
    title = re.sub(r": — ", ": ", " — ".join(lines)) if lines else text.strip().split("\n", 1)[0]
    return re.sub(r"\s+", " ", title).strip()[:300]


# What a regulator's report or letter is, and whom it is about: "Inspection of Northshire local
# authority children's services", "Westshire County Council — Inspection of services for children
# in need of help …", "Focused visit to Eastshire children's services"
_VISIT = re.compile(
    r"\b(?P<kind>(?:joint targeted area |focused |monitoring )?inspection|(?:focused |monitoring )?"
    r"visit)\s+(?:of|to)\s+(?P<who>.+)$",
    re.I,
)
_CHILDRENS_SERVICES = re.compile(
    r"\bchildren(?P<apostrophe>['’])s\s+services\b|^(?:the\s+)?services\s+for\s+children\b.*", re.I
)
_AUTHORITY = re.compile(
    r"\s*(?:(?:metropolitan\s+)?(?:royal\s+)?(?:borough|county|city|district)\s+)?council\b"
    r"|\s*local\s+authority\b",
    re.I,
)
# A committee's or a response's trailer: "— Second Report of Session 2024–25 HC 381",
# ": Government Response"
_TRAILER = re.compile(
    r"\s*(?:[—–:]\s*(?:(?:the\s+)?(?:uk\s+|hm\s+)?government(?:['’]s)?\s+response\b"
    r"|(?:\w+\s+)?(?:special\s+)?report\s+of\s+session\b)|—\s*(?:uk\s+|hm\s+)?government$).*$",
    re.I,
)
# "UK Government Response to the Northshire Inquiry Phase 2 Report"
_RESPONSE_TO = re.compile(
    r"^(?:(?:the|uk|hm)\s+)?government(?:['’]s)?\s+response\s+to\s+(?:the\s+)?(?P<subject>.+?)"
    r"(?:['’]s)?(?:\s+(?:final\s+)?report)?(?:\s+(?:and\s+)?recommendations)?$",
    re.I,
)


def _subject_name(title: str) -> str | None:
    """A short name from a title that names its subject: the place and the genre of a
    regulator's report ("Northshire children's services inspection"), what a government
    response answers, a report's title without its session line."""
    visit = _VISIT.search(title)
    if visit:
        kind = " ".join(visit.group("kind").lower().split())
        before = title[: visit.start()].strip(" —–:,")
        who = re.sub(r"\s+[—–]\s+", " ", visit.group("who")).strip(" .,:;")
        services = _CHILDRENS_SERVICES.search(who)
        if services:
            apostrophe = services.group("apostrophe") or "'"
            place = who[: services.start()].strip() or before
            topic = f"children{apostrophe}s services"
        else:
            place, topic = before, re.sub(r"^the\s+", "", who, flags=re.I)
        place = _AUTHORITY.sub("", place).strip(" —–:,")
        place = re.sub(r"^the\s+", "", place, flags=re.I)
        name = " ".join(w for w in (place, topic, kind) if w)
        if (place or topic) and len(name.split()) <= 10:
            return name
    trimmed = _TRAILER.sub("", title).strip()
    response = _RESPONSE_TO.match(trimmed)
    if response:
        return response.group("subject").strip(" .,:;‘’'\"“”")
    if trimmed != title and trimmed:
        return trimmed
    return None


def _review_name(title: str, head: str) -> str:
    for rule in _REVIEW_RULES:
        for source in (title, head):
            match = rule.search(source)
            if match and match.group(1).split()[0] not in _STOP_NAMES:
                return re.sub(r"\s+", " ", match.group(1)).strip(" .,:;")
    known = _KNOWN_AS.search(head)
    if known:
        return known.group(1)
    for rule in _REPORT_TITLE:
        for source in (title, head):
            match = rule.search(source)
            if match:
                return re.sub(r"\s+", " ", match.group(1)).strip(" .,:;’'")
    return _subject_name(title) or title


def _partnership(title: str, text: str) -> str | None:
    in_title = _PARTNERSHIP.search(title)
    if in_title:
        return re.sub(r"\s+", " ", in_title.group(1))
    found = Counter(re.sub(r"\s+", " ", m.group(1)) for m in _PARTNERSHIP.finditer(text))
    if found:
        return found.most_common(1)[0][0]
    # A government response names its department on the title pages, if anywhere.
    department = _DEPARTMENT.search(text[:1500])
    if department:
        return re.sub(r"\s+", " ", department.group(1)).strip(" ,")
    if re.search(r"\bgovernment\b", title, re.I):
        return "HM Government"
    return None


def _doc_type(title: str, head: str) -> DocType:
    lowered_title = title.lower()
    lowered = head.lower()
    # a meeting's record labels its parts ("Minutes:", "Apologies"); a report only mentions its
    # committee's "formal minutes" (in its publication note and contents)
    if re.search(r"\bminutes\b", lowered_title) or re.search(
        r"\bminutes:|\bmeeting:|\bpanel noted\b|\bapologies\b|\bagenda item\b", lowered
    ):
        return DocType.minutes
    if "government response" in lowered_title or "government response to" in lowered[:1500]:
        return DocType.government_response
    if re.search(r"\baction plan\b", lowered_title):
        return DocType.action_plan
    if re.search(
        r"learning\s*(?:&|and)\s*improvement|learning report|improvement report", lowered_title
    ):
        return DocType.learning_report
    if re.search(r"\breport of session\b", lowered[:4000]):
        return DocType.review_report  # a committee's report, whatever response it is about
    if re.search(r"\bresponse\b", lowered_title) or re.search(
        r"provides? the responses?|partnership response|response to the recommendations", lowered
    ):
        return DocType.partnership_response
    if re.search(r"\binspection (?:of|date)", lowered[:1500]):
        return DocType.inspection
    if re.search(r"\breport\b", lowered_title) or re.search(
        r"\breport of session\b|^summary of (?:conclusions and )?recommendations\b",
        lowered[:4000],
        re.M,
    ):
        return DocType.review_report
    return DocType.other


def find_dates(text: str) -> list[tuple[int, str]]:
    """(offset, ISO date or year-month) for every date the text mentions."""
    found: dict[int, str] = {}
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(abs(match.start() - s) < 12 for s in found):
                continue
            groups = match.groupdict()
            month = int(groups["m"]) if groups.get("m") else _MONTH_NUMBER[groups["mn"].lower()]
            if not 1 <= month <= 12:
                continue
            year = int(groups["y"])
            if groups.get("d"):
                day = int(groups["d"])
                if not 1 <= day <= 31:
                    continue
                found[match.start()] = f"{year:04d}-{month:02d}-{day:02d}"
            else:
                found[match.start()] = f"{year:04d}-{month:02d}"
    return sorted(found.items())


def document_facts(text: str) -> DocumentFacts:
    title = _title(text)
    head = text[:4000]
    doc_type = _doc_type(title, head)
    dates = find_dates(text)
    # A document is dated where it says so, on its opening; later dates are often deadlines
    # ("by March 2027") or history, so the latest date mentioned is no guide.
    first_page = [value for offset, value in dates if offset < 1500]
    date = first_page[0] if first_page else None
    return DocumentFacts(
        title=title,
        review=_review_name(title, head),
        partnership=_partnership(title, text),
        doc_type=doc_type,
        date=date,
        dates=sorted({value for _, value in dates}),
    )
