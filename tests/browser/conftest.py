"""Real-browser fixtures: `streamlit run` on a free loopback port, driven by Playwright in the
machine's Chromium (/usr/bin/chromium; Playwright's own browser download does not work here).

Skipped with the reason when Chromium is absent, failing instead when DUBAN_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from dashboard.access.accounts import add_user
from store.log import EventStore, NewEvent

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_BROWSER = os.environ.get("DUBAN_REQUIRE_BROWSER") == "1"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)   # test accounts hash fast
# The editor of 海东市总工会 that the entry tests log in as.
EDITOR, EDITOR_PASSWORD, EDITOR_NAME = "haidong", "haidong-2022", "海东市总工会填报员"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("DUBAN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `streamlit run dashboard/server.py` process on its own store, as `make run` serves it.

    ``script="app.py"`` runs the bare frame instead (no cookie routes, no cache-clear filter).
    """

    def __init__(self, db_url: str, env: dict[str, str] | None = None, log: Path | None = None,
                 script: str = "server.py") -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log or Path(db_url.replace("sqlite:///", "")).with_suffix(".streamlit.log")
        environment = {**os.environ, "DUBAN_DB": db_url, **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / script),
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=environment, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if REQUIRE_BROWSER:
            pytest.fail("Chromium is required (DUBAN_REQUIRE_BROWSER=1) but /usr/bin/chromium is absent")
        pytest.skip("browser tests skipped: no Chromium on this machine (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        yield instance
        instance.close()


def demo_with_events(demo: Path, target: Path, events: list[NewEvent]) -> Server:
    """A server over a copy of the demo store with ``events`` appended (in one transaction)."""
    shutil.copy(demo, target)
    store = EventStore(f"sqlite:///{target}")
    try:
        store.append_many(events)
    finally:
        store.close()
    return Server(f"sqlite:///{target}")


def vega_tooltip(tab: object, box: dict[str, float], tries: int = 3) -> str:
    """The text of the tooltip a Vega mark in ``box`` shows: the mouse comes from outside the mark
    and glides onto it in a few steps, as a hand would, and tries again when the tooltip stays
    empty (the first hover of a page can come before Vega listens)."""
    tip = tab.locator("#vg-tooltip-element")
    text = ""
    for _ in range(tries):
        tab.mouse.move(box["x"] - 40, box["y"] - 40)
        tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
        tab.wait_for_timeout(300)
        text = tip.inner_text() if tip.count() and tip.is_visible() else ""
        if text:
            break
    return text


@pytest.fixture(scope="session")
def demo_server(store_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The dashboard over a copy of the plan + demo store."""
    target = tmp_path_factory.mktemp("browser") / "demo.db"
    shutil.copy(store_files["demo"], target)
    server = Server(f"sqlite:///{target}")
    yield server
    server.stop()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


def wait_ready(tab: object, timeout: float = 60_000) -> None:
    """Wait until the script run is over: the app's status widget stops saying it is running."""
    tab.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    tab.wait_for_function(
        """() => {
            const main = document.querySelector('[data-testid="stMainBlockContainer"]');
            if (!main || document.querySelector('[data-testid="stStatusWidget"]')) return false;
            if (main.querySelectorAll('*').length < 20) return false;
            if (main.querySelector('[data-testid="stSkeleton"]')) return false;
            const charts = [...main.querySelectorAll('[data-testid="stVegaLiteChart"]')];
            const tables = [...main.querySelectorAll('[data-testid="stDataFrame"]')];
            return charts.every(c => c.querySelector('canvas, svg'))
                && tables.every(t => t.querySelector('canvas'));
        }""",
        timeout=timeout)
    tab.wait_for_timeout(1000)


def log_in(tab: object, username: str, password: str, display_name: str) -> None:
    """Log in through the sidebar's 登录 popover as a user does, and wait until the page is theirs.

    The password is sent with Enter: on a short page the popover's button can sit below the fold.
    Served by dashboard/server.py, the login then passes through the cookie route and back.
    """
    tab.locator('[data-testid="stSidebar"]').get_by_role("button", name="登录", exact=True).click()
    popover = tab.locator('[data-testid="stPopoverBody"]')
    popover.get_by_label("用户名").fill(username)
    popover.get_by_label("密码").fill(password)
    popover.get_by_label("密码").press("Enter")
    tab.get_by_text(f"已登录：{display_name}").wait_for(timeout=30_000)
    wait_ready(tab)


def demo_with_editor(store_files: dict[str, Path], folder: Path) -> tuple[str, Path]:
    """A fresh copy of the demo store in ``folder`` and an accounts file beside it that holds the editor
    of 海东市总工会: the store's URL and the accounts file (to add more users to before serving)."""
    shutil.copy(store_files["demo"], folder / "demo.db")
    accounts = folder / "accounts.json"
    add_user(EDITOR, EDITOR_PASSWORD, "editor", ["海东市总工会"], EDITOR_NAME, path=accounts, hasher=FAST)
    return f"sqlite:///{folder / 'demo.db'}", accounts


@pytest.fixture
def editor_server(store_files: dict[str, Path], tmp_path: Path, chromium: str) -> Iterator[Server]:
    """The dashboard (as ``make run`` serves it) over a copy of the demo store, the editor able to log in."""
    url, accounts = demo_with_editor(store_files, tmp_path)
    server = Server(url, env={"DUBAN_ACCOUNTS": str(accounts)})
    yield server
    server.stop()


def log_in_editor(tab: object) -> None:
    """``log_in`` as the editor of 海东市总工会."""
    log_in(tab, EDITOR, EDITOR_PASSWORD, EDITOR_NAME)
