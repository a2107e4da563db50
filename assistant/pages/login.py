"""Signing in and out, and the stylesheet (open to all, like the login page)."""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from review_assistant.pages.access import COOKIE
from review_assistant.pages.rendering import PageContext

router = APIRouter(include_in_schema=False)


def local(path: str) -> str:
    """Only a path on this site is followed after logging in (no open redirect)."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(page: PageContext, next: str = "/"):
    return page.render("login.html", next=local(next), error=None)


@router.post("/login")
def login(page: PageContext, key: Annotated[str, Form()], next: Annotated[str, Form()] = "/"):
    access = page.access
    if access.required and not access.key_is_valid(key):
        return page.render("login.html", 401, next=local(next), error="That key is not valid.")
    response = RedirectResponse(local(next), status_code=303)
    page.set_cookie(response, access.new_session(authenticated=True))
    return response


@router.post("/logout")
def logout(page: PageContext, csrf: Annotated[str, Form()]):
    page.check_csrf(csrf)
    page.library.end_session(page.session["sid"])  # the cookie is refused from now on
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/static/style.css")
def stylesheet():
    css = resources.files(__package__).joinpath("static/style.css").read_text("utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})
