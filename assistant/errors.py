"""What a use case refuses, in words a front end can pass on: each front end maps these to
its own form (an HTTP status, a page, a Slack message, an exit code)."""

from __future__ import annotations

import errno

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


class Busy(RuntimeError):
    """The library cannot take more work now; the same request may succeed later."""

    def __init__(self, message: str, retry_after: int = 30) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StorageFull(OSError):
    """The data directory's disk is full: nothing was written."""


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error (or one it was raised from) is a full disk or an exceeded quota."""
    while exc is not None:
        if isinstance(exc, StorageFull) or (
            isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
        ):
            return True
        # the databases say it in words: SQLite "database or disk is full", PostgreSQL's
        # "could not extend file …: No space left on device"
        if any(words in str(exc).lower() for words in ("disk is full", "no space left")):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
