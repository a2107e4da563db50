"""A request's filters are names, and a name is short: a long one is refused at the API, and
the gazetteer's matching stays linear in a long text whatever reaches it."""

from __future__ import annotations

import pydantic
import pytest
from fastapi.testclient import TestClient

from review_assistant.ingest import agencies
from review_assistant.ingest.agencies import default_gazetteer
from review_assistant.models import FILTER_CHARS, Filters
from review_assistant.server import create_app
from review_assistant.settings import Settings
from tests.support.work import lines_run

LONG = "Police " * 30000  # 210 KB: one match of an alias every seven characters


def test_matching_agencies_in_a_long_text_is_linear_in_its_matches():
    gazetteer = default_gazetteer()
    found: list = []
    work = lines_run(lambda: found.extend(gazetteer.find_all(LONG)), [agencies], 40 * 30000)
    assert len(found) == 30000 and {name for _, _, name in found} == {"Police"}
    assert work <= 20 * 30000  # each match compared with the spans about it, not with all
    resolved = lines_run(lambda: gazetteer.resolve(LONG), [agencies], 40 * 30000)
    assert resolved <= 20 * 30000


def test_acronyms_still_claim_their_spans_first():
    gazetteer = default_gazetteer()
    text = "The CCG met NHS England, the police and the MASH. " * 50
    names = [name for _, _, name in gazetteer.find_all(text)]
    once = [name for _, _, name in gazetteer.find_all(text[:50])]
    assert len(once) == 4 and names == once * 50
    spans = [(a, b) for a, b, _ in gazetteer.find_all(text)]
    assert all(b <= c for (_, b), (c, _) in zip(spans, spans[1:], strict=False))


def test_a_filter_longer_than_a_name_is_refused():
    assert Filters(agency="x" * FILTER_CHARS).agency
    for field in ("review", "recommendation", "agency"):
        with pytest.raises(pydantic.ValidationError):
            Filters(**{field: "x" * (FILTER_CHARS + 1)})


def test_the_api_answers_422_to_a_long_filter(tmp_path):
    app = create_app(Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data"))
    with TestClient(app) as client:
        for field in ("review", "recommendation", "agency"):
            body = {"question": "did the police share information?", "filters": {field: LONG}}
            response = client.post("/ask", json=body)
            assert response.status_code == 422, (field, response.text[:200])
            assert response.json()["error"]["details"][0]["field"] == f"body.filters.{field}"
            search = client.post("/search", json={"query": "police", "filters": {field: LONG}})
            assert search.status_code == 422
