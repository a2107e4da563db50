"""A fake Slack Web API (and response_url endpoint) on 127.0.0.1 that records every call."""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import parse_qs

from tests.support.fake_http import LoopbackServer, QuietHandler


class FakeSlack(LoopbackServer):
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.thread_messages: list[dict] = []
        self.socket_url = ""
        self._lock = threading.Lock()
        fake = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
                if "json" in self.headers.get("content-type", ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                path = self.path.split("?")[0]
                with fake._lock:
                    fake.calls.append((path, params))
                method = path.rsplit("/", 1)[-1]
                reply: dict = {"ok": True}
                if method == "auth.test":
                    reply |= {"team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT", "user": "bot"}
                elif method == "chat.postMessage":
                    reply |= {"channel": params.get("channel"), "ts": f"{time.time():.6f}"}
                elif method == "conversations.replies":
                    reply |= {"messages": fake.thread_messages, "has_more": False}
                elif method == "apps.connections.open":
                    reply |= {"url": fake.socket_url}
                self.send_json(200, reply)

        super().__init__(Handler)
        self.api_url = f"{self.base}/api/"

    def of(self, method: str) -> list[dict]:
        with self._lock:
            return [params for path, params in self.calls if path.endswith(method)]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 30.0, channel: str | None = None
    ) -> list[dict]:
        """The calls to `method` (to `channel`, if given), once there are `count` of them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.of(method) if channel is None or c.get("channel") == channel]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} call(s) to {method}, got {self.calls!r}")
