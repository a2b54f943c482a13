"""Who is asking: sessions, local accounts or the reverse proxy's user, CSRF tokens, languages.

Every visitor gets a server-side session (the cookie holds a random token, the database only
its hash) carrying the CSRF token that every form and upload must send back. Who the visitor
is comes from one of three places, fixed at start:

- `auth = "accounts"`: the account the session logged in with;
- `auth = "proxy"`: the configured header, believed only from the trusted proxy addresses;
- on loopback with no account created yet: the local user, so a laptop works at once
  (`serve` refuses any other address until an account exists).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .settings import Binding, ServeSettings
from .store import Session, WebStore
from .words import LANGUAGES

SESSION_COOKIE = "dd_session"
LANG_COOKIE = "dd_lang"
LOCAL_USER = "local"


@dataclass
class Visitor:
    account: str | None
    session: Session
    lang: str  # the page's language
    chosen_lang: str | None  # the language the visitor picked (reports follow the document otherwise)
    new_token: str | None = None  # a session cookie to set on the response
    secure: bool = False  # HTTPS: cookies get the Secure flag
    open_access: bool = False  # loopback without accounts

    @property
    def csrf(self) -> str:
        return self.session.csrf

    def keep(self, response: Response) -> Response:
        """Set the session cookie on `response` when the session is new."""
        if self.new_token is not None:
            response.set_cookie(SESSION_COOKIE, self.new_token, httponly=True, samesite="strict", secure=self.secure,
                                path="/")
        return response


class Gate:
    def __init__(self, settings: ServeSettings, store: WebStore, binding: Binding) -> None:
        self.settings = settings
        self.store = store
        self.binding = binding
        self.max_idle = float(settings["session-hours"]) * 3600

    @property
    def proxy(self) -> bool:
        return bool(self.settings["auth"] == "proxy")

    def open_access(self) -> bool:
        return not self.proxy and self.binding.loopback and not self.store.accounts()

    def client(self, request: Request) -> str:
        return request.client.host if request.client else ""

    def _secure(self, request: Request) -> bool:
        if request.url.scheme == "https":
            return True
        return (self.client(request) in self.settings["trusted-proxies"]
                and request.headers.get("x-forwarded-proto", "").lower() == "https")

    def visitor(self, request: Request) -> Visitor:
        token = request.cookies.get(SESSION_COOKIE)
        session = self.store.session(token, self.max_idle) if token else None
        new_token = None
        open_access = False
        if self.proxy:
            account = self._proxy_user(request)
        elif self.open_access():
            account, open_access = LOCAL_USER, True
        else:
            account = session.account if session is not None else None
        if session is None or (account is not None and session.account != account):
            new_token, session = self.store.new_session(account)
        chosen = request.cookies.get(LANG_COOKIE)
        chosen = chosen if chosen in LANGUAGES else None
        return Visitor(account=account, session=session, lang=chosen or _accepted(request), chosen_lang=chosen,
                       new_token=new_token, secure=self._secure(request), open_access=open_access)

    def _proxy_user(self, request: Request) -> str | None:
        if self.client(request) not in self.settings["trusted-proxies"]:
            return None
        user = request.headers.get(self.settings["user-header"], "").strip()
        return user[:200] or None

    def log_in(self, visitor: Visitor, account: str) -> Visitor:
        """A new session for the account (never the pre-login one: no session fixation)."""
        self.store.end_session(visitor.session.token_hash)
        token, session = self.store.new_session(account)
        visitor.account, visitor.session, visitor.new_token = account, session, token
        return visitor

    def log_out(self, visitor: Visitor) -> Visitor:
        self.store.end_session(visitor.session.token_hash)
        token, session = self.store.new_session(None)
        visitor.account, visitor.session, visitor.new_token = None, session, token
        return visitor


def same_token(given: Any, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


def same_origin(request: Request) -> bool:
    """A POST from another site's page is refused even before its token is looked at."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def _accepted(request: Request) -> str:
    """The first of nl, fr, en the browser asks for; Dutch when it asks for none of them."""
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "nl"


def safe_next(target: str | None) -> str:
    """A local path to return to after login or a language switch; never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
