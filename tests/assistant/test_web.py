"""The web page through FastAPI's test client, on documents the test writes: the register,
filters, sorting and paging, a recommendation and its sources, questions, feedback, exports,
handouts, documents, and access with a signed cookie and CSRF tokens. (The browser walk is in
test_browser.py.)"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient

from review_assistant.server import create_app
from review_assistant.settings import Settings
from tests.support.documents import RESPONSE_TEXT

AGENCIES = ("Children's Services", "the CCG", "Hampshire Constabulary")
STATES = ("has been completed and audited", "is currently being rolled out", "will be reviewed")


def long_response(count: int) -> str:
    """A response of `count` recommendations, each answered by one agency with a status; the
    second half on a page of its own."""
    parts = ["Northshire Safeguarding Children Partnership", "",
             "Response to the Serious Case Review of Child W", ""]  # fmt: skip
    for n in range(1, count + 1):
        agency, state = AGENCIES[n % 3], STATES[n % 3]
        if n == count // 2 + 1:
            parts.append("\f")
        parts += [
            f"Recommendation {n}",
            f"Agencies should strengthen practice area number {n} for unborn babies.",
            "",
            f"{agency}: the new procedure for area {n} {state}.",
            "",
        ]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    (folder / "child-q.txt").write_text(RESPONSE_TEXT)
    (folder / "child-w.txt").write_text(long_response(60))
    return folder


@pytest.fixture(scope="module")
def client(library, tmp_path_factory):
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path_factory.mktemp("web-data"))
    with TestClient(create_app(settings)) as client:
        for path in sorted(library.iterdir()):
            page = client.get("/library")
            response = client.post(
                "/library/upload",
                data={"csrf": csrf(page)},
                files={"file": (path.name, path.read_bytes())},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
        yield client


def csrf(page) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def rows(page) -> list[str]:
    """The row headers of a page's main table."""
    body = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", " ", cell).split()[0] for cell in
            re.findall(r'<th scope="row">(.*?)</th>', body, re.S)]  # fmt: skip


def test_the_register_counts_each_reviews_progress(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'href="/review/child-w"' in page.text and 'href="/review/child-q"' in page.text
    row = page.text.split('href="/review/child-w"', 1)[1].split("</tr>", 1)[0]
    numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
    assert numbers == [60, 20, 20, 20, 0]  # recommendations, completed, in progress, planned, none


def test_a_review_filters_sorts_and_pages(client):
    first = client.get("/review/child-w")
    assert rows(first) == [str(n) for n in range(1, 51)] and "Page 1 of 2" in first.text
    assert rows(client.get("/review/child-w?page=2")) == [str(n) for n in range(51, 61)]
    police = client.get("/review/child-w", params={"agency": "Hampshire Constabulary"})
    assert rows(police) == [str(n) for n in range(2, 61, 3)]
    done = client.get("/review/child-w", params={"status": "completed"})
    assert rows(done) == [str(n) for n in range(3, 61, 3)]
    text = client.get("/review/child-w", params={"q": "area number 42 "})
    assert rows(text) == ["42"]
    # sorted by a column, rows of one value keep the document's order: by page, the last first
    descending = client.get("/review/child-w", params={"sort": "-page", "q": "number 5"})
    assert rows(descending) == [str(n) for n in range(50, 60)] + ["5"]  # 5 is on page 1
    by_progress = client.get("/review/child-w", params={"sort": "progress", "q": "number 5"})
    completed, in_progress = ["51", "54", "57"], ["52", "55", "58"]
    assert rows(by_progress) == completed + in_progress + ["5", "50", "53", "56", "59"]
    assert client.get("/review/no-such-review").status_code == 404


def test_a_recommendation_shows_each_agency_with_status_and_evidence(client):
    page = client.get("/review/child-w/4")
    assert page.status_code == 200
    assert "strengthen practice area number 4 for unborn babies" in page.text
    assert "the CCG" in page.text and "in progress" in page.text
    links = re.findall(r'href="(/source/[^"]+)"', page.text)
    assert len(links) == 2  # the recommendation's words and the response's
    source = client.get(links[1].replace("&amp;", "&"))
    marked = re.search(r"<mark[^>]*>(.*?)</mark>", source.text, re.S)[1]
    assert "new procedure for area 4 is currently being rolled out" in marked
    assert "Open the original file" in source.text
    original = client.get("/original/child-w.txt")
    assert original.content == long_response(60).encode()
    missing = client.get("/review/child-w/99")
    assert missing.status_code == 404 and "no recommendation 99" in missing.text
    assert "<html" in missing.text  # a page, not JSON


def test_a_question_is_answered_with_cited_sources_and_feedback(client):
    page = client.get("/question", params={"q": "who keeps a log of births?"})
    assert page.status_code == 200 and "No grounded answer" not in page.text
    links = re.findall(r'href="(/source/child-q\.txt[^"]+)"', page.text)
    assert links
    source = client.get(links[0].replace("&amp;", "&"))
    assert "log of births" in re.search(r"<mark[^>]*>(.*?)</mark>", source.text, re.S)[1]
    sealed = re.search(r'name="answer" value="([^"]+)"', page.text)[1]
    refused = client.post("/feedback", data={"csrf": "forged", "answer": sealed,
                                            "value": "up"})  # fmt: skip
    assert refused.status_code == 403
    forged = client.post("/feedback", data={"csrf": csrf(page), "answer": sealed[:-2] + "xx",
                                           "value": "up"})  # fmt: skip
    assert forged.status_code == 400
    thanks = client.post("/feedback", data={"csrf": csrf(page), "answer": sealed,
                                           "value": "up"})  # fmt: skip
    assert thanks.status_code == 200
    unanswerable = client.get("/question", params={"q": "what is the capital of Peru?"})
    assert "No grounded answer" in unanswerable.text


def test_the_register_exports_as_csv_and_xlsx_with_citations(client):
    ccg = "Clinical Commissioning Group (CCG)"  # as the national gazetteer names "the CCG"
    response = client.get("/export/child-w.csv", params={"agency": ccg})
    assert response.headers["content-disposition"].endswith('.csv"')
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["recommendation"] for r in table] == [str(n) for n in range(1, 61, 3)]
    assert {r["agency"] for r in table} == {ccg}
    assert table[0]["citation"].startswith("child-w.txt, p. ")
    assert table[1]["status"] == "in progress" and table[1]["progress"] == "in progress"

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/export/child-w.xlsx").content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["review", "recommendation"] and "citation" in header
    assert sheet.max_row == 61  # one row per recommendation and agency, plus the header
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    assert summary[0] == ["agency", "completed", "in progress", "planned", "not stated", "total"]
    assert summary[-1][0] == "All agencies" and summary[-1][-1] == 60
    assert sum(row[-1] for row in summary[1:-1]) == 60  # each row of the register once


def test_a_cell_that_would_run_as_a_formula_is_quoted():
    from openpyxl import load_workbook

    from review_assistant.exports import REGISTER_COLUMNS, register_xlsx

    row = dict.fromkeys(REGISTER_COLUMNS, "x") | {"response": '=HYPERLINK("http://x")'}
    sheet = load_workbook(io.BytesIO(register_xlsx([row], "t"))).active
    assert sheet.cell(row=2, column=REGISTER_COLUMNS.index("response") + 1).value.startswith("'=")


def test_a_handout_on_a_theme_cites_review_recommendation_and_page(client):
    from docx import Document

    response = client.get("/handout.docx", params={"theme": "unborn babies"})
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.startswith("Learning points: unborn babies")
    assert re.search(r"Child W, Recommendation \d+, p\. \d+, child-w\.txt", text)
    markdown = client.get("/handout.md", params={"theme": "unborn babies"}).text
    assert markdown.startswith("# Learning points: unborn babies") and "## Child W" in markdown


def test_documents_upload_errors_and_removal(client):
    page = client.get("/library")
    assert "child-w.txt" in page.text
    bad = client.post("/library/upload", data={"csrf": csrf(page)},
                      files={"file": ("broken.pdf", b"%PDF-1.7 not really")})  # fmt: skip
    assert bad.status_code == 400 and 'role="alert"' in bad.text and "broken.pdf" in bad.text
    clash = client.post("/library/upload", data={"csrf": csrf(page)},
                        files={"file": ("child-q.txt", b"other words")})  # fmt: skip
    assert clash.status_code == 409 and "replace" in clash.text
    extra = client.post("/library/upload", data={"csrf": csrf(page)},
                        files={"file": ("child-x.txt", RESPONSE_TEXT.replace("Child Q", "Child X")
                                        .encode())}, follow_redirects=False)  # fmt: skip
    assert extra.status_code == 303
    assert "child-x.txt: ingested" in client.get(extra.headers["location"]).text
    gone = client.post("/library/remove", data={"csrf": csrf(page), "document": "child-x.txt"})
    assert gone.status_code == 200 and "child-x.txt: removed" in gone.text
    assert client.get("/original/child-x.txt").status_code == 404


def test_with_keys_the_page_asks_for_one_and_keeps_it_in_a_signed_cookie(tmp_path):
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data", API_KEYS="alpha")
    with TestClient(create_app(settings)) as client:
        first = client.get("/review/x", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/login?next=/review/x"
        assert (
            client.post("/library/remove", data={"csrf": "x", "document": "d"}).status_code == 401
        )
        assert client.get("/login").status_code == 200
        assert client.get("/static/style.css").status_code == 200
        wrong = client.post("/login", data={"key": "beta", "next": "/"})
        assert wrong.status_code == 401 and "not valid" in wrong.text
        right = client.post("/login", data={"key": "alpha", "next": "//evil.example/"},
                            follow_redirects=False)  # fmt: skip
        assert right.headers["location"] == "/"  # no open redirect
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "alpha" not in cookie
        assert client.get("/").status_code == 200
        # the cookie opens the page, not the API, which still wants the key itself
        assert client.post("/search", json={"query": "x"}).status_code == 401
        signed = client.cookies["review_session"]
        client.cookies.clear()
        client.cookies.set("review_session", signed[:-2] + ("xx" if signed[-2:] != "xx" else "yy"))
        assert client.get("/", follow_redirects=False).status_code == 303  # tampered


def test_every_sheet_and_csv_quotes_a_cell_that_would_run_as_a_formula():
    from review_assistant.exports import REGISTER_COLUMNS, register_csv

    hostile = ['=HYPERLINK("http://evil.example")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "=1+1",
               "\t=1+1", "\r-2+3", "-1"]  # fmt: skip
    rows = [dict.fromkeys(REGISTER_COLUMNS, "x") | {"response": cell} for cell in hostile]
    table = list(csv.DictReader(io.StringIO(register_csv(rows).decode("utf-8-sig"))))
    assert [row["response"] for row in table] == ["'" + cell for cell in hostile]
    assert table[0]["review"] == "x"  # an ordinary cell stays as it is


def test_a_markdown_handout_writes_no_html_mention_or_link_from_a_document():
    from review_assistant.exports import handout_markdown
    from review_assistant.models import Answer, Citation, SectionKind

    quote = (
        "Agencies <script>alert(1)</script> <!channel> @here [click](http://evil.example) ![x](y)"
    )
    point = Citation(
        n=1, chunk_id="c", text=quote, document="d.txt", title="t", review="Child Q",
        review_id="child-q", section=SectionKind.recommendation, start=0, end=len(quote),
        page=1, page_end=1, score=1.0, quote=quote, quote_start=0, quote_end=len(quote),
    )  # fmt: skip
    text = handout_markdown("theme <b>", Answer(answer="x [1]", citations=[point]))
    assert "<script>" not in text and "<!channel>" not in text and "<b>" not in text
    assert "@here" not in text
    assert "[click](" not in text and "![x]" not in text  # links made literal text
    assert r"\[click\](http://evil.example)" in text
    assert "Agencies &lt;script&gt;" in text


def login(client, key: str = "alpha"):
    return client.post("/login", data={"key": key, "next": "/"}, follow_redirects=False)


def test_logout_ends_the_session_even_for_a_copy_of_its_cookie(tmp_path):
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data", API_KEYS="alpha")
    with TestClient(create_app(settings)) as client:
        assert login(client).status_code == 303
        kept = client.cookies["review_session"]
        page = client.get("/")
        assert page.status_code == 200
        out = client.post("/logout", data={"csrf": csrf(page)}, follow_redirects=False)
        assert out.status_code == 303
        client.cookies.clear()
        client.cookies.set("review_session", kept)  # a stolen copy of the session's cookie
        assert client.get("/", follow_redirects=False).status_code == 303


def test_sessions_are_signed_with_a_random_secret_not_one_made_from_the_keys(tmp_path):
    import hashlib
    import stat

    from itsdangerous import URLSafeTimedSerializer

    data = tmp_path / "data"
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=data, API_KEYS="alpha",
                        REVIEW_ASSISTANT_SECURE_COOKIES=True)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        cookie = login(client).headers["set-cookie"]
        assert "Secure" in cookie
        secret = data / "session.secret"
        kept = secret.read_bytes()
        assert len(kept) == 32 and stat.S_IMODE(secret.stat().st_mode) == 0o600
        # a cookie forged with what the keys alone give is refused
        guessed = hashlib.sha256(b"alpha").hexdigest()
        for salt in ("review-assistant-web", f"review-assistant-web:{guessed}"):
            forged = URLSafeTimedSerializer(guessed, salt=salt).dumps(
                {"sid": "s", "csrf": "c", "auth": True}
            )
            client.cookies.clear()
            client.cookies.set("review_session", forged)
            assert client.get("/", follow_redirects=False).status_code == 303
    with TestClient(create_app(settings)) as again:  # a restart keeps the secret
        assert secret.read_bytes() == kept and login(again).status_code == 303


def test_wrong_keys_and_logins_are_slowed_to_a_few_a_minute(tmp_path):
    settings = Settings(REVIEW_ASSISTANT_DATA_DIR=tmp_path / "data", API_KEYS="alpha",
                        REVIEW_ASSISTANT_FAILED_KEYS_PER_MINUTE=3)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        wrong = {"Authorization": "Bearer guess"}
        assert [client.get("/reviews", headers=wrong).status_code for _ in range(3)] == [401] * 3
        locked = client.get("/reviews", headers={"Authorization": "Bearer alpha"})
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) >= 1
        assert login(client).status_code == 429  # the page's login counts the same client
        assert client.get("/health").status_code == 200  # /health stays open
    with TestClient(create_app(settings)) as client:
        assert [login(client, "guess").status_code for _ in range(3)] == [401] * 3
        assert login(client).status_code == 429


def test_the_register_draws_each_reviews_progress_as_a_bar(client):
    page = client.get("/")
    bars = re.findall(
        r'<svg class="bar"[^>]*aria-label="([^"]*)"[^>]*>(.*?)</svg>', page.text, re.S
    )
    assert len(bars) == len(client.get("/reviews").json()["reviews"])
    for label, drawn in bars:
        widths = [float(w) for w in re.findall(r'width="([\d.]+)"', drawn)]
        assert abs(sum(widths) - 100) < 0.1  # the segments fill the bar
        said = dict(
            (p, int(n)) for n, p in re.findall(r"(\d+) (completed|in progress|planned|not stated)",
                                               label)
        )  # fmt: skip
        titles = dict(
            (p, int(n)) for n, p in re.findall(r"<title>(\d+) ([a-z ]+)</title>", drawn)
        )  # fmt: skip
        assert said == titles and said  # what is drawn is what is said
        total = sum(said.values())
        for (n, p), width in zip(re.findall(r"<title>(\d+) ([a-z ]+)</title>", drawn), widths,
                                 strict=True):  # fmt: skip
            assert abs(width - 100 * int(n) / total) < 0.1, (p, width)


def test_an_agency_page_lists_what_it_owns_across_reviews_and_where_it_stands(client):
    listing = client.get("/agencies")
    assert listing.status_code == 200
    ccg = "Clinical Commissioning Group (CCG)"
    assert f'href="/agency/{quote(ccg)}"' in listing.text or ccg in listing.text
    page = client.get("/agency/the CCG")  # named as users name it
    assert page.status_code == 200 and f"<h1>{ccg}</h1>" in page.text.replace("&#39;", "'")
    rows = re.findall(r'<th scope="row"><a href="/review/([^/"]+)/([^"]+)">', page.text)
    api = client.get("/recommendations", params={"agency": "the CCG"}).json()["recommendations"]
    assert {(r["review_id"], r["rec_id"]) for r in api} == {
        (unquote(review), unquote(rec)) for review, rec in rows
    }
    assert "No deadline is recorded" in page.text or "deadline" in page.text.lower()
    assert client.get("/agency/Nobody at all").status_code == 404


def test_a_learned_agencys_role_is_shown_and_set_on_the_page(client):
    page = client.get("/agencies")
    assert page.status_code == 200 and 'id="learned"' in page.text
    names = re.findall(r'<input type="hidden" name="name" value="([^"]+)">', page.text)
    assert names
    body = names[0].replace("&#39;", "'")
    library = client.app.state.library
    assert body not in library.agency_names("the police")
    form = {"csrf": csrf(page), "name": body, "role": "police"}
    done = client.post("/agencies/role", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert body in library.agency_names("the police")  # "the police" now reaches it
    assert client.post("/agencies/role", data={"csrf": csrf(page), "name": body,
                                               "role": "astronaut"}).status_code == 422  # fmt: skip
    client.post("/agencies/role", data={"csrf": csrf(page), "name": body, "role": ""})
    assert body not in library.agency_names("the police")  # its documents' role again
