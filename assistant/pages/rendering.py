"""How a page is drawn: the Jinja2 templates (package data), an answer's text as HTML with
its citations linked, and the session every page and form carries (access.WebAccess)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from http import HTTPStatus
from importlib import resources
from typing import Annotated, TypeVar
from urllib.parse import quote, urlencode

from anyio import to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from review_assistant.library import Library
from review_assistant.models import PROGRESS, Answer, Download
from review_assistant.pages.access import COOKIE, WebAccess

T = TypeVar("T")


@cache
def templates() -> Jinja2Templates:
    folder = resources.files(__package__).joinpath("templates")
    found = Jinja2Templates(directory=str(folder))
    found.env.filters["cited"] = cited_answer
    found.env.globals["PROGRESS"] = PROGRESS
    found.env.globals["source_link"] = source_link
    found.env.globals["cite"] = lambda ref: source_link(ref.document, ref.start, ref.end)
    return found


def source_link(document: str, start: int, end: int) -> str:
    return f"/source/{quote(document)}?{urlencode({'start': start, 'end': end})}"


def cited_answer(answer: Answer) -> Markup:
    """An answer's text as HTML: its own words escaped, **bold** lines as headings, "- " lines
    as a list, and each [n] a link to the passage it cites."""
    sources = {c.n: source_link(c.document, c.quote_start, c.quote_end) for c in answer.citations}

    def link(match: re.Match) -> str:
        n = int(match[1])
        return f'<a href="{sources[n]}">[{n}]</a>' if n in sources else match[0]

    html, in_list = [], False
    for line in answer.answer.splitlines():
        text = re.sub(r"\[(\d+)\]", link, str(escape(line.strip())))
        bullet = text.startswith("- ")
        if bullet and not in_list:
            html.append("<ul>")
        elif not bullet and in_list:
            html.append("</ul>")
        in_list = bullet
        if bullet:
            html.append(f"<li>{text[2:]}</li>")
        elif text.startswith("**") and text.endswith("**"):
            html.append(f"<h3>{text.strip('*')}</h3>")
        elif text:
            html.append(f"<p>{text}</p>")
    if in_list:
        html.append("</ul>")
    return Markup("\n".join(html))


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """A refusal or failure on a page, said in words on a page rather than as JSON."""
    heading = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return templates().TemplateResponse(
        request, "error.html", {"status": status, "heading": heading, "message": message,
                                "signed_in": False, "csrf": ""}, status_code=status,
    )  # fmt: skip


def download(file: Download) -> Response:
    disposition = f'attachment; filename="{file.file_name}"'
    return Response(file.data, media_type=file.media_type,
                    headers={"Content-Disposition": disposition})  # fmt: skip


class Page:
    """One request for a page: the library, and rendering under the request's session."""

    def __init__(self, request: Request, access: WebAccess, library: Library) -> None:
        self.request, self.access, self.library = request, access, library

    @property
    def session(self) -> dict | None:
        return self.access.load(self.request.cookies.get(COOKIE))

    def render(self, name: str, status: int = 200, **context) -> HTMLResponse:
        access = self.access
        session = self.session or access.new_session(authenticated=not access.required)
        response = templates().TemplateResponse(
            self.request, name,
            {"csrf": session["csrf"], "signed_in": access.required and session["auth"], **context},
            status_code=status,
        )  # fmt: skip
        self.set_cookie(response, session)
        return response

    def set_cookie(self, response: Response, session: dict) -> None:
        response.set_cookie(COOKIE, self.access.dump(session), max_age=self.access.max_age,
                            httponly=True, samesite="strict", path="/",
                            secure=self.access.secure)  # fmt: skip

    def check_csrf(self, token: str) -> None:
        if not self.access.csrf_ok(self.session, token):
            raise HTTPException(403, "the form has expired: reload the page and try again")


async def writing(request: Request, kind: str, work: Callable[[], T]) -> T:
    """Run a write on the server's few threads for its kind (see the API's `deps.writing`)."""
    return await to_thread.run_sync(work, limiter=request.app.state.write_threads[kind])


def page(request: Request) -> Page:
    state = request.app.state
    return Page(request, state.web_access, state.library)


PageContext = Annotated[Page, Depends(page)]
