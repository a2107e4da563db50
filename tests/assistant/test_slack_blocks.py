"""Block Kit rendering: document text can never notify, mention or link anyone."""

from __future__ import annotations

import json

from review_assistant.ingest.types import SectionKind
from review_assistant.models import Answer, Citation
from review_assistant.slack.blocks import answer_blocks, escape, mrkdwn, sources_blocks

HOSTILE = (
    "Staff <!channel> <!here|here> <!everyone> <@U123> <!subteam^S1> <https://x.io|click> @here"
)


def citation(n: int, quote: str) -> Citation:
    return Citation(
        chunk_id="c", text=quote, document="d.txt", title="T", review="Child <!here>",
        review_id="child", section=SectionKind.response, page=1, page_end=1, start=0,
        end=len(quote), score=1.0, n=n, quote=quote, quote_start=0, quote_end=len(quote),
    )  # fmt: skip


def assert_inert(payload: str) -> None:
    for raw in (
        "<!channel>",
        "<!here",
        "<!everyone>",
        "<@U123>",
        "<!subteam",
        "<https://",
        "@here",
    ):
        assert raw not in payload, raw


def test_escape_and_mrkdwn():
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert mrkdwn("**Police**: <!here>") == "*Police*: &lt;!here&gt;"
    assert escape("email me @ home, @Here now") == "email me @ home, @\u200bHere now"


def test_blocks_and_fallback_text_are_inert():
    answer = Answer(answer=f"{HOSTILE} [1]", citations=[citation(1, HOSTILE)])
    blocks, text = answer_blocks(answer, "a1", share=True)
    assert_inert(json.dumps(blocks))
    assert_inert(text)
    assert "Staff" in text
    abstained = Answer(answer=HOSTILE, abstained=True)
    blocks, text = answer_blocks(abstained, "a2")
    assert_inert(json.dumps(blocks) + text)
    assert_inert(json.dumps(sources_blocks([citation(1, HOSTILE)])))
