"""Search and cited answers (whole, or as server-sent events while a model writes)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from review_assistant.http.deps import Lib
from review_assistant.http.models import AskBody, SearchBody, SearchResults
from review_assistant.models import Answer

router = APIRouter(tags=["questions"])


@router.post("/search")
def search(body: SearchBody, library: Lib) -> SearchResults:
    return SearchResults(results=library.search(body.query, body.k, body.filters))


@router.post(
    "/ask",
    response_model=Answer,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
def ask(body: AskBody, library: Lib):
    request = library.follow_up(body.question, body.previous, body.mode, body.filters)
    if not body.stream:
        return library.ask(request)

    def events() -> Iterator[str]:
        for event in library.stream(request):
            data = event.answer.model_dump_json() if event.answer else event.model_dump_json()
            yield f"event: {event.kind}\ndata: {data}\n\n"

    # a proxy must pass each event on as it comes (nginx reads X-Accel-Buffering)
    headers = {"cache-control": "no-cache", "x-accel-buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
