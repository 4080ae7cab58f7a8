"""The login that survives a reload: a signed, expiring, HttpOnly cookie (no Streamlit here).

A Streamlit script runs behind a websocket and cannot set a cookie, and one set by JavaScript
could not be HttpOnly. So a correct password login in the page hands the browser a one-time
ticket (random, 60 seconds, used once) and sends it to the route ``/_duban/login`` of
``dashboard/server.py``, which redeems it and sets the cookie. Every later page load reads the
cookie from ``st.context.cookies``.

The cookie holds the username and a fingerprint of the account's password hash, signed with
itsdangerous under a secret key, and a timestamp: it is refused when forged or tampered with,
older than ``LOGIN_HOURS``, or when the password was changed or the account removed since.
The key is ``DUBAN_COOKIE_SECRET`` when set, else a random key kept in ``cookie.key`` beside the
accounts file (mode 0600, created on first use).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from dashboard.access.accounts import Account, accounts_path

COOKIE_NAME = "duban_login"
SECRET_ENV = "DUBAN_COOKIE_SECRET"
HOURS_ENV = "DUBAN_LOGIN_HOURS"
DEFAULT_HOURS = 12.0
TICKET_SECONDS = 60.0
LOGIN_PATH = "/_duban/login"
LOGOUT_PATH = "/_duban/logout"
_SALT = "duban-login"

# Set by dashboard/server.py while it serves (its lifespan): only then can a login set the cookie.
routes_mounted = False


def login_seconds() -> float:
    """How long a login lasts: ``DUBAN_LOGIN_HOURS`` (default 12 hours)."""
    try:
        hours = float(os.environ.get(HOURS_ENV) or DEFAULT_HOURS)
    except ValueError:
        hours = DEFAULT_HOURS
    return max(hours, 0.0) * 3600


def secret_key(accounts_file: str | os.PathLike[str] | None = None) -> str:
    """The signing key: the setting, else the key file beside the accounts (created once, 0600)."""
    configured = os.environ.get(SECRET_ENV)
    if configured:
        return configured
    file = accounts_path(accounts_file).with_name("cookie.key")
    try:
        return file.read_text(encoding="utf-8").strip() or _new_key(file)
    except FileNotFoundError:
        return _new_key(file)


def _new_key(file: Path) -> str:
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return file.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def _fingerprint(account: Account) -> str:
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def _serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=_SALT)


def issue(account: Account, key: str) -> str:
    """The cookie value for a login of ``account``."""
    return _serializer(key).dumps({"u": account.username, "f": _fingerprint(account)})


def account_from(value: str | None, accounts: Mapping[str, Account], key: str,
                 max_age: float | None = None) -> Account | None:
    """The account a cookie value stands for, or None: forged, tampered, expired or out of date."""
    if not value or len(value) > 1000:
        return None
    try:
        claims = _serializer(key).loads(value, max_age=login_seconds() if max_age is None else max_age)
    except BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(claims, dict):
        return None
    account = accounts.get(str(claims.get("u")))
    if account is None or claims.get("f") != _fingerprint(account):
        return None
    return account


class Tickets:
    """One-time tickets from a page's login to the cookie route: random, short-lived, used once."""

    def __init__(self, lifetime: float = TICKET_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime, self.clock = lifetime, clock
        self._lock = threading.Lock()
        self._open: dict[str, tuple[str, float]] = {}

    def create(self, username: str) -> str:
        ticket = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._open = {t: v for t, v in self._open.items() if v[1] > now}
            self._open[ticket] = (username, now + self.lifetime)
        return ticket

    def redeem(self, ticket: str | None) -> str | None:
        """The username of a valid ticket (which is used up), else None."""
        with self._lock:
            found = self._open.pop(ticket or "", None)
        if found is None or found[1] <= self.clock():
            return None
        return found[0]


# One per process: the page (script thread) creates, the route (server loop) redeems.
TICKETS = Tickets()


def safe_next(target: str | None) -> str:
    """Where to go after the cookie route: a path of this site only, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
