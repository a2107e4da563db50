"""File names as the library shows and keys them: the last path part, in NFC, without control
or direction-override characters, leading dots or runs of spaces."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 200


def safe_name(raw: str, fallback: str = "upload") -> str:
    """A display name that is also a safe key: '../a/b.pdf' -> 'b.pdf', '\\u202eevil.txt' ->
    'evil.txt', '.' -> fallback."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\\\/]", name)[-1]
    # Cc: control characters (NUL, newlines); Cf: format characters (right-to-left override)
    name = "".join(c for c in name if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co"})
    name = " ".join(name.split()).lstrip(". ").rstrip(" ")
    if len(name) > MAX_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        keep = suffix if dot and len(suffix) <= 10 else ""
        name = name[: MAX_LENGTH - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return name or fallback
