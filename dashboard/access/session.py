"""Who is using the board in this browser session: the login box, the account, the logout.

Password logins go through ``accounts.login`` with one throttle per process (five failures
lock the name out); where Streamlit's secrets configure OIDC, ``st.login`` is used instead and
the account is found by e-mail. Reading is open unless DUBAN_READ_REQUIRES_LOGIN is set.
"""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from dashboard.access import accounts, auth
from dashboard.access.accounts import Account
from dashboard.render.components import plain
from dashboard.render.labels import ui

ACCOUNT_KEY = "duban_account"
SESSION_ID_KEY = "duban_session_id"


# Process-level, not st.cache_resource: a client's BackMsg.clear_cache clears every cache of the
# process, and with it would go every lock-out (a locked name could log in at once afterwards).
_THROTTLE = accounts.LoginThrottle()


def _throttle() -> accounts.LoginThrottle:
    return _THROTTLE


def _secrets() -> Any:
    try:
        return st.secrets
    except Exception:  # no secrets.toml at all
        return {}


def _session_id() -> str:
    if SESSION_ID_KEY not in st.session_state:
        st.session_state[SESSION_ID_KEY] = uuid.uuid4().hex
    return st.session_state[SESSION_ID_KEY]


def current() -> Account | None:
    """The logged-in account, or None."""
    if auth.oidc_configured(_secrets()):
        if not getattr(st.user, "is_logged_in", False):
            return None
        return auth.account_from_oidc(dict(st.user), accounts.load_accounts())
    return st.session_state.get(ACCOUNT_KEY)


def login_box() -> Account | None:
    """The sidebar's login/logout block; returns the account after it."""
    with st.sidebar:
        st.divider()
        account = current()
        if account is not None:
            st.caption(ui("logged_in_as").format(name=plain(account.label), role=account.role_label))
            if st.button(ui("logout"), key="logout"):
                if auth.oidc_configured(_secrets()):
                    st.logout()
                st.session_state.pop(ACCOUNT_KEY, None)
                st.rerun()
            return account
        if auth.oidc_configured(_secrets()):
            if st.button(ui("login_oidc"), key="login-oidc"):
                st.login()
            return None
        with st.popover(ui("login"), width="stretch"):
            with st.form("login", clear_on_submit=False, border=False):
                username = st.text_input(ui("username"), key="login_username", max_chars=32)
                password = st.text_input(ui("password"), type="password", key="login_password", max_chars=256)
                submitted = st.form_submit_button(ui("login"))
            if submitted:
                result = accounts.login(username, password, _throttle(), session_key=_session_id())
                if result.ok:
                    st.session_state[ACCOUNT_KEY] = result.account
                    st.rerun()
                st.error(plain(result.message))
    return None


def require_reader() -> None:
    """Stop the page with a prompt to log in when reading needs a login and there is none."""
    if not auth.can_read(current()):
        st.info(ui("login_to_read"))
        st.stop()
