"""Agencies across the library: each one's progress at a glance, and everything one agency
owns with where it stands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse

from review_assistant.pages.rendering import PageContext

router = APIRouter(include_in_schema=False)


@router.get("/agencies", response_class=HTMLResponse)
def agencies_page(page: PageContext):
    return page.render("agencies.html", agencies=page.library.agencies(),
                       learned=page.library.learned_agencies(),
                       roles=page.library.agency_roles())  # fmt: skip


@router.post("/agencies/role")
def set_role(
    page: PageContext, csrf: Annotated[str, Form()], name: Annotated[str, Form()],
    role: Annotated[str, Form()] = "",
):  # fmt: skip
    """A body's role as a person sets it ("" gives it its documents' role again)."""
    return _edit(page, csrf, lambda: page.library.set_agency_role(name, role or None))


@router.post("/agencies/merge")
def merge(
    page: PageContext, csrf: Annotated[str, Form()], alias: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
):  # fmt: skip
    """Another name of a body ("" undoes it)."""
    return _edit(page, csrf, lambda: page.library.merge_agencies(alias, name or None))


def _edit(page: PageContext, csrf: str, edit: Callable[[], None]) -> RedirectResponse:
    """A person's edit of the learned agencies, from a form: 422 for one the library
    refuses, then back to the list."""
    page.check_csrf(csrf)
    try:
        edit()
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return RedirectResponse("/agencies#learned", status_code=303)


@router.get("/agency/{agency}", response_class=HTMLResponse)
def agency_page(page: PageContext, agency: str):
    found = page.library.agency_register(agency)
    return page.render("agency.html", summary=found.summary, rows=found.rows)
