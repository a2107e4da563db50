"""Word spacing that extraction lost or invented.

Two faults are common in review documents. OCR runs words together ("theChildProtectionPlan",
"thevalueofthe"), and text layers set with ligatures split a word where the ligature was
("Th e", "eff ective", "signifi cant"). Both are repaired against an English word list with
frequencies (wordninja's, shipped in its package): a split is made only into known words, a
join only where the joined word is known and a piece is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

# a whole token of letters (not part of an address, a code or a hyphenated name)
_WORD = re.compile(r"(?<![^\s(“‘\"'])[A-Za-z]+(?=[.,;:!?)”’\"']*(?:\s|$))")
# two pieces of one word around a space: the second never capitalised
# (the second piece is looked at, not taken, so that it can be the first of the next pair)
_PAIR = re.compile(r"(?<![\w'’-])([A-Za-z]{2,}) (?=([a-z]+)(?![\w'’-]|\.\w))")
# A lone letter joins its neighbour only into one of the commonest words ("Th e" -> "The"):
# "for t" or "Plan b" are more likely abbreviations than a split "fort"
_COMMON = 7.0
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_MIN_RUN = 8  # shorter unknown tokens are names and codes more often than run-together words


@lru_cache(maxsize=1)
def _costs() -> dict[str, float]:
    """Word -> cost (lower is commoner), as wordninja's own splitter weighs its list; the
    list has no public accessor, hence the pinned major version."""
    import wordninja

    return wordninja.DEFAULT_LANGUAGE_MODEL._wordcost


def known(word: str) -> bool:
    return word.lower() in _costs()


def _is_piece(word: str) -> bool:
    """A fragment rather than a word: unknown, or a lone letter other than "a" and "I"."""
    return not known(word) or (len(word) == 1 and word.lower() not in "ai")


def join_split_words(line: str) -> str:
    """ "Th e value of eff ective work" -> "The value of effective work"."""

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        cost = _costs().get((left + right).lower())
        if cost is None or not (_is_piece(left) or _is_piece(right)):
            return match.group(0)
        if len(right) > 1 or cost < _COMMON:
            return left
        return match.group(0)

    return _PAIR.sub(join, line)


def _split_run(token: str) -> str:
    parts = [p for p in _CAMEL.split(token) if p]
    if len(parts) > 1 and known(parts[0]) and (token[:1].islower() or len(parts) > 2):
        # "theChildProtectionPlan": the capitals mark the words; a part that is a name
        # leaves the token alone, and a capitalised token needs three parts ("McDonald",
        # "MacBook" are names)
        pieces = [_split_run(p) if p[:1].islower() else p for p in parts]
        if all(known(p) or p.isupper() or p[:1].isupper() for p in parts):
            return " ".join(pieces)
        return token
    if len(token) < _MIN_RUN or known(token) or not token[:1].islower():
        return token
    import wordninja

    words = wordninja.split(token)
    if len(words) > 1 and all(len(w) > 1 or w.lower() in "ai" for w in words):
        return " ".join(words)
    return token


def split_run_words(line: str) -> str:
    """ "thevalueofthechild" -> "the value of the child" (OCR output only: a text layer's
    long tokens are names, addresses and codes)."""
    return _WORD.sub(lambda m: _split_run(m.group(0)), line)


def repair(line: str, ocr: bool) -> str:
    if ocr:
        line = split_run_words(line)
    return join_split_words(line)
