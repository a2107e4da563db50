"""One use case, every front end: the same request gives the same result through the HTTP
API, the web page, the command line and Slack, because each only translates it for the
library's one use case (one review resolver, one upload path, one export path)."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from review_assistant.cli import app as cli_app
from review_assistant.library import Library
from review_assistant.server import create_app
from review_assistant.settings import Settings
from tests.support.documents import RESPONSE_TEXT
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import SECRET, post_form

CHILD_Q_RECOMMENDATION_1 = "every baby is registered with a GP by six weeks"


@pytest.fixture(scope="module")
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def env(tmp_path_factory, slack) -> dict[str, str]:
    """A library holding one response (the Child Q sample of tests/support), as the
    environment every front end reads its settings from."""
    folder = tmp_path_factory.mktemp("front-ends")
    (folder / "child-q.txt").write_text(RESPONSE_TEXT)
    variables = {
        "REVIEW_ASSISTANT_DATA_DIR": str(folder / "data"),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": slack.api_url,
    }
    with Library(Settings(**variables)) as library:
        report = library.ingest([folder / "child-q.txt"])
    assert report.documents == 1 and not report.skipped
    return variables


@pytest.fixture(scope="module")
def client(env):
    with TestClient(create_app(Settings(**env))) as client:
        yield client


@pytest.fixture
def cli(env, monkeypatch):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli_app, list(args), catch_exceptions=False)


def slash(client, slack, text: str, url: str) -> str:
    """`/review TEXT` as Slack posts it; the text of the reply sent to its response_url."""
    fields = {"command": "/review", "text": text, "user_id": "U1", "channel_id": "C1",
              "team_id": "T1", "trigger_id": "t", "response_url": f"{slack.base}{url}"}  # fmt: skip
    assert post_form(client, fields).status_code == 200
    [reply] = slack.wait_for(url)
    return json.dumps(reply)


def review_id(client) -> str:
    [review] = client.get("/reviews").json()["reviews"]
    return review["id"]


@pytest.mark.parametrize("named", ["Child Q", "child q", "id"])
def test_a_review_named_any_way_is_the_same_review_in_every_front_end(named, client, cli, slack):
    name = review_id(client) if named == "id" else named
    api = client.get(f"/reviews/{quote(name)}/recommendations/1")
    assert api.status_code == 200, api.text
    assert CHILD_Q_RECOMMENDATION_1 in api.json()["text"]
    assert [r["agency"] for r in api.json()["responses"]] == ["Clinical Commissioning Group (CCG)"]

    page = client.get(f"/review/{quote(name)}/1")
    assert page.status_code == 200 and CHILD_Q_RECOMMENDATION_1 in page.text
    assert "Clinical Commissioning Group (CCG)" in page.text

    listed = json.loads(cli("recommendations", "--review", name, "--format", "json").output)
    first = next(r for r in listed["recommendations"] if r["rec_id"] == "1")
    assert first["text"] == api.json()["text"]

    reply = slash(client, slack, f"commitments {name} 1", f"/respond/{quote(named)}")
    assert "six weeks" in reply and "log of births" in reply


def test_an_unknown_review_is_refused_alike_in_every_front_end(client, cli, slack):
    api = client.get("/reviews/Nobody/recommendations/1")
    assert api.status_code == 404 and "no review 'Nobody'" in api.json()["error"]["message"]
    page = client.get("/review/Nobody/1")
    assert page.status_code == 404 and "no review" in page.text
    result = cli("recommendations", "--review", "Nobody")
    assert result.exit_code == 1 and "no review 'Nobody'" in result.output
    reply = slash(client, slack, "commitments Nobody 1", "/respond/nobody")
    assert "Nobody" in reply and "six weeks" not in reply


def test_an_export_is_the_same_file_from_the_api_the_page_and_the_cli(client, cli):
    name = review_id(client)
    api = client.get(f"/reviews/{name}/register.csv")
    page = client.get(f"/export/{name}.csv")
    assert api.status_code == page.status_code == 200
    assert api.content == page.content
    command = cli("recommendations", "--review", "Child Q", "--format", "csv")
    # the test runner reads the command's output with universal newlines
    assert command.output == api.content.decode("utf-8-sig").replace("\r\n", "\n")
    rows = list(csv.DictReader(io.StringIO(command.output)))
    assert [(r["recommendation"], r["agency"]) for r in rows] == [
        ("1", "Clinical Commissioning Group (CCG)"), ("2", "Hampshire Constabulary"),
    ]  # fmt: skip


def test_an_upload_through_the_api_the_page_or_the_cli_reports_the_same_outcome(
    client, cli, tmp_path
):
    text = RESPONSE_TEXT.replace("Child Q", "Child R")
    api = client.post("/documents", files={"file": ("child-r.txt", text.encode())})
    assert api.status_code == 201, api.text
    assert api.json()["recommendations"] == 2

    again = client.post("/documents", files={"file": ("child-r.txt", text.encode())})
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    token = client.get("/library").text.split('name="csrf" value="')[1].split('"')[0]
    page = client.post(
        "/library/upload", data={"csrf": token},
        files={"file": ("child-r.txt", text.encode())}, follow_redirects=False,
    )  # fmt: skip
    assert page.status_code == 303
    listed = client.get(page.headers["location"]).text
    assert "child-r.txt: unchanged, already in the library" in listed

    (tmp_path / "child-r.txt").write_text(text)
    result = cli("ingest", "--json", str(tmp_path / "child-r.txt"))
    [outcome] = json.loads(result.output)["outcomes"]
    assert outcome["status"] == "unchanged" and outcome["document"] == "child-r.txt"

    conflict = client.post("/documents", files={"file": ("child-r.txt", b"other words")})
    assert conflict.status_code == 409
    refused = client.post(
        "/library/upload", data={"csrf": token},
        files={"file": ("child-r.txt", b"other words")},
    )  # fmt: skip
    assert refused.status_code == 409 and "replace" in refused.text


def test_a_follow_up_keeps_the_recommendation_asked_about_in_the_api_and_the_page(client):
    first = "what was committed to recommendation 2 of the Child Q review?"
    follow_up = "and what was the status?"
    alone = client.post("/ask", json={"question": follow_up}).json()
    api = client.post("/ask", json={"question": follow_up, "previous": first}).json()
    assert api["mode"] == "commitments" and not api["abstained"]
    assert {c["recommendation"] for c in api["citations"]} == {"2"}
    assert "every adult present" in api["answer"]
    assert alone["answer"] != api["answer"]  # without the conversation it is another question
    page = client.get("/question", params={"q": follow_up, "previous": first})
    assert page.status_code == 200 and "every adult present" in page.text
