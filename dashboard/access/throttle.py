"""Password logins and how failures are limited: per name, per browser session, per client address, overall.

Why four counters. A lock per name alone lets an attacker try one password on many names (spraying);
a lock per browser session is escaped by opening a new session. So failures also count per client
address (20 in 15 minutes lock the address, whatever names it tries) and overall (100 in 15 minutes
across every client put the whole login into a guarded mode).

Why a name's lock is not absolute. If a locked name refused everyone, anybody who knows a name
could keep its owner out for good by failing five times every hour. So a client that has not
failed itself (its session and its address have no failures) may still log in to a locked name,
after a pause of a few seconds. Those pauses pass one at a time through one gate for the whole
process, so a locked name (or, in the guarded mode, every name) cannot be guessed faster than one
password per pause, however many sessions and addresses an attacker uses. A client that has failed
is refused until the lock ends; each new lock of the same key lasts twice as long, up to an hour.

When Streamlit does not know the client's address (on loopback it is None) the address counter is
simply absent; the others still hold. Behind a reverse proxy set ``DUBAN_CLIENT_IP_HEADER`` (e.g.
``X-Real-IP``) to the header the proxy writes, or every user shares the proxy's address.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher

from dashboard.access.accounts import Account, AccountError, verify_login

__all__ = ["CLIENT_IP_HEADER_ENV", "LoginResult", "LoginThrottle", "format_wait", "login"]

CLIENT_IP_HEADER_ENV = "DUBAN_CLIENT_IP_HEADER"
OVERALL = "all:"
# Failures within the window that lock a key, by the key's kind (the part before the colon).
LIMITS = {"user": 5, "session": 5, "addr": 20, "all": 100}


class LoginThrottle:
    """Counts failed logins per key and locks a key out for a while; thread-safe, one per process.

    Keys are ``kind:value`` (``user:haidong``, ``session:…``, ``addr:10.0.0.7``, ``all:``); the kind
    picks the limit from ``limits``. After that many failures within ``window`` seconds the key is
    locked for ``lockout`` seconds, doubling with every further lock-out up to ``max_lockout``. A
    success clears the keys it is given. ``clock`` and ``sleep`` are the test's to replace.
    """

    def __init__(self, max_failures: int | None = None, lockout: float = 60.0, max_lockout: float = 3600.0,
                 window: float = 900.0, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000, limits: dict[str, int] | None = None, pause: float = 3.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limits = dict(limits or LIMITS)
        self.max_failures = max_failures
        self.lockout, self.max_lockout, self.window = lockout, max_lockout, window
        self.clock, self.max_keys = clock, max_keys
        self.pause, self.sleep = pause, sleep
        self._lock = threading.Lock()
        self._gate = threading.Lock()
        # key -> [failures, first failure time, locked until, lock-outs so far]
        self._state: dict[str, list[float]] = {}

    def limit(self, key: str) -> int:
        if self.max_failures is not None:
            return self.max_failures
        return self.limits.get(key.split(":", 1)[0], LIMITS["user"])

    def wait(self, *keys: str | None) -> float:
        """Seconds until the most locked of ``keys`` may try again; 0 when none is locked."""
        now = self.clock()
        with self._lock:
            return max([0.0, *(self._state[k][2] - now for k in keys if k and k in self._state)])

    def locked(self, *keys: str | None) -> bool:
        return self.wait(*keys) > 0

    def failed(self, *keys: str | None) -> bool:
        """Has any of ``keys`` failures it has not yet lived down (counted, or locked)?"""
        now = self.clock()
        with self._lock:
            return any(k in self._state and (self._state[k][2] > now or (
                self._state[k][0] > 0 and now - self._state[k][1] <= self.window)) for k in keys if k)

    def failure(self, *keys: str | None) -> float:
        """Count a failure for every key; returns the lock-out it started (seconds), else 0."""
        now = self.clock()
        started = 0.0
        with self._lock:
            self._prune(now)
            for key in filter(None, keys):
                state = self._state.setdefault(key, [0, now, 0.0, 0])
                if now - state[1] > self.window and state[2] <= now:
                    state[0], state[1] = 0, now
                state[0] += 1
                if state[0] >= self.limit(key):
                    length = min(self.lockout * 2 ** state[3], self.max_lockout)
                    state[0], state[1], state[2], state[3] = 0, now, now + length, state[3] + 1
                    if not key.startswith(OVERALL):  # the overall lock is not the client's own
                        started = max(started, length)
        return started

    def remaining(self, *keys: str | None) -> int:
        """Failures left before the next lock-out of the nearest key."""
        now = self.clock()
        with self._lock:
            left = [self.limit(k) - int(self._state[k][0]) if now - self._state[k][1] <= self.window
                    else self.limit(k) for k in keys if k and k in self._state]
        return min(left, default=self.limit(next((k for k in keys if k), "user:")))

    def success(self, *keys: str | None) -> None:
        with self._lock:
            for key in filter(None, keys):
                self._state.pop(key, None)

    def paused(self) -> None:
        """Wait the pause, one caller at a time for the whole process."""
        with self._gate:
            self.sleep(self.pause)

    def _prune(self, now: float) -> None:
        if len(self._state) < self.max_keys:
            return
        for key in [k for k, s in self._state.items() if s[2] <= now and now - s[1] > self.window]:
            del self._state[key]
        while len(self._state) >= self.max_keys:  # still full of locked keys: drop the oldest
            del self._state[min(self._state, key=lambda k: self._state[k][1])]


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    account: Account | None = None
    message: str = ""


def format_wait(seconds: float) -> str:
    """A wait in Chinese words, rounded up: 45 秒, 2 分钟, 1 小时 5 分钟."""
    total = max(1, int(-(-seconds // 1)))
    if total < 60:
        return f"{total} 秒"
    minutes = -(-total // 60)
    if minutes < 60:
        return f"{minutes} 分钟"
    hours, rest = divmod(minutes, 60)
    return f"{hours} 小时" + (f" {rest} 分钟" if rest else "")


def _user_key(username: str) -> str:
    return "user:" + username.strip().casefold()


def _refused(wait: float) -> LoginResult:
    return LoginResult(False, None, f"登录失败次数过多，请 {format_wait(wait)}后再试")


def login(username: str, password: str, throttle: LoginThrottle, *, session_key: str | None = None,
          client: str | None = None, path: str | os.PathLike[str] | None = None,
          hasher: PasswordHasher | None = None) -> LoginResult:
    """Check a password login against the throttle and the accounts file; the message is Chinese.

    ``session_key`` names the browser session and ``client`` the client's address (None when unknown).
    """
    username = (username or "").strip()
    if not username or not password:
        return LoginResult(False, None, "请输入用户名和密码")
    name = _user_key(username)
    own = (f"session:{session_key}" if session_key else None, f"addr:{client}" if client else None)
    if throttle.locked(*own):
        return _refused(throttle.wait(*own))
    if throttle.locked(name, OVERALL):
        # A client that has not failed may still reach a locked name (or log in during the guarded
        # mode), but only after the pause, one at a time: its owner is never locked out for good.
        if not any(own) or throttle.failed(*own):
            return _refused(throttle.wait(name, OVERALL))
        throttle.paused()
    try:
        account = verify_login(username, password, path=path, hasher=hasher)
    except AccountError as exc:
        return LoginResult(False, None, f"暂时无法登录：{exc}")
    if account is None:
        locked_for = throttle.failure(name, *own, OVERALL)
        if locked_for:
            return LoginResult(False, None, f"用户名或密码不正确；失败次数过多，请 {format_wait(locked_for)}后再试")
        left = throttle.remaining(name, *own)
        tip = f"（再错 {left} 次将暂时锁定）" if left <= 2 else ""
        return LoginResult(False, None, f"用户名或密码不正确{tip}")
    # The address's count stays: one known password must not wash an address's spraying clean.
    throttle.success(name, own[0])
    return LoginResult(True, account, f"欢迎，{account.label}")
