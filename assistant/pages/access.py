"""Access to the web page: a signed, HttpOnly, SameSite=Strict cookie instead of a key per
request, and a CSRF token in every form.

The cookie holds the session's CSRF token and whether an API key was given. It is signed
with a secret derived from API_KEYS (so changing the keys ends every session) and expires
after `max_age`. Without API_KEYS the page is open, as the API is, but forms still carry the
token."""

from __future__ import annotations

import hashlib
import secrets
from http.cookies import SimpleCookie

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "review_session"


class WebAccess:
    def __init__(self, keys: list[str], max_age: int = 12 * 3600) -> None:
        self.keys = keys
        self.max_age = max_age
        secret = hashlib.sha256(("\n".join(sorted(keys)) or "open").encode()).hexdigest()
        self._serializer = URLSafeTimedSerializer(secret, salt="review-assistant-web")

    @property
    def required(self) -> bool:
        return bool(self.keys)

    def key_is_valid(self, key: str) -> bool:
        return any([secrets.compare_digest(key.encode(), k.encode()) for k in self.keys])

    def new_session(self, authenticated: bool) -> dict:
        return {"csrf": secrets.token_urlsafe(24), "auth": authenticated}

    def dump(self, session: dict) -> str:
        return self._serializer.dumps(session)

    def load(self, value: str | None) -> dict | None:
        if not value:
            return None
        try:
            session = self._serializer.loads(value, max_age=self.max_age)
        except BadSignature:  # tampered with, signed with other keys, or expired
            return None
        return session if isinstance(session, dict) else None

    def from_cookie_header(self, header: str) -> dict | None:
        cookies = SimpleCookie()
        try:
            cookies.load(header)
        except Exception:  # a malformed Cookie header counts as none
            return None
        morsel = cookies.get(COOKIE)
        return self.load(morsel.value if morsel else None)

    def allows(self, session: dict | None) -> bool:
        return not self.required or bool(session and session.get("auth"))

    def csrf_ok(self, session: dict | None, token: str | None) -> bool:
        return bool(session and token and secrets.compare_digest(session["csrf"], token))
