"""Questions with cited answers, feedback on them, and trainers' handouts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse

from review_assistant.library import FEEDBACK_VALUES
from review_assistant.models import Answer, Mode
from review_assistant.pages.rendering import PageContext, download

router = APIRouter(include_in_schema=False)


@router.get("/question", response_class=HTMLResponse)
def question_page(page: PageContext, q: str = "", mode: str = "", previous: str = ""):
    answer, sealed = None, None
    if q.strip():
        chosen = Mode(mode) if mode in {m.value for m in Mode} else None
        request = page.library.follow_up(q[:2000], previous[:2000] or None, chosen)
        answer = page.library.ask(request)
        # kept only if feedback is given: the form carries the answer back, sealed
        sealed = page.access.seal({"q": q[:2000], "answer": answer.model_dump(mode="json")})
    return page.render("question.html", q=q, mode=mode, modes=list(Mode), answer=answer,
                       sealed=sealed, thanked=False, previous=previous)  # fmt: skip


@router.post("/feedback", response_class=HTMLResponse)
def feedback(
    page: PageContext, csrf: Annotated[str, Form()], answer: Annotated[str, Form()],
    value: Annotated[str, Form()],
):  # fmt: skip
    page.check_csrf(csrf)
    given = page.access.unseal(answer)
    if given is None or value not in FEEDBACK_VALUES:
        raise HTTPException(400, "unknown answer or feedback value")
    answer_id = page.library.save_answer(given["q"], Answer.model_validate(given["answer"]))
    page.library.record_feedback(answer_id, "web", value)
    return page.render("thanks.html", value=value)


@router.get("/handout.{kind}")
def handout(page: PageContext, kind: str, theme: str):
    return download(page.library.handout(theme, kind))
