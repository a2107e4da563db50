"""The web page for managers and trainers: the recommendation register, a recommendation with
each agency's response and its evidence, the source of every citation, questions with cited
answers, exports and handouts, and the documents of the library.

Server-side rendered from Jinja2 templates (package data, like the stylesheet): nothing is
loaded from another server. Every form carries the session's CSRF token (access.WebAccess).
"""

from __future__ import annotations

from fastapi import APIRouter

from review_assistant.pages import (
    agencies,
    exports,
    library,
    login,
    questions,
    register,
    sources,
)
from review_assistant.pages.rendering import error_page as error_page

# paths of the page (the API keeps its own); the login page and the stylesheet are open
PAGE_PREFIXES = ("/review/", "/source/", "/original/", "/question", "/handout.", "/export/",
                 "/library", "/feedback", "/logout", "/agencies", "/agency/")  # fmt: skip
OPEN_PAGES = {"/login", "/static/style.css"}


def is_page(path: str) -> bool:
    return path == "/" or path.startswith(PAGE_PREFIXES) or path in OPEN_PAGES


def page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for module in (login, register, agencies, sources, questions, exports, library):
        router.include_router(module.router)
    return router
