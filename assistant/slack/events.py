"""Slack's Events API over HTTP (`/slack/events`), for a workspace that posts to the server
rather than using Socket Mode."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from slack_bolt.adapter.starlette import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from review_assistant.library import Library
from review_assistant.settings import SlackConfig
from review_assistant.slack.bot import SlackBot

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Endpoint:
    handler: SlackRequestHandler
    verifier: SignatureVerifier


def endpoint(config: SlackConfig, library: Library) -> Endpoint | None:
    """The configured bot's endpoint, or None when Slack is not configured."""
    if not (config.bot_token and config.signing_secret):
        return None
    bot = SlackBot(config, library)
    return Endpoint(SlackRequestHandler(bot.app), SignatureVerifier(config.signing_secret))


@router.post("/slack/events")
async def slack_events(request: Request):
    slack: Endpoint | None = request.app.state.slack
    if slack is None:
        raise HTTPException(404, "Slack is not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)")
    # the signature is checked before anything is written, so forged requests cost nothing
    body = await request.body()
    if not slack.verifier.is_valid_request(body, dict(request.headers)):
        raise HTTPException(401, "invalid Slack signature")
    # A signed request is valid for five minutes; one seen before is a replay (Slack's own
    # retries of events are caught by their event id, and it never retries commands).
    signature = request.headers.get("x-slack-signature")
    if signature and not request.app.state.library.first_sighting(f"signature:{signature}"):
        return JSONResponse({}, status_code=200)
    return await slack.handler.handle(request)
