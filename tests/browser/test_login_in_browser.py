"""Logins as people meet them in a real Chromium, on the app as `make run` serves it (dashboard/server.py):

- a login survives a reload (signed, HttpOnly cookie), and 退出登录 ends it for the reload too;
- a forged, tampered or expired cookie logs nobody in;
- with DUBAN_READ_REQUIRES_LOGIN=1 a visitor sees the login and nothing of the board (no plan title,
  no unit, no date), and a meeting-room screen reads through an admin's screen link until it is revoked.
"""

from __future__ import annotations

import shutil

import pytest
from argon2 import PasswordHasher
from itsdangerous import URLSafeTimedSerializer

from dashboard.access import cookie, screens
from dashboard.access.accounts import add_user
from tests.browser.conftest import Server, log_in, wait_ready

PASSWORD = "office-2022-pass"
PLAN_TITLE = "五一"  # part of the 2022 plan's title, on every page of the board


def login_ready(tab, timeout: float = 60_000) -> None:
    """Wait for a page that may show only the login form (wait_ready wants a fuller page)."""
    tab.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    tab.wait_for_function("""() => {
        const main = document.querySelector('[data-testid="stMainBlockContainer"]');
        return main && !document.querySelector('[data-testid="stStatusWidget"]')
            && main.querySelector('[data-testid="stForm"], [data-testid="stVegaLiteChart"]');
    }""", timeout=timeout)
    tab.wait_for_timeout(1500)


@pytest.fixture
def accounts_file(tmp_path):
    path = tmp_path / "accounts.json"
    add_user("office", PASSWORD, "admin", [], "办公室张三", path=path,
             hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return path


def serve(store_files, tmp_path, accounts_file, **env: str) -> Server:
    target = tmp_path / "demo.db"
    shutil.copy(store_files["demo"], target)
    return Server(f"sqlite:///{target}", env={"DUBAN_ACCOUNTS": str(accounts_file),
                                              "DUBAN_COOKIE_SECRET": "k" * 40, "DUBAN_LIVE_SECONDS": "0", **env})


@pytest.fixture
def open_server(store_files, tmp_path, accounts_file, chromium):
    server = serve(store_files, tmp_path, accounts_file)
    yield server
    server.stop()


@pytest.fixture
def closed_server(store_files, tmp_path, accounts_file, chromium):
    server = serve(store_files, tmp_path, accounts_file, DUBAN_READ_REQUIRES_LOGIN="1")
    yield server
    server.stop()


def logged_in(tab) -> bool:
    return tab.get_by_text("已登录：办公室张三").count() > 0


def test_login_survives_a_reload_and_logout_ends_it(page, open_server):
    page.goto(f"{open_server.base}/log")
    wait_ready(page)
    log_in(page, "office", PASSWORD, "办公室张三")
    assert page.url.endswith("/log"), page.url   # back on the page the login was made on
    jar = {c["name"]: c for c in page.context.cookies()}
    assert jar[cookie.COOKIE_NAME]["httpOnly"] is True
    assert jar[cookie.COOKIE_NAME]["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find(cookie.COOKIE_NAME) == -1   # scripts cannot read it

    page.reload()
    wait_ready(page)
    assert logged_in(page), "a reload logged the user out"
    page.goto(f"{open_server.base}/gantt")   # a link opened in the same browser
    wait_ready(page)
    assert logged_in(page)

    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click()
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="登录", exact=True).wait_for(timeout=30_000)
    page.reload()
    wait_ready(page)
    assert not logged_in(page), "退出登录 did not survive a reload"
    assert cookie.COOKIE_NAME not in {c["name"] for c in page.context.cookies()}


def test_forged_tampered_and_expired_cookies_log_nobody_in(page, open_server, accounts_file):
    from dashboard.access.accounts import load_accounts

    account = load_accounts(accounts_file)["office"]
    good = cookie.issue(account, "k" * 40)
    forged = cookie.issue(account, "another key nobody configured")
    head, _, rest = good.partition(".")
    tampered = URLSafeTimedSerializer("x", salt="x").dumps({"u": "office", "f": "0" * 16})
    for value in (forged, tampered, head + "." + rest[::-1]):
        page.context.clear_cookies()
        page.context.add_cookies([{"name": cookie.COOKIE_NAME, "value": value, "url": open_server.base}])
        page.goto(f"{open_server.base}/")
        wait_ready(page)
        assert not logged_in(page), value
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.COOKIE_NAME, "value": good, "url": open_server.base}])
    page.goto(f"{open_server.base}/")
    wait_ready(page)
    assert logged_in(page), "the control: a good cookie logs in"


def test_an_expired_cookie_is_refused(page, store_files, tmp_path, accounts_file, chromium):
    from dashboard.access.accounts import load_accounts

    server = serve(store_files, tmp_path, accounts_file, DUBAN_LOGIN_HOURS="0.0003")   # about one second
    try:
        value = cookie.issue(load_accounts(accounts_file)["office"], "k" * 40)
        page.wait_for_timeout(3000)
        page.context.add_cookies([{"name": cookie.COOKIE_NAME, "value": value, "url": server.base}])
        page.goto(f"{server.base}/")
        wait_ready(page)
        assert not logged_in(page)
    finally:
        server.stop()


def test_login_required_shows_nothing_but_the_login(page, closed_server):
    for path in ("/", "/gantt?present=1", "/log", "/selfcheck?unit=海东市总工会"):
        page.goto(f"{closed_server.base}{path}")
        login_ready(page)
        text = page.locator('[data-testid="stApp"]').inner_text()
        assert "请先登录后查看" in text, (path, text[:300])
        for secret in (PLAN_TITLE, "海东市总工会", "2022", "甘特图", "事件日志"):
            assert secret not in text, (path, secret, text[:500])
    page.screenshot(path=str(closed_server.log.with_name("login-only.png")))

    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("用户名").fill("office")
    main.get_by_label("密码").fill(PASSWORD)
    main.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：办公室张三").wait_for(timeout=30_000)
    wait_ready(page)
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "请先登录后查看" not in text and "甘特图" in text and "海东市总工会" in text


def test_screen_link_opens_the_projector_until_revoked(page, closed_server, accounts_file):
    link, token = screens.create("会议室大屏", 7, "office", accounts_file=accounts_file)
    page.goto(f"{closed_server.base}/?present=1&{screens.TOKEN_PARAM}={token}")
    wait_ready(page)
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert PLAN_TITLE in text and "请先登录" not in text
    assert page.locator('[data-testid="stSidebar"] button', has_text="退出登录").count() == 0
    page.screenshot(path=str(closed_server.log.with_name("screen-link.png")))

    page.goto(f"{closed_server.base}/?present=1&{screens.TOKEN_PARAM}={token[:-2]}xy")   # a wrong token
    login_ready(page)
    assert "请先登录后查看" in page.locator('[data-testid="stApp"]').inner_text()

    screens.revoke(link.id, accounts_file=accounts_file)
    page.goto(f"{closed_server.base}/?present=1&{screens.TOKEN_PARAM}={token}")
    login_ready(page)
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "请先登录后查看" in text and PLAN_TITLE not in text
