"""What a use case refuses, in words a front end can pass on: each front end maps these to
its own form (an HTTP status, a page, a Slack message, an exit code)."""

from __future__ import annotations

from review_assistant.ingest.errors import UnreadableDocument as UnreadableDocument


class NotFound(LookupError):
    """A review, recommendation, document, job or answer the library does not hold."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class DocumentExists(Exception):
    """Another document already has this name; replacing it must be asked for."""

    def __init__(self, name: str, doc_id: str) -> None:
        super().__init__(f"a different document named {name!r} is already in the library")
        self.name, self.doc_id = name, doc_id


class TooLarge(ValueError):
    """An upload over the library's limit."""


class Unsupported(ValueError):
    """An export or handout of a kind the library does not write."""
