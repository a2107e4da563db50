"""Serving: the HTTP app composed from the front ends (`create_app`), and the Slack bot over
Socket Mode (`run_slack`). The one place that puts front ends together."""

from __future__ import annotations

from review_assistant.server.app import create_app as create_app


def run_slack(settings) -> None:
    """The Slack bot over Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from review_assistant.library import Library
    from review_assistant.slack.bot import SlackBot

    try:
        bot = SlackBot(settings.slack, Library(settings))
    except Exception as exc:  # Bolt checks the token with Slack at once
        raise SystemExit(f"Slack could not be reached or refused the bot's token: {exc}") from None
    SocketModeHandler(bot.app, settings.slack.app_token).start()
