"""Sentences with exact offsets: the one sentence grammar of the project.

A sentence ends at . ! ? (with any closing quote or bracket and citation markers such as
"[2]" or "[1, 3]" that follow it) before a capital, a quote, a bracket, a digit or a bullet;
and at the end of a block: a blank line (not one a page break left inside a sentence, before
lower-case words that go on with it), a bullet line, a line ending in a colon, a lettered
sub-part "(a)". Chunking may also break at a semicolon (`clauses=True`), because long
recommendation lists are often one sentence of clauses.

What is not a sentence is a heading: `is_heading` is the project's one rule for a line that
names something and says nothing, with a `HeadingRule` for each kind of text it is asked of
(a document's subheadings, a passage's topic lines, the headings of a model's reply).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAIL = r"(?P<tail>[\"”’)]?(?:\s?\[\d+(?:\s*[,;]\s*\d+)*\])*)"
_OPENER = r"(?=[A-Z‘“\"(\d*•-])"
# Words no sentence ends on: a page break after one fell inside the sentence
GOES_ON = ("a", "an", "the", "of", "by", "to", "in", "on", "at", "for", "from", "with", "and",
            "or", "that", "which", "whose")  # fmt: skip
# a blank line ends a block, except where a page break fell inside a sentence: the text before
# it does not end as a sentence does and the text after it goes on in lower case, or the text
# before it ends on a word that leaves the sentence open
_BLOCK = (
    r"|(?<![^.!?:;\"”’)\]])\n\s*\n|"
    + "".join(rf"(?<!\s{word})" for word in GOES_ON)
    + r"\n\s*\n(?!\s*[a-z])|\n(?=- )|(?<=:)\n|\n(?=\(?[a-h]\)\s)"
)
_BREAK = re.compile(r"(?<=[.!?])" + _TAIL + r"\s+" + _OPENER + _BLOCK)
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;])" + _TAIL + r"\s+" + _BLOCK)
# A line that only names a section: "Recommendation 3b", "Key Recommendations:", "Finding two"
_SECTION_LABEL = re.compile(
    r"^(?:- )?(?:(?:[A-Z][\w]*\s+){0,3}Recommendations?\s*[\w.()]*[.:]?|Finding\s+\w+[.:]?)$", re.I
)


@dataclass(frozen=True)
class HeadingRule:
    """What a heading looks like in one kind of text. By its shape: at most `words` words (on
    one line, where `one_line`), opening with a capital where `capital`, and not ending as a
    sentence does (with one of `ends`), once whitespace and the `marks` around it (markdown)
    are stripped. By its words, where `labels`: a section label ("Recommendation 3b")."""

    words: int | None  # None: no line is a heading by its shape alone
    ends: tuple[str, ...] = ()
    marks: str = ""
    capital: bool = False
    one_line: bool = False
    labels: bool = False


# A label sentence splitting leaves out, whatever its shape: "Recommendation 3b."
SECTION_LABEL = HeadingRule(words=None, labels=True)
# A subheading of a document: "Leadership and management", "Early help"
SUBHEADING = HeadingRule(10, (".", ":", ";", ","), capital=True, one_line=True)
# The title a recommendation's heading gives it: "Recommendation 1: Early help"
HEADING_TITLE = HeadingRule(12, (".", ";", ","))
# A line of a passage that names its topic and answers no question: "**Key findings**"
TOPIC_LINE = HeadingRule(6, (".", "?", "!", ":", ";", ")", "”", '"'), marks="*#")
# A heading of a model's reply: "**Child T**", "Baby R review:"
REPLY_HEADING = HeadingRule(12, (".", "!", "?"), marks="*#:- ")


def is_heading(line: str, rule: HeadingRule) -> bool:
    """Whether `line` is a heading, not a sentence, in the kind of text `rule` describes."""
    if rule.labels and _SECTION_LABEL.match(line):
        return True
    text = line.strip().strip(rule.marks).strip()
    return (
        rule.words is not None
        and len(text.split()) <= rule.words
        and not text.endswith(rule.ends)
        and (not rule.capital or text[:1].isupper())
        and (not rule.one_line or "\n" not in text)
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
        if len(sentence.split()) >= 3 and not is_heading(sentence, SECTION_LABEL):
            out.append((start, stop))
    return out
