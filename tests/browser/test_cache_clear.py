"""A client's "clear cache" does not unlock a name locked by failed logins.

Streamlit lets any connected client send ``BackMsg.clear_cache``, which clears every
``st.cache_resource`` and ``st.cache_data`` of the process. The login throttle therefore lives
at process level (dashboard/access/session.py); this test locks a name through the real login box
in Chromium, sends clear_cache on the app's websocket the way the frontend does (a rerun_script
first, then clear_cache), and logs in with the right password from a fresh browser: still locked.
"""

from __future__ import annotations

import time

from websockets.sync.client import connect

from streamlit.proto.BackMsg_pb2 import BackMsg
from tests.browser.conftest import wait_ready
from tests.browser.test_editor_flow import PASSWORD, editor_server  # noqa: F401 (the fixture: haidong's account)

LOCKED = "登录失败次数过多"


def try_login(tab, password: str) -> str:
    """Submit the sidebar's login form; the error it shows (empty when none appears)."""
    popover = tab.locator('[data-testid="stPopoverBody"]')
    if not popover.is_visible():
        tab.locator('[data-testid="stSidebar"]').get_by_role("button", name="登录").click()
    popover.get_by_label("用户名").fill("haidong")
    popover.get_by_label("密码").fill(password)
    before = popover.locator('[data-testid="stAlertContentError"]').count()
    popover.get_by_role("button", name="登录").click()
    tab.wait_for_timeout(300)
    wait_ready(tab)
    errors = popover.locator('[data-testid="stAlertContentError"]')
    assert errors.count() >= min(before, 1)
    return errors.first.inner_text() if errors.count() else ""


def clear_cache_from_a_client(base: str) -> None:
    """Open a session on the app's websocket like the frontend, then ask it to clear every cache."""
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    with connect(url, subprotocols=["streamlit"], origin=base, open_timeout=30) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""
        ws.send(rerun.SerializeToString())
        ws.recv(timeout=30)  # the session answers: it is open
        clear = BackMsg()
        clear.clear_cache = True
        ws.send(clear.SerializeToString())
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # let the script run and the clear be handled
            try:
                ws.recv(timeout=0.5)
            except TimeoutError:
                pass


def test_clear_cache_does_not_unlock_a_locked_name(browser, editor_server):
    base = editor_server.base
    first = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    tab = first.new_page()
    tab.goto(f"{base}/?as_of=2022-12-31")
    wait_ready(tab)
    messages = [try_login(tab, "wrong password") for _ in range(5)]
    assert "失败次数过多" in messages[-1], messages
    first.close()

    clear_cache_from_a_client(base)

    # A new browser (a new session): only the name's lock can refuse the right password now.
    second = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    tab = second.new_page()
    tab.goto(f"{base}/?as_of=2022-12-31")
    wait_ready(tab)
    message = try_login(tab, PASSWORD)
    assert LOCKED in message, message
    assert tab.get_by_text("已登录：海东市总工会填报员").count() == 0
    second.close()
