"""Sentences with exact offsets, and the stemmed terms used to compare them with a question."""

from __future__ import annotations

import re
from functools import cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

# A sentence ends at . ! ? (before a capital, quote or bracket) or at a line that ends a block:
# a blank line, a bullet, or a short heading line.
_BREAK = re.compile(
    r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z‘“\"(\d-])|\n\s*\n|\n(?=- )|(?<=:)\n|\n(?=\(?[a-h]\)\s)"
)
_HEADING = re.compile(
    r"^(?:- )?(?:(?:[A-Z][\w]*\s+){0,3}Recommendations?\s*[\w.()]*[.:]?|Finding\s+\w+[.:]?)$", re.I
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_QUESTION_NOISE = {
    "anything", "what", "which", "who", "whom", "how", "when", "where", "why", "did", "does",
    "do", "done", "say", "said", "tell", "about", "there", "any", "review", "reviews",
    "recommendation", "recommendations", "rec", "please", "know", "give", "show", "find", "get",
}  # fmt: skip
_STOP = set(STOPWORDS_EN_PLUS) | _QUESTION_NOISE


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, trimmed; bare headings are left out."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in list(_BREAK.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        raw = text[position:end]
        start = position + len(raw) - len(raw.lstrip())
        stop = position + len(raw.rstrip())
        if stop > start:
            if text[start : start + 2] == "- ":
                start += 2
            sentence = text[start:stop]
            if len(sentence.split()) >= 3 and not _HEADING.match(sentence):
                spans.append((start, stop))
        position = match.end() if match else len(text)
    return spans


def terms(text: str) -> list[str]:
    """Stemmed content words."""
    words = [w for w in _WORD.findall(text.lower().replace("’", "'")) if w not in _STOP]
    return _stemmer().stemWords(words)


def tidy(text: str) -> str:
    """A span as it reads in an answer: line breaks and runs of spaces folded."""
    return re.sub(r"\s+", " ", text).strip()
