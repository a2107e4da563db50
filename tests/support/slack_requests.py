"""Requests as Slack sends them: signed with the app's signing secret, to `/slack/events`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

SECRET = "test-signing-secret"


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def mention(text: str, ts: str, **extra) -> dict:
    return {"type": "app_mention", "user": "U1", "channel": "C1", "ts": ts, "text": text} | extra


def user_message(text: str, ts: str, **extra) -> dict:
    return {"type": "message", "ts": ts, "text": text} | extra


def post_event(client, event: dict, event_id: str, headers: dict | None = None, **sign_args):
    body = json.dumps(
        {
            "token": "x",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
    )
    signed = sign(body, **sign_args)
    return client.post(
        "/slack/events",
        content=body,
        headers={"content-type": "application/json", **signed, **(headers or {})},
    )


def post_form(client, fields: dict):
    body = urlencode(fields)
    return client.post(
        "/slack/events",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded", **sign(body)},
    )


def blocks_text(message: dict) -> str:
    blocks = message["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return json.dumps(blocks)
