"""The Slack bot through the real Bolt stack: signed requests to /slack/events on the API, with
Bolt's Web API client pointed at a fake Slack server that records every call."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from review_assistant.models import Mode
from review_assistant.server import create_app
from review_assistant.settings import Settings
from review_assistant.slack.bot import USAGE, parse_command
from tests.support.fake_slack import FakeSlack
from tests.support.samples import SAMPLE_AGENCIES
from tests.support.slack_requests import (
    SECRET,
    blocks_text,
    mention,
    post_event,
    post_form,
    sign,
    user_message,
)


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


def slack_settings(data_dir, slack, **extra) -> Settings:
    return Settings(
        REVIEW_ASSISTANT_DATA_DIR=data_dir,
        REVIEW_ASSISTANT_AGENCIES=SAMPLE_AGENCIES,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_BASE_URL=slack.api_url,
        **extra,
    )


@pytest.fixture
def client(private_sample_data, slack):
    """The bot on a copy of the sample library of the test's own: it writes the events it has
    seen, the answers it gave and the feedback on them."""
    settings = slack_settings(private_sample_data, slack)
    with TestClient(create_app(settings)) as client:
        yield client


def settle(client, slack) -> list[dict]:
    """Every chat.postMessage sent before a sentinel DM was answered.

    Bolt answers on worker threads, so "nothing was posted" cannot be observed directly; a
    sentinel question sent afterwards is answered after anything already under way, so once
    its answer arrives every earlier reply has arrived too.
    """
    sentinel = user_message(
        "who keeps a log of births?", f"{time.time():.6f}", channel_type="im", user="U9",
        channel="DSENTINEL",
    )  # fmt: skip
    post_event(client, sentinel, f"Ev-sentinel-{time.monotonic_ns()}")
    slack.wait_for("chat.postMessage", channel="DSENTINEL")
    posted = slack.of("chat.postMessage")
    return [m for m in posted if m["channel"] != "DSENTINEL"]


def test_mention_is_answered_once_in_its_thread_with_sources(client, slack):
    event = mention("<@UBOT> anything on babies not registered with a GP?", "1700000001.000100")
    response = post_event(client, event, "Ev-mention")
    assert response.status_code == 200
    [message] = slack.wait_for("chat.postMessage")
    assert message["channel"] == "C1" and message["thread_ts"] == "1700000001.000100"
    text = blocks_text(message)
    assert "Sources" in text and "Recommendation 7" in text and "six-week" in text
    assert "feedback_up" in text and "more_sources" in text
    assert len(settle(client, slack)) == 1


def test_a_retried_event_is_not_answered_twice(client, slack):
    event = mention("<@UBOT> disguised compliance training for police", "1700000002.000100")
    assert post_event(client, event, "Ev-retry").status_code == 200
    retry = post_event(
        client,
        event,
        "Ev-retry",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert retry.status_code == 200
    slack.wait_for("chat.postMessage")
    assert len(settle(client, slack)) == 1


def test_direct_message_is_answered_in_the_dm(client, slack):
    event = user_message(
        "what did the CCG do about GP registration?",
        "1700000003.000100",
        channel_type="im",
        user="U2",
        channel="D1",
    )
    post_event(client, event, "Ev-dm")
    [message] = slack.wait_for("chat.postMessage")
    assert message["channel"] == "D1" and message.get("thread_ts") is None
    assert "log of births" in blocks_text(message)


def test_channel_chatter_without_a_mention_is_ignored(client, slack):
    event = user_message(
        "lunch anyone?", "1700000004.000100", channel_type="channel", user="U2", channel="C1"
    )
    assert post_event(client, event, "Ev-chatter").status_code == 200
    assert settle(client, slack) == []


def test_thread_follow_up_keeps_the_earlier_question(client, slack):
    slack.thread_messages = [
        {
            "ts": "1700000010.000100",
            "user": "U1",
            "text": "<@UBOT> what was committed to recommendation 3b of the Clare review?",
        },
        {"ts": "1700000011.000100", "bot_id": "BBOT", "text": "(answer)"},
        {"ts": "1700000012.000100", "user": "U1", "text": "<@UBOT> what about the police?"},
    ]
    event = mention(
        "<@UBOT> what about the police?", "1700000012.000100", thread_ts="1700000010.000100"
    )
    post_event(client, event, "Ev-followup")
    [message] = slack.wait_for("chat.postMessage")
    assert slack.of("conversations.replies")[0]["ts"] == "1700000010.000100"
    assert message["thread_ts"] == "1700000010.000100"
    text = blocks_text(message)
    assert "Recommendation 3b (Clare)" in text and "Hampshire Constabulary" in text
    assert "Clinical Commissioning Group" not in text  # only the police's part of the response


def test_slash_command_replies_ephemerally_with_a_share_button(client, slack):
    response = post_form(
        client,
        {
            "command": "/review",
            "text": "commitments NAI thematic 7",
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": "T1",
            "trigger_id": "t1",
            "response_url": f"{slack.base}/respond/cmd1",
        },
    )
    assert response.status_code == 200
    [reply] = slack.wait_for("/respond/cmd1")
    assert reply["response_type"] == "ephemeral"
    text = blocks_text(reply)
    assert "Recommendation 7 (Thematic Review" in text and "share_answer" in text

    usage = post_form(
        client,
        {
            "command": "/review",
            "text": "",
            "user_id": "U1",
            "channel_id": "C1",
            "response_url": f"{slack.base}/respond/cmd2",
            "trigger_id": "t2",
        },
    )
    assert usage.status_code == 200
    [reply] = slack.wait_for("/respond/cmd2")
    assert reply["text"] == USAGE and reply["response_type"] == "ephemeral"


def test_buttons_store_feedback_share_and_show_more(client, slack, private_sample_stores):
    post_form(
        client,
        {
            "command": "/review",
            "text": "learning unseen men in the household",
            "user_id": "U1",
            "channel_id": "C1",
            "trigger_id": "t3",
            "response_url": f"{slack.base}/respond/cmd3",
        },
    )
    [reply] = slack.wait_for("/respond/cmd3")
    answer_id = next(
        e["value"]
        for b in json.loads(blocks_text(reply))
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "feedback_up"
    )

    def click(action_id: str, url: str):
        payload = {
            "type": "block_actions",
            "user": {"id": "U9"},
            "team": {"id": "T1"},
            "channel": {"id": "C1"},
            "container": {"type": "message", "channel_id": "C1"},
            "trigger_id": "t",
            "response_url": f"{slack.base}{url}",
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "answer_actions",
                    "type": "button",
                    "value": answer_id,
                    "action_ts": "1",
                }
            ],
        }
        assert post_form(client, {"payload": json.dumps(payload)}).status_code == 200

    click("feedback_down", "/respond/fb")
    slack.wait_for("/respond/fb")
    stored = [f for f in private_sample_stores.register.feedback() if f.answer_id == answer_id]
    assert [(f.user, f.value) for f in stored] == [("U9", "down")]
    assert stored[0].question == "unseen men in the household" and stored[0].answer

    click("share_answer", "/respond/share")
    [shared] = slack.wait_for("chat.postMessage")
    assert shared["channel"] == "C1" and "share_answer" not in blocks_text(shared)

    click("more_sources", "/respond/more")
    [more] = slack.wait_for("/respond/more")
    assert "More sources" in blocks_text(more)


@pytest.mark.parametrize("bad", ["signature", "stale"])
def test_bad_or_stale_signature_gets_401_and_no_answer(client, slack, bad):
    event = mention("<@UBOT> anything on babies?", "1700000020.000100")
    if bad == "signature":
        response = post_event(client, event, f"Ev-{bad}", secret="wrong-secret")
    else:
        response = post_event(client, event, f"Ev-{bad}", timestamp=int(time.time()) - 3600)
    assert response.status_code == 401
    assert settle(client, slack) == []


def test_slack_route_is_absent_without_configuration(private_sample_data):
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=private_sample_data,
        REVIEW_ASSISTANT_AGENCIES=SAMPLE_AGENCIES,
    )
    with TestClient(create_app(settings)) as client:
        assert client.post("/slack/events", content="{}").status_code == 404


def test_command_parsing():
    commit = parse_command("commitments Clare 3b")
    filters = commit.filters
    assert (commit.mode, filters.review, filters.recommendation) == (
        Mode.commitments,
        "Clare",
        "3b",
    )
    learning = parse_command("learning disguised compliance")
    assert (learning.mode, learning.question) == (Mode.learning_points, "disguised compliance")
    assert parse_command("") is None
    assert parse_command("babies not registered with a GP").mode is None
    long = parse_command("commitments " + "Clare " * 100 + "3b")  # no error, a bounded name
    assert long.filters.recommendation == "3b" and len(long.filters.review) == 200


def test_socket_mode_transport_answers_a_mention(private_sample_data, slack):
    """The Socket Mode worker: Bolt's own socket client against a local websocket server."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from review_assistant.library import Library
    from review_assistant.slack.bot import SlackBot
    from tests.support.fake_socket import FakeSocketMode

    event = mention(
        "<@UBOT> anything on babies not registered with a GP?", "1700000030.000100", channel="C7"
    )
    envelope = {
        "envelope_id": "env-1",
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": "Ev-socket",
            "event_time": 1,
            "event": event,
        },
    }
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=private_sample_data,
        REVIEW_ASSISTANT_AGENCIES=SAMPLE_AGENCIES,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN="xapp-test",
        SLACK_API_BASE_URL=slack.api_url,
    )
    with FakeSocketMode([envelope]) as socket_server:
        slack.socket_url = socket_server.url
        bot = SlackBot(settings.slack, Library(settings))
        handler = SocketModeHandler(bot.app, settings.slack.app_token)
        handler.connect()
        try:
            [message] = slack.wait_for("chat.postMessage")
            assert message["channel"] == "C7" and message["thread_ts"] == "1700000030.000100"
            assert "six-week" in blocks_text(message)
            deadline = time.monotonic() + 10
            while not socket_server.acks and time.monotonic() < deadline:
                time.sleep(0.05)
            assert socket_server.acks[0]["envelope_id"] == "env-1"
        finally:
            handler.close()


def test_a_failure_reaches_the_user_as_a_short_message(client, slack, monkeypatch):
    from review_assistant.answering import Assistant

    def broken(self, request):
        raise RuntimeError("index unavailable: secret internal detail")

    monkeypatch.setattr(Assistant, "ask", broken)
    event = mention("<@UBOT> anything on babies?", "1700000040.000100")
    post_event(client, event, "Ev-failure")
    [message] = slack.wait_for("chat.postMessage")
    text = blocks_text(message)
    assert "Sorry, something went wrong" in text and "secret internal detail" not in text


def test_long_answers_respect_slack_limits():
    from review_assistant.models import Answer, Citation, SectionKind
    from review_assistant.slack.blocks import BLOCK_LIMIT, SECTION_LIMIT, answer_blocks

    citation = Citation(
        chunk_id="c",
        text="t " * 200,
        document="d.pdf",
        title="T",
        review="Clare",
        review_id="clare",
        recommendation="3b",
        agency="Hampshire Constabulary",
        agencies=["Hampshire Constabulary"],
        section=SectionKind.response,
        page=4,
        page_end=4,
        start=0,
        end=400,
        score=1.0,
        n=1,
        quote="word " * 400,
        quote_start=0,
        quote_end=2000,
    )
    answer = Answer(
        answer="A long sentence about supervision. " * 200,
        citations=[citation.model_copy(update={"n": n}) for n in range(1, 31)],
    )
    blocks, fallback = answer_blocks(answer, "answer-1", share=True)
    assert len(blocks) <= BLOCK_LIMIT and len(fallback) <= SECTION_LIMIT
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(text) <= SECTION_LIMIT for text in sections)
    assert "answer trimmed" in sections[0]
    assert "*[1]* Clare · Recommendation 3b · Hampshire Constabulary · p. 4" in sections[2]
    assert any("22 more source(s)" in json.dumps(b) for b in blocks)
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [
        "feedback_up",
        "feedback_down",
        "more_sources",
        "share_answer",
    ]


def command(slack, text: str, url: str) -> dict:
    return {
        "command": "/review", "text": text, "user_id": "U1", "channel_id": "C1",
        "team_id": "T1", "trigger_id": "t", "response_url": f"{slack.base}{url}",
    }  # fmt: skip


def test_a_replayed_command_is_not_answered_again(client, slack):
    body = urlencode(command(slack, "commitments Clare 3b", "/respond/replay"))
    headers = {"content-type": "application/x-www-form-urlencoded", **sign(body)}
    assert client.post("/slack/events", content=body, headers=headers).status_code == 200
    slack.wait_for("/respond/replay")
    assert client.post("/slack/events", content=body, headers=headers).status_code == 200
    fresh = post_form(client, command(slack, "commitments Clare 3b", "/respond/fresh"))
    assert fresh.status_code == 200
    slack.wait_for("/respond/fresh")  # answered after the replay would have been
    assert len(slack.of("/respond/replay")) == 1


def test_an_unknown_review_is_named_in_the_reply(client, slack):
    post_form(client, command(slack, "commitments Child Z 3", "/respond/unknown"))
    [reply] = slack.wait_for("/respond/unknown")
    text = blocks_text(reply)
    assert "No answer in the reviews" in text and "no review called \\u201cChild Z" in text


def test_with_a_model_a_placeholder_is_updated_as_the_answer_is_written(private_sample_data, slack):
    from tests.support.fake_llm import FakeLLM
    from tests.support.generating import passage_number

    with FakeLLM() as llm:
        llm.reply = lambda body: (
            "The CCG will maintain a log of births to track baby registrations "
            f"[{passage_number(body, 'log of births')}]. The CCG will ensure that this guidance "
            f"is disseminated [{passage_number(body, 'disseminated')}]."
        )
        llm.token_delay = 0.05
        settings = slack_settings(
            private_sample_data, slack, LLM_BASE_URL=llm.url, LLM_TIMEOUT=20.0
        )
        with TestClient(create_app(settings)) as client:
            event = user_message(
                "what will the CCG do about a log of births?", "1700000090.000100",
                channel_type="im", user="U2", channel="D7",
            )  # fmt: skip
            post_event(client, event, "Ev-stream")
            [placeholder] = slack.wait_for("chat.postMessage", channel="D7")
            final = [u for u in slack.wait_for("chat.update", channel="D7") if u.get("blocks")]
            deadline = time.monotonic() + 30
            while not final and time.monotonic() < deadline:
                time.sleep(0.1)
                final = [u for u in slack.of("chat.update") if u.get("blocks")]
    assert placeholder["text"] == "Looking in the review documents…"
    updates = slack.of("chat.update")
    assert all(u["ts"] == updates[0]["ts"] for u in updates)
    assert len(final) == 1 and final[0] is updates[-1]
    assert "log of births" in blocks_text(final[0])
    assert "language model" not in blocks_text(final[0])  # the model's answer, verified


class _Streaming:
    """A library whose answers a model streams, with a quoted document's mentions in them."""

    streams = True

    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences
        self.saved: list[str] = []

    def stream(self, request):
        from review_assistant.models import Answer, AnswerEvent

        for sentence in self.sentences:
            yield AnswerEvent(kind="sentence", text=sentence)
        yield AnswerEvent(kind="answer", answer=Answer(answer=" ".join(self.sentences)))

    def save_answer(self, question, answer) -> str:
        self.saved.append(question)
        return "a1"


def test_a_streamed_answer_never_posts_a_documents_mentions(slack, monkeypatch):
    from review_assistant.models import AskRequest
    from review_assistant.settings import SlackConfig
    from review_assistant.slack import bot as bot_module
    from review_assistant.slack.bot import SlackBot

    monkeypatch.setattr(bot_module, "UPDATE_INTERVAL", 0.0)  # every sentence is an update
    hostile = ["Call <!channel> now.", "Tell <@U999|boss> and <!subteam^S1>.", "@here too."]
    config = SlackConfig(bot_token="xoxb-test", signing_secret=None, app_token=None,
                         api_base_url=slack.api_url)  # fmt: skip
    bot = SlackBot(config, _Streaming(hostile))
    bot._answer_streaming(bot.app.client, "C9", None, AskRequest(question="q"))
    texts = [u["text"] for u in slack.of("chat.update")]
    assert len(texts) == 1 + len(hostile)  # each sentence, then the answer
    for text in texts:
        assert "<!" not in text and "<@" not in text and "@here" not in text, text


def test_a_forged_signature_writes_nothing(client, slack):
    library = client.app.state.library
    for n in range(30):
        body = json.dumps({"type": "event_callback", "event_id": f"Ev-forged-{n}"})
        headers = {"content-type": "application/json",
                   **sign(body, secret="not-the-secret")}  # fmt: skip
        assert client.post("/slack/events", content=body, headers=headers).status_code == 401
        signature = headers["X-Slack-Signature"]
        assert not library.stores.register.seen(f"signature:{signature}")
        assert not library.stores.register.seen(f"Ev-forged-{n}")
