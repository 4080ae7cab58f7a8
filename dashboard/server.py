"""督办看板 served the way it runs in production: ``streamlit run dashboard/server.py``.

Streamlit 1.67's own ASGI app (``st.App``) around the frame ``app.py``, for two things a plain
script cannot do:

* refuse a client's request to clear the server's caches. Streamlit has no setting for it: any
  browser (or a bare websocket client) may send ``BackMsg.clear_cache``, which clears every
  ``st.cache_data``/``st.cache_resource`` of the process for all users. The middleware drops that
  message before Streamlit sees it (the board and the login throttle live outside those caches
  anyway, so even without this file they survive; here the message does not cost a rerun either).
* set the login cookie, HttpOnly, from a small route (a Streamlit script cannot set cookies):
  see ``dashboard/access/cookie.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from streamlit.proto.BackMsg_pb2 import BackMsg

from dashboard.access import accounts, cookie

STREAM_PATH = "/_stcore/stream"
REFUSED_BACK_MESSAGES = frozenset({"clear_cache"})


def refused(frame: bytes | None) -> bool:
    """True for a websocket frame that is a BackMsg the board refuses (a cache clear)."""
    if not frame:
        return False
    message = BackMsg()
    try:
        message.ParseFromString(frame)
    except Exception:  # not a BackMsg: Streamlit itself closes the connection for it
        return False
    return message.WhichOneof("type") in REFUSED_BACK_MESSAGES


class RefuseCacheClear:
    """ASGI middleware: on Streamlit's websocket, frames asking to clear the caches never arrive."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "websocket" or not str(scope.get("path", "")).endswith(STREAM_PATH):
            await self.app(scope, receive, send)
            return

        async def filtered() -> dict:
            while True:
                message = await receive()
                if message.get("type") == "websocket.receive" and refused(message.get("bytes")):
                    continue
                return message

        await self.app(scope, filtered, send)


async def _login(request: Request) -> Response:
    """Redeem a page's one-time ticket: set the HttpOnly login cookie, go back to the page."""
    response = RedirectResponse(cookie.safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    username = cookie.TICKETS.redeem(request.query_params.get("ticket"))
    account = accounts.load_accounts().get(username) if username else None
    if account is not None:
        response.set_cookie(cookie.COOKIE_NAME, cookie.issue(account, cookie.secret_key()),
                            max_age=int(cookie.login_seconds()), path="/", httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
    return response


async def _logout(request: Request) -> Response:
    """Clear the login cookie, go back to the page (logged out)."""
    response = RedirectResponse(cookie.safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(cookie.COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response


@contextlib.asynccontextmanager
async def _serving(_: Any) -> AsyncIterator[None]:
    """While this app serves (not merely when the module is imported, as a test does), logins set cookies."""
    cookie.routes_mounted = True
    try:
        yield None
    finally:
        cookie.routes_mounted = False


app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(RefuseCacheClear)], lifespan=_serving,
             routes=[Route(cookie.LOGIN_PATH, _login), Route(cookie.LOGOUT_PATH, _logout)])
