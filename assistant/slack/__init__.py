"""The Slack bot (slack-bolt): answers in threads and DMs, `/review`, feedback and sharing,
over the Events API (`events`) or Socket Mode (`review-assistant slack`)."""
