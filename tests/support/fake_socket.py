"""A fake Socket Mode endpoint: a websocket server on 127.0.0.1 that greets the client, sends
it envelopes, and records the acknowledgements it sends back."""

from __future__ import annotations

import asyncio
import json
import threading

import websockets


class FakeSocketMode:
    def __init__(self, envelopes: list[dict]) -> None:
        self.envelopes = envelopes
        self.acks: list[dict] = []
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.url = ""

    async def _handler(self, connection) -> None:
        await connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        for envelope in self.envelopes:
            await connection.send(json.dumps(envelope))
        try:
            async for message in connection:
                self.acks.append(json.loads(message))
        except websockets.ConnectionClosed:
            pass

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def main() -> None:
            self._server = await websockets.serve(self._handler, "127.0.0.1", 0)
            port = self._server.sockets[0].getsockname()[1]
            self.url = f"ws://127.0.0.1:{port}/"
            self._ready.set()
            await self._server.wait_closed()

        self._loop.run_until_complete(main())

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._thread.join(10)
