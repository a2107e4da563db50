"""Answers as Slack Block Kit messages, within Slack's limits."""

from __future__ import annotations

import re

from review_assistant.models import Answer, Passage

_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.I)
SECTION_LIMIT = 3000  # characters of text in one section block
BLOCK_LIMIT = 50  # blocks in one message
MAX_SOURCES = 8
QUOTE_LIMIT = 280
TRIMMED = "… _(answer trimmed; the sources below hold the rest)_"
NO_ANSWER = ":mag: *No answer in the reviews.*"
FAILURE = (
    ":warning: Sorry, something went wrong while answering that. Please try again in a moment."
)


def escape(text: str) -> str:
    """Document text made inert for Slack: its control characters escaped, so `<!channel>`,
    `<@U123>` or a link written in a document never notifies or links anyone, and the words
    "@here", "@channel" and "@everyone" broken so no client links them either."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u200b\\1", text)


def mrkdwn(text: str) -> str:
    """Markdown bold (**x**) as Slack's bold (*x*), after escaping."""
    return re.sub(r"\*\*(.+?)\*\*", r"*\1*", escape(text))


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(TRIMMED)].rstrip() + TRIMMED


def source_line(n: int, passage: Passage, quote: str) -> str:
    quote = " ".join(quote.split())
    if len(quote) > QUOTE_LIMIT:
        quote = quote[: QUOTE_LIMIT - 1].rstrip() + "…"
    return f"*[{n}]* {mrkdwn(passage.location())}\n> {mrkdwn(quote)}"


def answer_blocks(answer: Answer, answer_id: str, share: bool = False) -> tuple[list[dict], str]:
    """The blocks of an answer message, and its plain-text fallback for notifications."""
    body = mrkdwn(answer.answer)
    if answer.abstained:
        blocks = [_section(f"{NO_ANSWER}\n{_clip(body, SECTION_LIMIT - len(NO_ANSWER) - 1)}")]
    else:
        blocks = [_section(_clip(body, SECTION_LIMIT))]
    if answer.note:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(answer.note)}]}
        )
    if answer.citations:
        blocks.append({"type": "divider"})
        blocks.append(_section("*Sources*"))
        for citation in answer.citations[:MAX_SOURCES]:
            blocks.append(_section(source_line(citation.n, citation, citation.quote)))
        hidden = len(answer.citations) - MAX_SOURCES
        if hidden > 0:
            blocks.append(_context(f"…and {hidden} more source(s): press *More sources*."))
    blocks.append(actions(answer_id, share))
    return blocks[:BLOCK_LIMIT], escape(answer.answer[:SECTION_LIMIT])


def actions(answer_id: str, share: bool) -> dict:
    buttons = [
        _button(":+1:", "feedback_up", answer_id),
        _button(":-1:", "feedback_down", answer_id),
        _button("More sources", "more_sources", answer_id),
    ]
    if share:
        buttons.append(_button("Share in channel", "share_answer", answer_id, style="primary"))
    return {"type": "actions", "block_id": "answer_actions", "elements": buttons}


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def sources_blocks(passages: list[Passage]) -> list[dict]:
    """More sources for a question: the top passages, each with where it comes from."""
    if not passages:
        return [_section("No further sources found.")]
    blocks = [_section("*More sources*")]
    for n, passage in enumerate(passages[: BLOCK_LIMIT - 1], 1):
        blocks.append(_section(source_line(n, passage, passage.text)))
    return blocks


def failure_blocks() -> list[dict]:
    return [_section(FAILURE)]
