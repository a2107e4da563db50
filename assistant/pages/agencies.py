"""Agencies across the library: each one's progress at a glance, and everything one agency
owns with where it stands."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from review_assistant.pages.rendering import PageContext

router = APIRouter(include_in_schema=False)


@router.get("/agencies", response_class=HTMLResponse)
def agencies_page(page: PageContext):
    return page.render("agencies.html", agencies=page.library.agencies())


@router.get("/agency/{agency}", response_class=HTMLResponse)
def agency_page(page: PageContext, agency: str):
    found = page.library.agency_register(agency)
    return page.render("agency.html", summary=found.summary, rows=found.rows)
