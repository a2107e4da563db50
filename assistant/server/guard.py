"""What every HTTP request passes before the app sees its body (a pure ASGI middleware).

- The API key is checked from the headers alone, so an unauthenticated request is refused
  before a byte of its body is read or spooled.
- The body may not exceed its route's limit: a declared Content-Length over it is refused at
  once, and a body streamed without one is cut off as soon as it passes the limit.
- A state-changing request from a browser page of another origin is refused: a form on
  another site cannot upload or delete documents.
- The web page's paths take the page's signed session cookie instead of a key; a page asked
  for without one leads to the login page.
- A request naming a host that is not this service's (a DNS-rebinding page sending its own
  name, its Origin to match) is refused before any route, whatever its keys.
- Every answer says `nosniff`; pages and originals carry a Content-Security-Policy that lets
  nothing run or load from elsewhere.
- Keys cannot be guessed at speed: a client whose keys (or logins) fail too often in a
  minute is answered 429 with Retry-After until the minute has passed.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from limits import parse, storage, strategies
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class PageAccess:
    """Which paths are the web page's, and the access rules (pages.access.WebAccess) for them."""

    is_page: Callable[[str], bool]
    access: Any


class KeyFailures:
    """Failed keys and logins per client, in a moving window (the `limits` library)."""

    def __init__(self, per_minute: int) -> None:
        self.rate = parse(f"{per_minute}/minute")
        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def allowed(self, client: str) -> bool:
        return self._limiter.test(self.rate, "failed-key", client)

    def failed(self, client: str) -> None:
        self._limiter.hit(self.rate, "failed-key", client)

    def retry_after(self, client: str) -> int:
        reset = self._limiter.get_window_stats(self.rate, "failed-key", client).reset_time
        return max(1, int(reset - time.time()) + 1)


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        keys: list[str],
        open_paths: set[str],
        body_limit: Callable[[str], int],
        page: PageAccess | None = None,
        allowed_hosts: list[str] | None = None,
        failures: KeyFailures | None = None,
    ) -> None:
        self.app = app
        self.keys = keys
        self.open_paths = open_paths
        self.body_limit = body_limit
        self.page = page
        hosts = {h.strip().lower().strip("[]") for h in allowed_hosts or ["*"]}
        self.any_host = "*" in hosts
        self.allowed_hosts = hosts
        self.failures = failures or KeyFailures(per_minute=10)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path, method = scope["path"], scope["method"]
        if not self.any_host and _hostname(headers.get("host", "")) not in self.allowed_hosts:
            await _refuse(send, 400, "unknown host: set REVIEW_ASSISTANT_ALLOWED_HOSTS to serve it")
            return
        if method in _UNSAFE and not _same_origin(headers):
            await _refuse(send, 403, "cross-origin requests may not change the library")
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        login = method == "POST" and path == "/login"
        guarded = self.keys and (login or path not in self.open_paths)
        if guarded and not self.failures.allowed(client):
            wait = self.failures.retry_after(client)
            await _refuse(send, 429, f"too many failed keys; try again in {wait} s", wait)
            return
        if self.keys and path not in self.open_paths:
            if self.page and self.page.is_page(path):
                session = self.page.access.from_cookie_header(headers.get("cookie", ""))
                if not self.page.access.allows(session):
                    if method == "GET":
                        await _redirect(send, f"/login?next={quote(path)}")
                    else:
                        await _refuse(send, 401, "log in to the page first")
                    return
            elif not self._authorised(headers):
                if headers.get("authorization"):  # a wrong key, not a forgotten one
                    self.failures.failed(client)
                await _refuse(send, 401, "missing or invalid API key (Authorization: Bearer <key>)")
                return
        limit = self.body_limit(path)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, 413, f"request body larger than {_size(limit)}")
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        policy = _policy(path, self.page)

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if login and message["status"] == 401:  # the login page refused the key
                    self.failures.failed(client)
                extra = [(b"x-content-type-options", b"nosniff")]
                if policy:
                    extra.append((b"content-security-policy", policy))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await _refuse(send, 413, f"request body larger than {_size(limit)}")

    def _authorised(self, headers: dict[str, str]) -> bool:
        header = headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        # compare with every key, in constant time, so timing reveals nothing
        return any([secrets.compare_digest(token.encode(), k.encode()) for k in self.keys])


# pages load only their own stylesheet and post only to themselves; an original is a
# download, never a document that runs
_PAGE_POLICY = (
    b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    b"frame-ancestors 'none'; base-uri 'none'"
)
_ORIGINAL_POLICY = b"default-src 'none'; sandbox"


def _policy(path: str, page: PageAccess | None) -> bytes | None:
    if path.startswith("/original/"):
        return _ORIGINAL_POLICY
    if page is not None and page.is_page(path):
        return _PAGE_POLICY
    return None


def _hostname(host: str) -> str:
    """A Host header's name, without its port ("[::1]:8000" is "::1")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same_origin(headers: dict[str, str]) -> bool:
    """No Origin header (not a browser, or a same-origin GET) or one naming this host."""
    origin = headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


def _size(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit / 1000:g} kB"


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode("latin-1")), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _refuse(send: Send, status: int, message: str, retry_after: int | None = None) -> None:
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    # the body is never read: the connection is closed after the answer
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
