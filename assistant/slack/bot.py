"""The Slack bot (slack-bolt): mentions, direct messages, /review, feedback and sharing.

Bolt acknowledges every request within Slack's three seconds and runs these listeners after;
an event Slack retries (X-Slack-Retry-Num) is answered only once, by its event id.
"""

from __future__ import annotations

import logging
import re
import time

from slack_bolt import App
from slack_sdk import WebClient

from review_assistant.errors import NotFound
from review_assistant.ingest import recids
from review_assistant.library import Library
from review_assistant.models import FILTER_CHARS, Answer, AskRequest, Filters, Mode
from review_assistant.settings import SlackConfig
from review_assistant.slack.blocks import answer_blocks, escape, failure_blocks, sources_blocks

log = logging.getLogger(__name__)
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
PLACEHOLDER = "Looking in the review documents…"
UPDATE_INTERVAL = 1.0  # seconds between updates of a message being written (Slack's rate)
USAGE = (
    "Ask the reviews: `/review <question>`, `/review commitments <review> <recommendation>` "
    "or `/review learning <theme>`."
)


def clean(text: str) -> str:
    """A message's question: mentions removed, Slack's escapes undone."""
    text = _MENTION.sub("", text or "")
    return " ".join(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split())


def parse_command(text: str) -> AskRequest | None:
    """`/review …` arguments as a request; None when there is nothing to ask."""
    words = text.split()
    if not words:
        return None
    head, rest = words[0].lower(), words[1:]
    if head == "commitments" and rest:
        rec = recids.argument(rest[-1])
        if rec and len(rest) > 1:
            review = " ".join(rest[:-1])[:FILTER_CHARS]  # no review's name is longer
            return AskRequest(
                question=f"What was committed to recommendation {rec} of the {review} review?",
                mode=Mode.commitments,
                filters=Filters(review=review, recommendation=rec),
            )
        return AskRequest(question=" ".join(rest), mode=Mode.commitments)
    if head in {"learning", "learning_points"} and rest:
        return AskRequest(question=" ".join(rest), mode=Mode.learning_points)
    return AskRequest(question=" ".join(words))


class SlackBot:
    def __init__(self, config: SlackConfig, library: Library) -> None:
        self.library = library
        client = WebClient(
            token=config.bot_token, base_url=config.api_base_url or WebClient.BASE_URL
        )
        self.app = App(
            client=client,
            signing_secret=config.signing_secret,
            request_verification_enabled=bool(config.signing_secret),
        )
        self.app.event("app_mention")(self.on_mention)
        self.app.event("message")(self.on_message)
        self.app.command("/review")(self.on_command)
        self.app.action("feedback_up")(self.on_feedback)
        self.app.action("feedback_down")(self.on_feedback)
        self.app.action("more_sources")(self.on_more_sources)
        self.app.action("share_answer")(self.on_share)

    # -- events -----------------------------------------------------------------------------
    def on_mention(self, event: dict, body: dict, client: WebClient) -> None:
        if not self._first(body):
            return
        thread = event.get("thread_ts") or event["ts"]
        self._answer_in(client, event, thread)

    def on_message(self, event: dict, body: dict, client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # channel chatter; mentions arrive as app_mention
        if not self._first(body):
            return
        self._answer_in(client, event, event.get("thread_ts"))

    def _first(self, body: dict) -> bool:
        event_id = body.get("event_id")
        return event_id is None or self.library.first_sighting(event_id)

    def _answer_in(self, client: WebClient, event: dict, thread: str | None) -> None:
        channel = event["channel"]
        try:
            request = self._with_thread_context(client, event, clean(event.get("text", "")))
            if not request.question:
                client.chat_postMessage(channel=channel, thread_ts=thread, text=USAGE)
                return
            if not self.library.streams:
                blocks, text = self._answer(request)
                client.chat_postMessage(channel=channel, thread_ts=thread, blocks=blocks, text=text)
            else:
                self._answer_streaming(client, channel, thread, request)
        except Exception:
            log.exception("could not answer Slack message %s in %s", event.get("ts"), channel)
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread,
                blocks=failure_blocks(),
                text="Sorry, that failed.",
            )

    def _with_thread_context(self, client: WebClient, event: dict, question: str) -> AskRequest:
        """A follow-up in a thread keeps the review, recommendation and mode asked about before."""
        if not event.get("thread_ts") or not question:
            return AskRequest(question=question)
        replies = client.conversations_replies(channel=event["channel"], ts=event["thread_ts"])
        earlier = [
            clean(m.get("text", ""))
            for m in replies.get("messages", [])
            if float(m["ts"]) < float(event["ts"]) and not m.get("bot_id")
        ]
        return self.library.follow_up(question, earlier[-1] if earlier else None)

    def _answer(self, request: AskRequest, share: bool = False) -> tuple[list[dict], str]:
        return self._blocks(request, self.library.ask(request), share)

    def _blocks(self, request: AskRequest, answer: Answer, share: bool = False):
        answer_id = self.library.save_answer(request.question, answer)
        return answer_blocks(answer, answer_id, share=share)

    def _answer_streaming(
        self, client: WebClient, channel: str, thread: str | None, request: AskRequest
    ) -> None:
        """With a model: a placeholder at once, updated with each verified sentence as the
        model writes it (at most once a second, Slack's rate for updates), then the answer."""
        posted = client.chat_postMessage(channel=channel, thread_ts=thread, text=PLACEHOLDER)
        ts = posted["ts"]
        sentences: list[str] = []
        last_update = 0.0
        for event in self.library.stream(request):
            if event.answer is not None:
                blocks, text = self._blocks(request, event.answer)
                client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
                return
            sentences.append(event.text)
            if time.monotonic() - last_update >= UPDATE_INTERVAL:
                text = escape(" ".join(sentences))  # a document's mentions never notify anyone
                client.chat_update(channel=channel, ts=ts, text=f"{text} …")
                last_update = time.monotonic()

    # -- slash command ----------------------------------------------------------------------
    def on_command(self, ack, command: dict, respond) -> None:
        ack()
        request = parse_command(command.get("text", ""))
        if request is None:
            respond(response_type="ephemeral", text=USAGE)
            return
        try:
            blocks, text = self._answer(request, share=True)
        except Exception:
            log.exception("could not answer /review %r", command.get("text"))
            respond(response_type="ephemeral", blocks=failure_blocks(), text="Sorry, that failed.")
            return
        respond(response_type="ephemeral", blocks=blocks, text=text)

    # -- buttons ----------------------------------------------------------------------------
    def on_feedback(self, ack, body: dict, action: dict, respond) -> None:
        ack()
        value = "up" if action["action_id"] == "feedback_up" else "down"
        try:
            self.library.record_feedback(action["value"], body["user"]["id"], value)
        except NotFound:
            respond(response_type="ephemeral", replace_original=False,
                    text="That answer has expired; ask again.")  # fmt: skip
            return
        respond(response_type="ephemeral", replace_original=False, text="Thanks for the feedback.")

    def on_more_sources(self, ack, action: dict, respond) -> None:
        ack()
        try:
            question, _ = self.library.saved_answer(action["value"])
        except NotFound:
            passages = []
        else:
            passages = self.library.search(question, k=10)
        respond(response_type="ephemeral", replace_original=False, blocks=sources_blocks(passages),
                text="More sources")  # fmt: skip

    def on_share(self, ack, body: dict, action: dict, client: WebClient, respond) -> None:
        ack()
        try:
            _, answer = self.library.saved_answer(action["value"])
        except NotFound:
            respond(response_type="ephemeral", text="That answer has expired; ask again.")
            return
        blocks, text = answer_blocks(answer, action["value"], share=False)
        channel = (body.get("channel") or {}).get("id") or body["container"]["channel_id"]
        client.chat_postMessage(channel=channel, blocks=blocks, text=text)
        respond(delete_original=True)
