"""The one tokeniser and stemmer: how every index and comparison reads words.

The keyword index (`index_terms`) and the answerer's sentence comparisons
(review_assistant.terms) split text into words and stem them here, so a word is the same term
wherever it is counted, and document frequencies read from the index weigh the answerer's terms.
Each use keeps its own list of words to drop.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

_WORD = re.compile(r"\w+")
# what the keyword index leaves out: English stop words, and single characters
_INDEX_STOP = frozenset(STOPWORDS_EN)


def words(text: str) -> list[str]:
    """The lower-cased words of a text (runs of letters, digits and underscores)."""
    return _WORD.findall(text.lower())


def stems(text: str, drop: Collection[str] = (), min_length: int = 1) -> list[str]:
    """The Snowball stems of a text's words, leaving out the words in `drop` and words shorter
    than `min_length` (both judged before stemming)."""
    kept = [w for w in words(text) if len(w) >= min_length and w not in drop]
    return _stemmer().stemWords(kept)


def index_terms(text: str) -> list[str]:
    """Words as the keyword index holds them: words of two or more characters, English stop
    words dropped, stemmed; questions are searched through the same function."""
    return stems(text, _INDEX_STOP, min_length=2)


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")
