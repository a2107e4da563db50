"""The web page for managers and trainers: the recommendation register, a recommendation with
each agency's response and its evidence, the source of every citation, questions with cited
answers, exports and handouts, and the documents of the library.

Server-side rendered from Jinja2 templates (package data, like the stylesheet): nothing is
loaded from another server. Every form carries the session's CSRF token (web_access).
"""

from __future__ import annotations

import mimetypes
import re
from functools import cache
from http import HTTPStatus
from importlib import resources
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from review_assistant import exports
from review_assistant.ingestion import DocumentExists
from review_assistant.models import Answer, AskRequest, Mode
from review_assistant.service import Services, services
from review_assistant.web_access import COOKIE, WebAccess
from review_assistant.ingest.errors import UnreadableDocument
from review_assistant.ingest.names import safe_name
from review_assistant.ingest.status import PROGRESS, overall_progress, progress

PAGE_SIZE = 50
CONTEXT_CHARS = 1500  # of document text shown either side of a cited passage
# paths of the page (the API keeps its own); the login page and the stylesheet are open
PAGE_PREFIXES = ("/review/", "/source/", "/original/", "/question", "/handout.", "/export/",
                 "/library", "/feedback", "/logout")  # fmt: skip
OPEN_PAGES = {"/login", "/static/style.css"}


def is_page(path: str) -> bool:
    return path == "/" or path.startswith(PAGE_PREFIXES) or path in OPEN_PAGES


@cache
def _templates() -> Jinja2Templates:
    folder = resources.files("review_assistant").joinpath("templates")
    templates = Jinja2Templates(directory=str(folder))
    templates.env.filters["cited"] = _cited_answer
    templates.env.globals["PROGRESS"] = PROGRESS
    templates.env.globals["source_link"] = _source_link
    return templates


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """A refusal or failure on a page, said in words on a page rather than as JSON."""
    heading = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return _templates().TemplateResponse(
        request, "error.html", {"status": status, "heading": heading, "message": message,
                                "signed_in": False, "csrf": ""}, status_code=status,
    )  # fmt: skip


def _cited_answer(answer: Answer) -> Markup:
    """An answer's text as HTML: its own words escaped, **bold** lines as headings, "- " lines
    as a list, and each [n] a link to the passage it cites."""
    sources = {c.n: _source_link(c.document, c.quote_start, c.quote_end) for c in answer.citations}

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


def _source_link(document: str, start: int, end: int) -> str:
    return f"/source/{quote(document)}?{urlencode({'start': start, 'end': end})}"


Svc = Annotated[Services, Depends(services)]


class _Views:
    """What the register pages compute from the whole library (progress counts, a review's
    merged recommendations), kept until the library changes: reading 25k recommendations
    and 50k responses takes 150 ms at 2,700 documents, rendering the page a tenth of that."""

    def __init__(self) -> None:
        self._generation: int | None = None
        self._values: dict = {}

    def get(self, svc: Services, key, compute):
        generation = svc.stores.sync()
        if generation != self._generation:
            self._values, self._generation = {}, generation
        values = self._values  # a change elsewhere swaps the dict, never half-fills it
        if key not in values:
            values[key] = compute()
        return values[key]


def page_router(access: WebAccess) -> APIRouter:
    """The page's routes, under the access rules given."""
    router = APIRouter(include_in_schema=False)
    templates = _templates()
    views = _Views()

    def session_of(request: Request) -> dict | None:
        return access.load(request.cookies.get(COOKIE))

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        session = session_of(request) or access.new_session(authenticated=not access.required)
        response = templates.TemplateResponse(
            request, name,
            {"csrf": session["csrf"], "signed_in": access.required and session["auth"], **context},
            status_code=status,
        )  # fmt: skip
        _set_cookie(response, access, session)
        return response

    def check_csrf(request: Request, token: str) -> None:
        if not access.csrf_ok(session_of(request), token):
            raise HTTPException(403, "the form has expired: reload the page and try again")

    # -- access ------------------------------------------------------------------------------
    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/"):
        return render(request, "login.html", next=_local(next), error=None)

    @router.post("/login")
    def login(request: Request, key: Annotated[str, Form()], next: Annotated[str, Form()] = "/"):
        if access.required and not access.key_is_valid(key):
            return render(
                request, "login.html", 401, next=_local(next), error="That key is not valid."
            )
        response = RedirectResponse(_local(next), status_code=303)
        _set_cookie(response, access, access.new_session(authenticated=True))
        return response

    @router.post("/logout")
    def logout(request: Request, csrf: Annotated[str, Form()]):
        check_csrf(request, csrf)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @router.get("/static/style.css")
    def stylesheet():
        css = resources.files("review_assistant").joinpath("static/style.css").read_text("utf-8")
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    # -- the register -------------------------------------------------------------------------
    @router.get("/", response_class=HTMLResponse)
    def register_page(request: Request, svc: Svc):
        def compute() -> list[dict]:
            register = svc.stores.register
            statuses = register.statuses_by_review()
            dates = register.review_dates()
            rows = []
            for review in svc.assistant.searcher.reviews():
                counts = dict.fromkeys(PROGRESS, 0)
                for words in statuses.get(review["id"], []):
                    counts[overall_progress(words)] += 1
                rows.append(review | {"counts": counts, "date": dates.get(review["id"], "")})
            return rows

        return render(request, "register.html", reviews=views.get(svc, "register", compute))

    @router.get("/review/{review_id}", response_class=HTMLResponse)
    def review_page(
        request: Request, review_id: str, svc: Svc, agency: str = "", status: str = "",
        q: str = "", sort: str = "order", page: int = 1,
    ):  # fmt: skip
        review = _review(svc, review_id)
        merged = views.get(svc, ("review", review["id"]), lambda: _merged(svc, review["id"]))
        recs = _sorted(_filtered(merged, agency, status, q), sort)
        pages = max(1, -(-len(recs) // PAGE_SIZE))
        page = min(max(page, 1), pages)
        shown = recs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        filters = {"agency": agency, "status": status, "q": q}
        return render(
            request, "review.html", review=review, recs=shown, total=len(recs), page=page,
            pages=pages, sort=sort, filters=filters, query=urlencode(filters),
            agencies=sorted({a for r in merged for a in r["agencies"]}),
        )  # fmt: skip

    @router.get("/review/{review_id}/{rec_id}", response_class=HTMLResponse)
    def recommendation_page(request: Request, review_id: str, rec_id: str, svc: Svc):
        review = _review(svc, review_id)
        detail = svc.stores.register.recommendation_detail(review["id"], rec_id)
        if detail is None:
            raise HTTPException(404, f"the {review['name']} review has no recommendation {rec_id}")
        for response in detail["responses"]:
            response["progress"] = progress(response["status"])
            response["link"] = _cite(response["citation"])
        for note in detail["progress_notes"]:
            note["link"] = _cite(note["citation"])
        detail["link"] = _cite(detail["citation"])
        return render(request, "recommendation.html", review=review, rec=detail)

    # -- sources -----------------------------------------------------------------------------
    @router.get("/source/{document}", response_class=HTMLResponse)
    def source_page(request: Request, document: str, svc: Svc, start: int = 0, end: int = 0):
        register = svc.stores.register
        row = register.find_document(document)
        if row is None:
            raise HTTPException(404, f"no document {document!r}")
        text = register.document_text(row["doc_id"]) or ""
        start = min(max(start, 0), len(text))
        end = min(max(end, start), len(text))
        chunk = register.chunk_covering(row["file_name"], start)
        before_from = max(0, start - CONTEXT_CHARS)
        after_to = min(len(text), end + CONTEXT_CHARS)
        return render(
            request, "source.html", document=row["file_name"], title=row["title"],
            before=text[before_from:start], passage=text[start:end], after=text[end:after_to],
            cut_before=before_from > 0, cut_after=after_to < len(text), chunk=chunk,
            has_original=svc.stores.originals.path(row["sha256"]).exists(),
        )  # fmt: skip

    @router.get("/original/{document}")
    def original(document: str, svc: Svc):
        row = svc.stores.register.find_document(document)
        path = svc.stores.originals.path(row["sha256"]) if row else None
        if path is None or not path.exists():
            raise HTTPException(404, f"the original of {document!r} is not kept")
        kind = mimetypes.guess_type(row["file_name"])[0] or "application/octet-stream"
        return FileResponse(path, media_type=kind, filename=row["file_name"])

    # -- questions ---------------------------------------------------------------------------
    @router.get("/question", response_class=HTMLResponse)
    def question_page(request: Request, svc: Svc, q: str = "", mode: str = ""):
        answer, answer_id = None, None
        if q.strip():
            chosen = Mode(mode) if mode in {m.value for m in Mode} else None
            asked = AskRequest(question=q[:2000], mode=chosen)
            answer = svc.assistant.ask(asked)
            answer_id = svc.stores.register.save_answer(q, answer.model_dump(mode="json"))
        return render(request, "question.html", q=q, mode=mode, modes=list(Mode),
                      answer=answer, answer_id=answer_id, thanked=False)  # fmt: skip

    @router.post("/feedback", response_class=HTMLResponse)
    def feedback(
        request: Request, svc: Svc, csrf: Annotated[str, Form()],
        answer_id: Annotated[str, Form()], value: Annotated[str, Form()],
    ):  # fmt: skip
        check_csrf(request, csrf)
        if value not in ("up", "down") or svc.stores.register.load_answer(answer_id) is None:
            raise HTTPException(400, "unknown answer or feedback value")
        svc.stores.register.record_feedback(answer_id, "web", value)
        return render(request, "thanks.html", value=value)

    # -- exports -----------------------------------------------------------------------------
    @router.get("/export/{review_id}.{kind}")
    def export(review_id: str, kind: str, svc: Svc, agency: str = "", status: str = "",
               q: str = ""):  # fmt: skip
        review = _review(svc, review_id)
        register = svc.stores.register
        details = [
            register.recommendation_detail(review["id"], rec["rec_id"])
            for rec in _filtered(_merged(svc, review["id"]), agency, status, q)
        ]
        rows = exports.register_rows([d for d in details if d])
        if agency:
            rows = [r for r in rows if r["agency"] == agency]
        name = f"{review['id']}-register"
        if kind == "csv":
            return _download(exports.register_csv(rows), f"{name}.csv", "text/csv")
        if kind == "xlsx":
            data = exports.register_xlsx(rows, review["name"])
            return _download(data, f"{name}.xlsx", _XLSX)
        raise HTTPException(404, "exports are .csv or .xlsx")

    @router.get("/handout.{kind}")
    def handout(kind: str, svc: Svc, theme: str):
        if kind not in ("docx", "md"):
            raise HTTPException(404, "handouts are .docx or .md")
        answer = svc.assistant.ask(AskRequest(question=theme[:500], mode=Mode.learning_points))
        name = re.sub(r"[^a-z0-9]+", "-", theme.lower()).strip("-")[:60] or "handout"
        if kind == "md":
            data = exports.handout_markdown(theme, answer).encode()
            return _download(data, f"learning-points-{name}.md", "text/markdown")
        return _download(exports.handout_docx(theme, answer), f"learning-points-{name}.docx", _DOCX)

    # -- documents -----------------------------------------------------------------------------
    @router.get("/library", response_class=HTMLResponse)
    def library_page(request: Request, svc: Svc, job: str = "", message: str = ""):
        found = svc.stores.register.job(job) if job else None
        return render(request, "library.html", documents=svc.stores.register.documents(),
                      job=found, message=message, error=None)  # fmt: skip

    @router.post("/library/upload", response_class=HTMLResponse)
    def upload(
        request: Request, svc: Svc, csrf: Annotated[str, Form()],
        file: Annotated[UploadFile, Form()], replace: Annotated[bool, Form()] = False,
    ):  # fmt: skip
        check_csrf(request, csrf)
        name = safe_name(file.filename or "")
        data = file.file.read(svc.upload_limit + 1)

        def refused(status: int, error: str) -> HTMLResponse:
            return render(
                request, "library.html", status, documents=svc.stores.register.documents(),
                job=None, message="", error=f"{name or 'The file'}: {error}",
            )  # fmt: skip

        if len(data) > svc.upload_limit:
            return refused(413, "the file is larger than the upload limit")
        try:
            outcome = svc.jobs.accept(name, data, replace, svc.background_bytes)
        except DocumentExists:
            return refused(409, "a different document of that name is in the library; tick "
                           "“replace” to replace it")  # fmt: skip
        except UnreadableDocument as exc:
            return refused(400, str(exc))
        if isinstance(outcome, str):
            return RedirectResponse(f"/library?job={outcome}", 303)
        message = f"{name}: {outcome.status}, {outcome.recommendations} recommendations"
        return RedirectResponse(f"/library?{urlencode({'message': message})}", 303)

    @router.post("/library/remove")
    def remove(request: Request, svc: Svc, csrf: Annotated[str, Form()],
               document: Annotated[str, Form()]):  # fmt: skip
        check_csrf(request, csrf)
        with svc.jobs.writing():
            removed = svc.ingestor.remove(document)
        message = f"{document}: removed" if removed else f"{document}: not in the library"
        return RedirectResponse(f"/library?{urlencode({'message': message})}", 303)

    return router


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, name: str, kind: str) -> Response:
    return Response(data, media_type=kind,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _local(path: str) -> str:
    """Only a path on this site is followed after logging in (no open redirect)."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


def _set_cookie(response: Response, access: WebAccess, session: dict) -> None:
    response.set_cookie(COOKIE, access.dump(session), max_age=access.max_age, httponly=True,
                        samesite="strict", path="/")  # fmt: skip


def _cite(citation: dict) -> str:
    return _source_link(citation["document"], citation["start"], citation["end"])


def _review(svc, review_id: str) -> dict:
    matches = svc.assistant.searcher.review_ids(review_id)
    review = next(
        (r for r in svc.assistant.searcher.reviews() if matches and r["id"] == matches[0]), None
    )
    if review is None:
        raise HTTPException(404, f"no review {review_id!r}")
    return review


def _review_dates(register, review: dict) -> str:
    dates = sorted(
        {d["date"] for d in register.documents() if d["review_id"] == review["id"] and d["date"]}
    )
    return dates[0] if dates else ""


def _merged(svc: Services, review_id: str) -> list[dict]:
    """A review's recommendations, one row each, with its progress column."""
    recs = _one_row_per_recommendation(svc.stores.register.recommendations(review_id))
    return [rec | {"progress": overall_progress(rec["statuses"])} for rec in recs]


def _filtered(recs: list[dict], agency: str, status: str, text: str) -> list[dict]:
    out = []
    for rec in recs:
        if agency and agency not in rec["agencies"]:
            continue
        if status and status not in rec["statuses"] and status != rec["progress"]:
            continue
        if (
            text
            and text.lower() not in f"{rec['rec_id']} {rec['title'] or ''} {rec['text']}".lower()
        ):
            continue
        out.append(rec)
    return out


def _one_row_per_recommendation(recs: list[dict]) -> list[dict]:
    """A review's report and its response both list recommendation 3: one row, with the
    agencies and statuses of both, and the words of the first that has responses."""
    merged: dict[str, dict] = {}
    for rec in recs:
        seen = merged.get(rec["rec_id"])
        if seen is None:
            merged[rec["rec_id"]] = dict(rec)
            continue
        if rec["agencies"] and not seen["agencies"]:
            seen.update({k: rec[k] for k in ("text", "title", "page", "document", "finding")})
        seen["agencies"] = sorted({*seen["agencies"], *rec["agencies"]})
        seen["statuses"] = sorted({*seen["statuses"], *rec["statuses"]})
    return list(merged.values())


_SORTS = {
    "order": None,
    "id": lambda r: r["rec_id"],
    "progress": lambda r: PROGRESS.index(r["progress"]),
    "agencies": lambda r: len(r["agencies"]),
    "page": lambda r: r["page"],
}


def _sorted(recs: list[dict], sort: str) -> list[dict]:
    key = _SORTS.get(sort.lstrip("-"))
    return sorted(recs, key=key, reverse=sort.startswith("-")) if key else recs
