"""The request guard, as ASGI and over a real socket: auth and size decided before the body."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import pytest
import uvicorn

from review_assistant.server.guard import PageAccess, RequestGuard
from tests.support.fake_http import free_port


async def echo_app(scope, receive, send):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(len(body)).encode()})


GUARD = RequestGuard(echo_app, keys=["k1"], open_paths={"/health"}, body_limit=lambda path: 100)


def call(method="POST", path="/ask", headers=None, chunks=(b"{}",)):
    """Run the guard on one request; return (status, body, how many body chunks it read)."""
    pulled = 0
    sent: list[dict] = []
    pieces = list(chunks)

    async def receive():
        nonlocal pulled
        pulled += 1
        body = pieces[pulled - 1] if pulled <= len(pieces) else b""
        return {"type": "http.request", "body": body, "more_body": pulled < len(pieces)}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "method": method, "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }  # fmt: skip
    asyncio.run(GUARD(scope, receive, send))
    status = sent[0]["status"]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return status, body, pulled


AUTH = {"Authorization": "Bearer k1"}


def test_no_key_is_refused_before_the_body_is_read():
    status, body, pulled = call(headers={"content-length": "999999999"})
    assert (status, pulled) == (401, 0)
    assert json.loads(body)["error"]["status"] == 401
    assert call(headers={"Authorization": "Bearer nope"})[0] == 401
    assert call(headers={"Authorization": "k1"})[0] == 401  # the scheme is required


def test_open_paths_need_no_key():
    assert call("GET", "/health", chunks=(b"",))[0] == 200


def test_a_declared_body_over_the_limit_is_refused_unread():
    status, body, pulled = call(headers=AUTH | {"content-length": "101"})
    assert (status, pulled) == (413, 0) and b"larger than 0.1 kB" in body


def test_a_streamed_body_is_cut_off_at_the_limit():
    status, _, pulled = call(headers=AUTH, chunks=[b"x" * 60] * 50)
    assert (status, pulled) == (413, 2)
    assert call(headers=AUTH, chunks=[b"x" * 50, b"x" * 50]) == (200, b"100", 2)


def test_cross_origin_changes_are_refused():
    evil = AUTH | {"origin": "https://evil.example", "host": "127.0.0.1:8000"}
    assert call(headers=evil)[0] == 403
    same = AUTH | {"origin": "http://127.0.0.1:8000", "host": "127.0.0.1:8000"}
    assert call(headers=same)[0] == 200
    assert call("GET", "/reviews", headers=evil, chunks=(b"",))[0] == 200  # reading is fine


@pytest.fixture
def server():
    """The guard in front of the echo app under a real uvicorn on 127.0.0.1."""
    port = free_port()
    config = uvicorn.Config(GUARD, host="127.0.0.1", port=port, log_level="error")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    yield port
    running.should_exit = True
    thread.join(timeout=10)


def test_a_huge_unauthenticated_upload_is_answered_before_it_is_sent(server):
    """Only the headers of a 200 MB request are sent; the answer must come without the body."""
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(
            b"POST /documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 200000000\r\n\r\n"
        )
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 401")


def test_a_host_not_allowed_is_refused_before_any_route_even_with_a_matching_origin():
    from fastapi.testclient import TestClient

    from review_assistant.server import create_app
    from review_assistant.settings import Settings

    settings = Settings(REVIEW_ASSISTANT_ALLOWED_HOSTS="localhost,127.0.0.1")
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/health").status_code == 200
        rebound = {"Host": "attacker.example:8000", "Origin": "http://attacker.example:8000"}
        for method, path in (("GET", "/reviews"), ("DELETE", "/documents/x.txt"), ("GET", "/")):
            refused = client.request(method, path, headers=rebound)
            assert refused.status_code == 400, (method, path)
            assert "unknown host" in refused.json()["error"]["message"]
        assert client.get("/health", headers={"Host": "[::1]:8000"}).status_code == 400
        assert client.get("/health", headers={"Host": "LOCALHOST:8000"}).status_code == 200


def test_every_answer_says_nosniff_and_pages_and_originals_carry_a_policy():
    guard = RequestGuard(
        echo_app, keys=[], open_paths=set(), body_limit=lambda path: 100,
        page=PageAccess(lambda path: path.startswith("/review/"), access=None),
    )  # fmt: skip

    def headers_of(path: str) -> dict[bytes, bytes]:
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "headers": []}
        asyncio.run(guard(scope, receive, send))
        return dict(sent[0]["headers"])

    assert headers_of("/reviews")[b"x-content-type-options"] == b"nosniff"
    assert b"content-security-policy" not in headers_of("/reviews")
    assert b"script-src" not in headers_of("/review/x")[b"content-security-policy"]
    assert b"default-src 'none'" in headers_of("/review/x")[b"content-security-policy"]
    assert b"sandbox" in headers_of("/original/x.pdf")[b"content-security-policy"]
