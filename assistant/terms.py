"""The stemmed content words used to compare sentences with a question, and tidy quotes."""

from __future__ import annotations

import re

from bm25s.stopwords import STOPWORDS_EN_PLUS

from review_assistant.store.tokens import stems

_QUESTION_NOISE = {
    "anything", "what", "which", "who", "whom", "how", "when", "where", "why", "did", "does",
    "do", "done", "say", "said", "tell", "about", "there", "any", "review", "reviews",
    "recommendation", "recommendations", "rec", "please", "know", "give", "show", "find", "get",
}  # fmt: skip
_STOP = frozenset(STOPWORDS_EN_PLUS) | _QUESTION_NOISE


def terms(text: str) -> list[str]:
    """Stemmed content words: the keyword index's words and stems (store.tokens), with
    English function words and the words of asking left out."""
    return stems(text, _STOP)


def tidy(text: str) -> str:
    """A span as it reads in an answer: line breaks and runs of spaces folded."""
    return re.sub(r"\s+", " ", text).strip()
