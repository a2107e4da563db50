"""The running app's library, as a FastAPI dependency of every API route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from review_assistant.library import Library


def library(request: Request) -> Library:
    return request.app.state.library


Lib = Annotated[Library, Depends(library)]
