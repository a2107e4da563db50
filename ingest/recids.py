"""Recommendation ids: how documents and people write them, and how they relate.

Reviews number recommendations as `3`, `3b`, `8.12`, `4a) ii.` or in words (`Recommendation
Three`); people ask for `rec 3b`, `recommendation no. 2(c)` or `1`. Lists label their sub-parts
`(a)` or `iv)`. Every reading, normalising and comparing of ids goes through this module.
"""

from __future__ import annotations

import re

WORD_NUMBERS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}  # fmt: skip
WORDS = "|".join(WORD_NUMBERS)

# A printed id: a number, dotted numbers, an optional letter and an optional roman sub-part
# ("4a) iii)", "4a(iv)").
ID = r"\d{1,3}(?:\.\d{1,3})*(?:\s?[a-z](?![a-z]))?(?:(?:\)\s*|\()[ivx]{1,4}[.)])?"
# The second end of a range of ids: a whole id, a letter or a roman sub-part ("7b-7e", "7b-e",
# "4a(iv)-(v)"), after a dash, "to", "and" or "&".
RANGE_END = r"\s*(?:[-–—]|\bto\b|\band\b|&)\s*(?P<last>" + ID + r"|\(?[ivx]{1,4}\)|[a-z]\b)"
# An id as a list labels its items or a table cell holds it: "3", "8.12", "2b"
LABEL = r"\d{1,3}(?:\.\d{1,3})*[a-z]?"
# An id alone in a table cell or a command argument: "3", "8.12", "2b", "4."
BARE = re.compile(rf"^{LABEL}\.?$", re.I)
# An id as people ask for it in a question: "rec 3b", "recommendation no. 2(c)", "recs #4".
REFERENCE = re.compile(
    r"\brec(?:ommendation)?s?\.?\s*(?:no\.?\s*|number\s*|#\s*)?"
    r"(\d{1,3}(?:\.\d{1,3})*(?:\s?[a-z](?![a-z]))?)(?:\s*\(([a-z])\))?",
    re.I,
)
# An id asked for without the word "recommendation", after a review's name: "Hartley 2b",
# "NAI 5(c)". Only a lettered one: a bare number is as often a count or a year.
_BARE_PART = re.compile(r"(?<![\w£$€.,/-])(\d{1,3})(?:([a-g])|\(([a-g])\))(?![\w(]|\.\w)", re.I)
# A bare dotted id in a question ("behaviour change 8.32 - …"): chapter and number, not an
# amount, a measure or a time of day
_BARE_DOTTED = re.compile(
    r"(?<![\w£$€.,/:-])(\d{1,2}\.\d{1,2})(?![\w.%:]|\s*(?:million|billion|per\s*cent|[ap]\.?m\b"
    r"|hours?|days?|weeks?|months?|years?|miles?|km|kg|percent))",
    re.I,
)
# An id as a command argument: "3b", "rec3b", "recommendation 8.12"
_ARGUMENT = re.compile(rf"^(?:rec(?:ommendation)?\s*)?({LABEL})$", re.I)
# A paragraph numbered with its id: "8.12 We recommend…", "3. The board should…", "8.23.It…"
NUMBERED = re.compile(
    r"^(?P<id>\d{1,3}(?:\.\d{1,3})+|\d{1,3})(?:\.(?=[A-Z])|[.)]?(?=\s|$))"
    r"(?:(?:[ \t]*|[ \t]*\n)(?P<rest>[A-Z(‘'\"“].*))?$",
    re.S,
)
# A lettered or roman sub-part of a recommendation as a list labels it: "(a)", "b)", "(iv)"
SUBPART_LABEL = r"[a-h]|[ivx]{1,4}"
_SUBPART_OPENS = rf"^(?:- )?\(?(?P<label>{SUBPART_LABEL})\)"
# A sub-part with its words: "(a) Schools should…", "- iv) Each administration…"
SUBPART = re.compile(_SUBPART_OPENS + r"[ \t]+(?P<text>.+)", re.S)
# A paragraph that opens with a sub-part's label, then a space or a line break
SUBPART_OPENING = re.compile(_SUBPART_OPENS + r"\s")
# An item of a range heading's list, labelled by its id or by the id's last part:
# "7b) Schools should…", "(iv) Each administration should…"
ITEM = re.compile(
    rf"^(?:- )?\(?(?P<label>{LABEL}|[a-z]|[ivx]{{1,4}})[.)][ \t]+(?P<text>\S.*)",
    re.S,
)


def normalise(raw: str) -> str:
    """'1 a' -> '1a', '4a) i.' -> '4a.i', '8.33.' -> '8.33', 'Three' -> '3'."""
    raw = raw.strip().lower()
    if raw in WORD_NUMBERS:
        return WORD_NUMBERS[raw]
    roman = re.search(r"(?:\)\s*|\()([ivx]{1,4})[.)]$", raw)
    main = re.sub(r"\s+", "", re.split(r"[()]", raw)[0]).rstrip(".")
    return f"{main}.{roman.group(1)}" if roman else main


def in_text(text: str) -> str | None:
    """The normalised id a question refers to ("what about rec 3b?" -> '3b'), if any."""
    match = REFERENCE.search(text)
    if match:
        return normalise(match.group(1) + (match.group(2) or ""))
    bare = _BARE_PART.search(text)
    if bare:
        return normalise(bare.group(1) + (bare.group(2) or bare.group(3)))
    dotted = _BARE_DOTTED.search(text)
    return normalise(dotted.group(1)) if dotted else None


def referenced(text: str) -> set[str]:
    """Every normalised id a text names as "Recommendation N" (or "rec N")."""
    return {normalise(m.group(1) + (m.group(2) or "")) for m in REFERENCE.finditer(text)}


def argument(word: str) -> str | None:
    """A command argument read as an id ('3b', 'rec3b'), or None."""
    match = _ARGUMENT.match(word.strip())
    return normalise(match.group(1)) if match else None


def is_part_of(part: str, whole: str) -> bool:
    """Whether `part` is a lettered or roman part of `whole`: '1a' of '1', '2bc' of '2',
    '4a.iv' of '4a' and of '4'."""
    rest = part[len(whole) :]
    return part.startswith(whole) and bool(re.fullmatch(r"(?=.)[a-z]*(?:\.[ivx]{1,4})?", rest))


def related(first: str, second: str) -> bool:
    """The same recommendation, or one a lettered part of the other: a note on '1' concerns
    '1a' and '1b'; a question about '2b' is answered by a review that numbers only '2'."""
    return first == second or is_part_of(first, second) or is_part_of(second, first)


def successor(rec_id: str) -> str | None:
    """The next id in the same series: '8.32' -> '8.33', '3' -> '4'."""
    match = re.fullmatch(r"(.*?)(\d+)", rec_id)
    return f"{match.group(1)}{int(match.group(2)) + 1}" if match else None


def printed_next(first: str, second: str) -> bool:
    """Whether `second` is an id printed next after `first`: 3 -> 4, 1a -> 1b, 1b -> 2a or 2."""
    if successor(first) == second:
        return True
    match = re.fullmatch(r"(\d+)([a-z])", first)
    if match is None:
        return False
    number, letter = int(match.group(1)), match.group(2)
    return second in (f"{number}{chr(ord(letter) + 1)}", f"{number + 1}a", str(number + 1))


def same_series(first: str, second: str) -> bool:
    """Whether `second` continues `first` in a numbered list: 8.3 -> 8.4, 2 -> 3."""
    a, b = first.split("."), second.split(".")
    if len(a) != len(b) or a[:-1] != b[:-1]:
        return False
    try:
        step = int(b[-1]) - int(a[-1])
    except ValueError:
        return False
    # dotted numbers may skip (8.3 then 8.5 under one label); a plain list counts up by one
    return step > 0 if len(a) > 1 else step == 1


_ROMAN = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
}  # fmt: skip
_ROMAN_OF = {value: key for key, value in _ROMAN.items()}


def expand(first: str, last: str, limit: int = 26) -> list[str]:
    """Every id a printed range names, both ends included: ('7b', '7e') -> 7b 7c 7d 7e,
    ('7b', 'e') likewise, ('4a.iv', '(v)') -> 4a.iv 4a.v, ('3', '5') -> 3 4 5, ('8.3', '8.5').
    An end that does not continue `first` gives just the two ids; [first] when it is no id."""
    first = normalise(first)
    raw_last = last.strip().strip("()").lower()
    roman = re.fullmatch(r"(.*)\.([ivx]{1,4})", first)
    if roman and raw_last in _ROMAN:
        stem, low, high = roman.group(1), _ROMAN.get(roman.group(2), 0), _ROMAN[raw_last]
        if 0 < low < high <= 10:
            return [f"{stem}.{_ROMAN_OF[n]}" for n in range(low, high + 1)]
    lettered = re.fullmatch(r"(\d{1,3}(?:\.\d{1,3})*)([a-z])", first)
    if lettered and re.fullmatch(r"(?:" + re.escape(lettered.group(1)) + r")?[a-z]", raw_last):
        low, high = ord(lettered.group(2)), ord(raw_last[-1])
        if low < high and high - low < limit:
            return [f"{lettered.group(1)}{chr(n)}" for n in range(low, high + 1)]
    last = normalise(last)
    numbered = re.fullmatch(r"(.*?)(\d+)", first), re.fullmatch(r"(.*?)(\d+)", last)
    if all(numbered) and numbered[0].group(1) == numbered[1].group(1):
        low, high = int(numbered[0].group(2)), int(numbered[1].group(2))
        if low < high and high - low < limit:
            return [f"{numbered[0].group(1)}{n}" for n in range(low, high + 1)]
    return [first, last] if last and last != first else [first]
