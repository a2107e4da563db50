"""A small OpenAI-compatible chat server on 127.0.0.1 for tests: it replies what the test sets
and records every request it receives. Streamed requests get the reply word by word, with
`token_delay` seconds between words, and the server notes when the client hangs up."""

from __future__ import annotations

import json
import re
import threading
import time

from tests.support.fake_http import LoopbackServer, QuietHandler


class FakeLLM(LoopbackServer):
    def __init__(self) -> None:
        self.reply = "NOT IN THE DOCUMENTS"
        self.delay = 0.0
        self.status = 200
        self.requests: list[dict] = []
        self.token_delay = 0.0
        self.words_sent = 0
        self.hung_up = threading.Event()  # a streaming client closed the connection early
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
                if body.get("stream"):
                    self.stream(content)
                    return
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

            def stream(self, content: str) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                words = re.findall(r"\S+\s*", content)
                try:
                    for word in words:
                        self.event({"content": word}, None)
                        fake.words_sent += 1
                        time.sleep(fake.token_delay)
                    self.event({}, "stop")
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    fake.hung_up.set()

            def event(self, delta: dict, finish: str | None) -> None:
                chunk = {
                    "id": "chatcmpl-test", "object": "chat.completion.chunk",
                    "created": int(time.time()), "model": "fake",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                }  # fmt: skip
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()

        super().__init__(Handler)
        self.url = f"{self.base}/v1"
