"""Safe display names for uploaded files."""

from __future__ import annotations

import pytest

from review_assistant.ingest.names import MAX_LENGTH, safe_name


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("../002_response.txt", "002_response.txt"),
        ("C:\\\\reports\\\\child-t.pdf", "child-t.pdf"),
        ("evil\u202etxt.exe", "eviltxt.exe"),
        ("bad\x00name.pdf", "badname.pdf"),
        ("  many   spaces .docx ", "many spaces .docx"),
        (".", "upload"),
        ("..", "upload"),
        ("", "upload"),
        (".hidden.txt", "hidden.txt"),
        ("Cafe\u0301 review.pdf", "Café review.pdf"),
    ],
)
def test_safe_name(raw, name):
    assert safe_name(raw) == name


def test_long_names_keep_their_extension():
    name = safe_name("x" * 500 + ".pdf")
    assert len(name) <= MAX_LENGTH and name.endswith(".pdf")
