"""The office in a real browser: logs in, opens 通报 from the sidebar, writes 下一步工作要求, makes the
bulletin and downloads it; the file Chromium saves has the Chinese name with the date and opens in
python-docx with what was written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from docx import Document

from dashboard.access.accounts import add_user
from tests.browser.conftest import Server, log_in, wait_ready

PASSWORD = "office-2022"
SHOTS = os.environ.get("DUBAN_BRIEF_SHOTS")   # a folder: keep screenshots of the page there


@pytest.fixture
def office_server(store_files, tmp_path, chromium):
    target = tmp_path / "demo.db"
    shutil.copy(store_files["demo"], target)
    accounts = tmp_path / "accounts.json"
    add_user("office", PASSWORD, "admin", [], "省总办公室", path=accounts,
             hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    server = Server(f"sqlite:///{target}", env={"DUBAN_ACCOUNTS": str(accounts)})
    yield server
    server.stop()


def shot(tab, name: str) -> None:
    if SHOTS:
        tab.screenshot(path=str(Path(SHOTS) / f"brief13-{name}.png"), full_page=True)


def test_the_office_downloads_the_bulletin_from_the_page(page, office_server, tmp_path):
    page.goto(f"{office_server.base}/?as_of=2022-09-28")
    wait_ready(page)
    log_in(page, "office", PASSWORD, "省总办公室")

    page.locator('[data-testid="stSidebarNavLink"]', has_text="通报").first.click()
    page.get_by_role("heading", name="通报：工作进展情况通报（Word）").wait_for(timeout=30_000)
    wait_ready(page)
    page.get_by_label("下一步工作要求（每段一行）").fill("一要压实责任，逐项对账销号。")
    page.get_by_label("期号（第几期）").fill("5")
    page.get_by_label("期号（第几期）").press("Enter")
    wait_ready(page)
    page.get_by_role("button", name="生成通报").click()
    button = page.get_by_role("button", name="下载通报（Word）")
    button.wait_for(timeout=60_000)
    shot(page, "page")
    with page.expect_download(timeout=60_000) as download:
        button.click()
    saved = tmp_path / "saved.docx"
    download.value.save_as(saved)

    assert download.value.suggested_filename == "工作进展情况通报（第5期）2022年9月28日.docx"
    paragraphs = [p.text for p in Document(str(saved)).paragraphs]
    assert "第5期" in paragraphs and "一要压实责任，逐项对账销号。" in paragraphs
    assert any(p.startswith("截至2022年9月28日，方案所列活动共10项") for p in paragraphs)
