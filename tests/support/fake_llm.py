"""A small OpenAI-compatible chat server on 127.0.0.1 for tests: it replies what the test sets
and records every request it receives."""

from __future__ import annotations

import json
import time

from tests.support.fake_http import LoopbackServer, QuietHandler


class FakeLLM(LoopbackServer):
    def __init__(self) -> None:
        self.reply = "NOT IN THE DOCUMENTS"
        self.delay = 0.0
        self.status = 200
        self.requests: list[dict] = []
        fake = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"path": self.path, "body": body})
                time.sleep(fake.delay)
                if fake.status != 200:
                    self.send_json(fake.status, {"error": {"message": "model overloaded"}})
                    return
                # a reply may depend on the prompt (e.g. which number a passage was given)
                content = fake.reply(body) if callable(fake.reply) else fake.reply
                self.send_json(
                    200,
                    {
                        "id": "chatcmpl-test",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

        super().__init__(Handler)
        self.url = f"{self.base}/v1"
