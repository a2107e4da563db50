"""The stemmed content words used to compare sentences with a question, and tidy quotes."""

from __future__ import annotations

import re
from functools import cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

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


def terms(text: str) -> list[str]:
    """Stemmed content words."""
    words = [w for w in _WORD.findall(text.lower().replace("’", "'")) if w not in _STOP]
    return _stemmer().stemWords(words)


def tidy(text: str) -> str:
    """A span as it reads in an answer: line breaks and runs of spaces folded."""
    return re.sub(r"\s+", " ", text).strip()
