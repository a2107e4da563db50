"""Access to the web page: a signed, HttpOnly, SameSite=Strict cookie (Secure behind HTTPS)
instead of a key per request, and a CSRF token in every form.

The cookie holds a session id, the session's CSRF token and whether an API key was given. It
is signed with a random secret kept in the data directory, salted with the keys (so changing
the keys ends every session, and a stolen cookie tells nothing about them), expires after
`max_age`, and ends at logout: a logged-out session id is refused by every process sharing
the library. Without API_KEYS the page is open, as the API is, but forms still carry the
token."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from http.cookies import SimpleCookie

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "review_session"


class WebAccess:
    def __init__(
        self, keys: list[str], secret: bytes, secure: bool = False,
        ended: Callable[[str], bool] = lambda sid: False, max_age: int = 12 * 3600,
    ) -> None:  # fmt: skip
        self.keys = keys
        self.max_age = max_age
        self.secure = secure
        self.ended = ended  # whether a session id was logged out
        keyed = hashlib.sha256(("\n".join(sorted(keys)) or "open").encode()).hexdigest()
        self._serializer = URLSafeTimedSerializer(secret, salt=f"review-assistant-web:{keyed}")
        self._sealer = URLSafeTimedSerializer(secret, salt=f"review-assistant-answer:{keyed}")

    @property
    def required(self) -> bool:
        return bool(self.keys)

    def key_is_valid(self, key: str) -> bool:
        return any([secrets.compare_digest(key.encode(), k.encode()) for k in self.keys])

    def new_session(self, authenticated: bool) -> dict:
        return {"sid": secrets.token_urlsafe(16), "csrf": secrets.token_urlsafe(24),
                "auth": authenticated}  # fmt: skip

    def dump(self, session: dict) -> str:
        return self._serializer.dumps(session)

    def load(self, value: str | None) -> dict | None:
        if not value:
            return None
        try:
            session = self._serializer.loads(value, max_age=self.max_age)
        except BadSignature:  # tampered with, signed with other keys, or expired
            return None
        if not isinstance(session, dict) or self.ended(str(session.get("sid", ""))):
            return None
        return session

    def seal(self, data: dict) -> str:
        """Data a form carries back (an answer given) that this server alone can have
        written, so nothing needs keeping until the form returns."""
        return self._sealer.dumps(data)

    def unseal(self, token: str) -> dict | None:
        try:
            data = self._sealer.loads(token, max_age=self.max_age)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None

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
