"""Sentences with exact offsets: the one sentence grammar of the project.

A sentence ends at . ! ? (with any closing quote or bracket and citation markers such as
"[2]" or "[1, 3]" that follow it) before a capital, a quote, a bracket, a digit or a bullet;
and at the end of a block: a blank line, a bullet line, a line ending in a colon, a lettered
sub-part "(a)". Chunking may also break at a semicolon (`clauses=True`), because long
recommendation lists are often one sentence of clauses.
"""

from __future__ import annotations

import re

_TAIL = r"(?P<tail>[\"”’)]?(?:\s?\[\d+(?:\s*[,;]\s*\d+)*\])*)"
_OPENER = r"(?=[A-Z‘“\"(\d*•-])"
_BLOCK = r"|\n\s*\n|\n(?=- )|(?<=:)\n|\n(?=\(?[a-h]\)\s)"
_BREAK = re.compile(r"(?<=[.!?])" + _TAIL + r"\s+" + _OPENER + _BLOCK)
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;])" + _TAIL + r"\s+" + _BLOCK)
# A line that only names a section: "Recommendation 3b", "Key Recommendations:", "Finding two"
_HEADING = re.compile(
    r"^(?:- )?(?:(?:[A-Z][\w]*\s+){0,3}Recommendations?\s*[\w.()]*[.:]?|Finding\s+\w+[.:]?)$", re.I
)


def spans(text: str, clauses: bool = False) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text` (or clause, with `clauses`), trimmed of
    surrounding whitespace; together they cover every non-blank character."""
    grammar = _CLAUSE_BREAK if clauses else _BREAK
    out: list[tuple[int, int]] = []
    position = 0
    for match in [*grammar.finditer(text), None]:
        if match is None:
            end, following = len(text), len(text)
        else:
            tail = match.end("tail") if match.group("tail") is not None else match.start()
            end, following = tail, match.end()
        raw = text[position:end]
        start = position + len(raw) - len(raw.lstrip())
        stop = position + len(raw.rstrip())
        if stop > start:
            out.append((start, stop))
        position = following
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` that can carry a claim: bullets' markers dropped, and bare
    headings and fragments of fewer than three words left out."""
    out = []
    for start, stop in spans(text):
        if text[start : start + 2] == "- ":
            start += 2
        sentence = text[start:stop]
        if len(sentence.split()) >= 3 and not _HEADING.match(sentence):
            out.append((start, stop))
    return out
