"""`python -m dashboard.users` in a subprocess, on a real accounts file in tmp_path."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.access.accounts import verify_login

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-passphrase"


def run(*args: str, password: str | None = None, stdin: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DUBAN_PASSWORD", "DUBAN_ACCOUNTS")}
    environment.update(env or {})
    if password is not None:
        environment["DUBAN_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "dashboard.users", *args], cwd=ROOT, env=environment,
                          input=stdin if stdin is not None else "", capture_output=True, text=True, timeout=60)


def refused(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    return tmp_path / "private" / "accounts.json"


def test_add_list_passwd_remove_round_trip(accounts: Path):
    a = ["--accounts", str(accounts)]
    added = run(*a, "add", "haidong", "--role", "editor", "--unit", "海东市总工会", "--name", "海东联络员",
                password=PASSWORD)
    assert added.returncode == 0, added.stderr
    assert "haidong" in added.stdout
    admin = run("add", "boss", "--role", "admin", "--email", "boss@example.org", "--password-stdin", *a,
                stdin="admin-passphrase\n")
    assert admin.returncode == 0, admin.stderr

    listed = run(*a, "list")
    assert listed.returncode == 0
    header, *rows = listed.stdout.strip().splitlines()
    assert header.split()[:4] == ["用户名", "姓名", "角色", "单位"]
    assert rows[0].split()[:4] == ["boss", "—", "admin（管理员）", "—"]
    assert rows[1].split()[:4] == ["haidong", "海东联络员", "editor（填报）", "海东市总工会"]
    assert "$argon2" not in listed.stdout and PASSWORD not in listed.stdout

    text = accounts.read_text(encoding="utf-8")
    assert PASSWORD not in text and "admin-passphrase" not in text
    assert json.loads(text)["accounts"][0]["password_hash"].startswith("$argon2id$")
    assert stat.S_IMODE(accounts.stat().st_mode) == 0o600
    assert verify_login("haidong", PASSWORD, path=accounts).username == "haidong"
    assert verify_login("boss", "admin-passphrase", path=accounts).role == "admin"

    changed = run(*a, "passwd", "haidong", "--password-stdin", stdin="another-passphrase\n")
    assert changed.returncode == 0, changed.stderr
    assert verify_login("haidong", PASSWORD, path=accounts) is None
    assert verify_login("haidong", "another-passphrase", path=accounts) is not None

    removed = run(*a, "remove", "haidong")
    assert removed.returncode == 0, removed.stderr
    assert [row.split()[0] for row in run(*a, "list").stdout.strip().splitlines()[1:]] == ["boss"]


def test_accounts_path_from_environment(accounts: Path):
    env = {"DUBAN_ACCOUNTS": str(accounts)}
    assert run("add", "reader", "--role", "viewer", password=PASSWORD, env=env).returncode == 0
    assert "reader" in run("list", env=env).stdout
    assert accounts.exists()


@pytest.mark.parametrize(("args", "words"), [
    (["add", "x", "--role", "viewer"], "用户名须为 2–32 个字符"),
    (["add", "ed", "--role", "editor"], "至少需要绑定一个单位"),
    (["add", "ed", "--role", "editor", "--unit", "各市（州）总工会"], "是单位分组"),
    (["add", "ed", "--role", "editor", "--unit", "火星总工会"], "不在单位登记表中"),
    (["add", "ed", "--role", "root"], "参数 --role 的取值 'root' 无效"),
    (["passwd", "nobody"], "账号「nobody」不存在"),
    (["remove", "nobody"], "账号「nobody」不存在"),
    (["frobnicate"], "命令行参数有误"),
    ([], "缺少参数"),
])
def test_refusals_are_one_chinese_line_and_exit_2(accounts: Path, args: list[str], words: str):
    refused(run("--accounts", str(accounts), *args, password=PASSWORD), words)
    assert not accounts.exists()


def test_short_password_and_duplicate_refused(accounts: Path):
    a = ["--accounts", str(accounts)]
    refused(run(*a, "add", "reader", "--role", "viewer", password="short"), "密码至少需要 8 个字符")
    assert run(*a, "add", "reader", "--role", "viewer", password=PASSWORD).returncode == 0
    before = accounts.read_bytes()
    refused(run(*a, "add", "Reader", "--role", "viewer", password=PASSWORD), "已存在")
    refused(run(*a, "passwd", "reader", "--password-stdin", stdin="tiny\n"), "密码至少需要 8 个字符")
    assert accounts.read_bytes() == before


def test_no_password_source_without_a_terminal(accounts: Path):
    refused(run("--accounts", str(accounts), "add", "reader", "--role", "viewer"), "没有提供密码")
    refused(run("--accounts", str(accounts), "add", "reader", "--role", "viewer", "--password-stdin"),
            "标准输入没有读到密码")


def test_broken_accounts_file(accounts: Path):
    accounts.parent.mkdir(parents=True)
    accounts.write_text("{not json", encoding="utf-8")
    refused(run("--accounts", str(accounts), "list"), "不是有效的 JSON")


def test_empty_list(accounts: Path):
    result = run("--accounts", str(accounts), "list")
    assert result.returncode == 0 and "没有账号" in result.stdout


def test_screen_links_are_made_listed_and_revoked(accounts):
    from dashboard.access import screens

    made = run("--accounts", str(accounts), "screen", "add", "会议室大屏", "--days", "7", "--by", "office")
    assert made.returncode == 0, made.stderr
    url = made.stdout.strip().splitlines()[-1]
    assert url.startswith("http://localhost:8501/?present=1&rotate=30&token=")
    token = url.rsplit("token=", 1)[1]
    assert len(token) >= 40 and screens.account_for(token, accounts_file=accounts) is not None
    assert oct(os.stat(accounts.with_name("screens.json")).st_mode & 0o777) == "0o600"

    listed = run("--accounts", str(accounts), "screen", "list")
    assert "会议室大屏" in listed.stdout and "有效" in listed.stdout and token not in listed.stdout
    ident = listed.stdout.splitlines()[1].split()[0]
    assert run("--accounts", str(accounts), "screen", "revoke", ident).returncode == 0
    assert "已撤销" in run("--accounts", str(accounts), "screen", "list").stdout
    assert screens.account_for(token, accounts_file=accounts) is None

    refused(run("--accounts", str(accounts), "screen", "revoke", "nope"), "没有编号为「nope」的放映链接")
    refused(run("--accounts", str(accounts), "screen", "add", "会议室", "--days", "0"), "有效天数")
    refused(run("--accounts", str(accounts), "screen", "add", "x" * 41), "放映链接的名称")
