"""Who is using the board in this browser session: the login box, the account, the logout.

Password logins go through ``throttle.login`` with one throttle per process; where Streamlit's
secrets configure OIDC, ``st.login`` is used instead and the account is found by e-mail. A
meeting-room screen may read with a screen link's token instead (``access/screens.py``).

When the app is served by ``dashboard/server.py`` (as ``make run`` does), a login also survives a
reload: the page hands the browser a one-time ticket, the server's route turns it into a signed,
HttpOnly cookie (``access/cookie.py``), and later page loads read the cookie.

Reading is open unless DUBAN_READ_REQUIRES_LOGIN is set; then ``gate`` shows nothing but the login.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any
from urllib.parse import quote

import streamlit as st

from dashboard.access import accounts, auth, cookie, screens, throttle
from dashboard.access.accounts import Account
from dashboard.render.components import plain
from dashboard.render.labels import ui

ACCOUNT_KEY = "duban_account"
SESSION_ID_KEY = "duban_session_id"
LOGGED_OUT_KEY = "duban_logged_out"
RUN_KEY = "duban_run"  # a fresh marker per script run, set by ``start_run``
SCREEN_KEY = "duban_screen"  # (run marker, token, account) of the last screen-link check

# Process-level, not st.cache_resource: a client's BackMsg.clear_cache clears every cache of the
# process, and with it would go every lock-out (a locked name could log in at once afterwards).
_THROTTLE = throttle.LoginThrottle()


def _secrets() -> Any:
    try:
        return st.secrets
    except Exception:  # no secrets.toml at all
        return {}


def _session_id() -> str:
    if SESSION_ID_KEY not in st.session_state:
        st.session_state[SESSION_ID_KEY] = uuid.uuid4().hex
    return st.session_state[SESSION_ID_KEY]


def client_address() -> str | None:
    """The client's address as the throttle counts it: the proxy's header when one is named, else the peer."""
    header = os.environ.get(throttle.CLIENT_IP_HEADER_ENV, "").strip()
    if header:
        value = st.context.headers.get(header) or ""
        return value.split(",")[0].strip()[:64] or None
    return st.context.ip_address


def _from_cookie() -> Account | None:
    if not cookie.routes_mounted or st.session_state.get(LOGGED_OUT_KEY):
        return None
    value = st.context.cookies.get(cookie.COOKIE_NAME)
    if not value:
        return None
    try:
        return cookie.account_from(value, accounts.load_accounts(), cookie.secret_key())
    except (accounts.AccountError, OSError):
        return None


def start_run() -> None:
    """Mark a new script run (the entry file calls it first), so the screen link is checked anew in it."""
    st.session_state[RUN_KEY] = uuid.uuid4().hex


def screen_account() -> Account | None:
    """The read-only account of a screen link in the URL, checked once per run (revocation bites at the next).

    A run asks for the account several times (gate, login box, the page); each check reads
    ``screens.json``, so the answer is kept for the run and token it was found for. Without a run
    marker (``start_run`` not called) nothing is kept and every call reads the file.
    """
    token = st.query_params.get(screens.TOKEN_PARAM)
    run = st.session_state.get(RUN_KEY)
    kept = st.session_state.get(SCREEN_KEY)
    if run is not None and kept is not None and kept[:2] == (run, token):
        return kept[2]
    account = screens.account_for(token)
    st.session_state[SCREEN_KEY] = (run, token, account)
    return account


def current() -> Account | None:
    """The logged-in account (password, cookie or OIDC), else a screen link's viewer, else None."""
    if auth.oidc_configured(_secrets()):
        if getattr(st.user, "is_logged_in", False):
            return auth.account_from_oidc(dict(st.user), accounts.load_accounts())
        return screen_account()
    account = st.session_state.get(ACCOUNT_KEY)
    if account is None:
        account = _from_cookie()
        if account is not None:
            st.session_state[ACCOUNT_KEY] = account
    return account or screen_account()


def _go(path: str, **params: str) -> None:
    """Send the browser to one of the server's own routes, coming back to this very page after it."""
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    target = json.dumps(f"{path}?{query}&next=")
    st.html(f"<script>window.location.assign({target} + encodeURIComponent("
            "window.location.pathname + window.location.search));</script>", unsafe_allow_javascript=True)


def _logout() -> None:
    if auth.oidc_configured(_secrets()):
        st.logout()
    st.session_state.pop(ACCOUNT_KEY, None)
    if cookie.routes_mounted and st.context.cookies.get(cookie.COOKIE_NAME):
        st.session_state[LOGGED_OUT_KEY] = True
        _go(cookie.LOGOUT_PATH)
        st.stop()
    st.rerun()


def _login_form() -> None:
    """The password form (or the OIDC button); a correct login reruns the page as that account."""
    if auth.oidc_configured(_secrets()):
        if st.button(ui("login_oidc"), key="login-oidc"):
            st.login()
        return
    with st.form("login", clear_on_submit=False, border=False):
        username = st.text_input(ui("username"), key="login_username", max_chars=32)
        password = st.text_input(ui("password"), type="password", key="login_password", max_chars=256)
        submitted = st.form_submit_button(ui("login"))
    if not submitted:
        return
    result = throttle.login(username, password, _THROTTLE, session_key=_session_id(), client=client_address())
    if not result.ok:
        st.error(plain(result.message))
        return
    st.session_state[ACCOUNT_KEY] = result.account
    st.session_state.pop(LOGGED_OUT_KEY, None)
    if cookie.routes_mounted:  # the cookie route sets the login cookie and brings the browser back here
        _go(cookie.LOGIN_PATH, ticket=cookie.TICKETS.create(result.account.username))
        st.stop()
    st.rerun()


def login_box() -> Account | None:
    """The sidebar's login/logout block; returns the account after it."""
    with st.sidebar:
        st.divider()
        account = current()
        if account is not None:
            st.caption(ui("logged_in_as").format(name=plain(account.label), role=account.role_label))
            if not account.username.startswith("screen:") and st.button(ui("logout"), key="logout"):
                _logout()
            return account
        if auth.oidc_configured(_secrets()):
            _login_form()
            return None
        with st.popover(ui("login"), width="stretch"):
            _login_form()
    return None


def gate() -> None:
    """With DUBAN_READ_REQUIRES_LOGIN on and nobody logged in: the login alone, nothing of the board.

    Called before the board is read, so not even a plan title, a unit or a date reaches the page.
    """
    if auth.can_read(current()):
        return
    _, middle, _ = st.columns([1, 1, 1])
    with middle:
        st.subheader(ui("app_title"))
        st.info(ui("login_to_read"))
        _login_form()
    st.stop()
