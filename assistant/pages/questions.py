"""Questions with cited answers, feedback on them, and trainers' handouts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse

from review_assistant.errors import NotFound
from review_assistant.models import Mode
from review_assistant.pages.rendering import PageContext, download

router = APIRouter(include_in_schema=False)


@router.get("/question", response_class=HTMLResponse)
def question_page(page: PageContext, q: str = "", mode: str = "", previous: str = ""):
    answer, answer_id = None, None
    if q.strip():
        chosen = Mode(mode) if mode in {m.value for m in Mode} else None
        request = page.library.follow_up(q[:2000], previous[:2000] or None, chosen)
        answer = page.library.ask(request)
        answer_id = page.library.save_answer(q, answer)
    return page.render("question.html", q=q, mode=mode, modes=list(Mode), answer=answer,
                       answer_id=answer_id, thanked=False, previous=previous)  # fmt: skip


@router.post("/feedback", response_class=HTMLResponse)
def feedback(
    page: PageContext, csrf: Annotated[str, Form()], answer_id: Annotated[str, Form()],
    value: Annotated[str, Form()],
):  # fmt: skip
    page.check_csrf(csrf)
    try:
        page.library.record_feedback(answer_id, "web", value)
    except (NotFound, ValueError) as exc:
        raise HTTPException(400, "unknown answer or feedback value") from exc
    return page.render("thanks.html", value=value)


@router.get("/handout.{kind}")
def handout(page: PageContext, kind: str, theme: str):
    return download(page.library.handout(theme, kind))
