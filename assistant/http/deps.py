"""The running app's library, as a FastAPI dependency of every API route, and the way a
route that writes runs its work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from anyio import to_thread
from fastapi import Depends, Request

from review_assistant.library import Library


def library(request: Request) -> Library:
    return request.app.state.library


Lib = Annotated[Library, Depends(library)]

T = TypeVar("T")


async def writing(request: Request, kind: str, work: Callable[[], T]) -> T:
    """Run a write ("upload" or "remove") on the server's few threads for that kind, so
    writes queued behind a long ingest never take the threads reads and `/health` answer
    on, and removals waiting for the writer never hold up uploads (which only queue)."""
    return await to_thread.run_sync(work, limiter=request.app.state.write_threads[kind])
