"""Account management: ``python -m dashboard.users [--accounts PATH] add|passwd|remove|list|screen``.

``screen add LABEL --days N`` makes a read-only link for a meeting-room screen and prints it once;
``screen list`` and ``screen revoke ID`` list and revoke them (dashboard/access/screens.py).

The password is read from ``--password-stdin`` (one line), else env ``DUBAN_PASSWORD``, else asked
twice at the terminal (never echoed, never an argument: arguments show in ``ps`` and shell history).
Refusals print one Chinese line on stderr and exit 2; the file is left as it was.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from dashboard.access import screens
from dashboard.access.accounts import (
    ROLE_LABELS,
    ROLES,
    AccountError,
    accounts_path,
    add_user,
    list_users,
    remove_user,
    set_password,
    validate_display_name,
    validate_email,
    validate_units,
    validate_username,
)
from store.command import CommandParser

PASSWORD_ENV = "DUBAN_PASSWORD"
PROG = "python -m dashboard.users"


class _Refused(Exception):
    """A refusal of the command line itself (missing password, cancelled prompt)."""


def _parser() -> argparse.ArgumentParser:
    accounts_help = "账号文件路径（默认：环境变量 DUBAN_ACCOUNTS，否则 ~/.config/duban/accounts.json）"
    parser = CommandParser(prog=PROG, description="管理督办看板的账号。")
    parser.add_argument("--accounts", metavar="PATH", help=accounts_help)
    sub = parser.add_subparsers(dest="command", metavar="{add,passwd,remove,list,screen}", parser_class=CommandParser)
    sub.required = True

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--accounts", metavar="PATH", default=argparse.SUPPRESS, help=accounts_help)
        return p

    password_help = "从标准输入读取一行作为密码（否则读环境变量 DUBAN_PASSWORD，再否则在终端输入）"
    add = command("add", "新建账号")
    add.add_argument("username", help="用户名：2–32 个字母、数字、_ . - 或汉字")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="角色：" + "，".join(f"{r}={ROLE_LABELS[r]}" for r in ROLES))
    add.add_argument("--unit", action="append", default=[], metavar="UNIT",
                     help="绑定的单位（单位登记表中的名称；填报账号至少一个，可重复）")
    add.add_argument("--name", default="", metavar="DISPLAY", help="显示名称")
    add.add_argument("--email", default="", metavar="E", help="邮箱（OIDC 登录时按邮箱匹配账号）")
    add.add_argument("--password-stdin", action="store_true", help=password_help)

    passwd = command("passwd", "修改账号密码")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help=password_help)

    remove = command("remove", "删除账号（其录入的事件仍保留该用户名）")
    remove.add_argument("username")

    command("list", "列出账号（不显示密码散列）")

    screen = command("screen", "会议室大屏的只读放映链接：新建、列出、撤销")
    what = screen.add_subparsers(dest="screen_command", metavar="{add,list,revoke}", parser_class=CommandParser)
    what.required = True
    make = what.add_parser("add", help="新建放映链接（链接只显示这一次）")
    make.add_argument("label", help="名称，如 会议室大屏")
    make.add_argument("--days", type=float, default=30.0, help="有效天数（默认 30）")
    make.add_argument("--by", default="admin", metavar="USER", help="由谁新建（记在列表里）")
    make.add_argument("--url", default="http://localhost:8501", metavar="BASE", help="看板的地址")
    what.add_parser("list", help="列出放映链接")
    drop = what.add_parser("revoke", help="撤销放映链接")
    drop.add_argument("id", help="链接编号（见 screen list）")
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise _Refused("标准输入没有读到密码")
        return line.rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise _Refused(f"没有提供密码：请在终端运行，或使用 --password-stdin，或设置环境变量 {PASSWORD_ENV}")
    try:
        first = getpass.getpass("密码：")
        second = getpass.getpass("再输入一次：")
    except (EOFError, KeyboardInterrupt):
        raise _Refused("已取消") from None
    if first != second:
        raise _Refused("两次输入的密码不一致")
    return first


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def _run(args: argparse.Namespace) -> str:
    path = accounts_path(args.accounts)
    if args.command == "add":
        # Refuse a bad name, role or unit before asking for the password.
        validate_username(args.username)
        validate_units(args.unit, args.role)
        validate_display_name(args.name)
        validate_email(args.email)
        if any(a.username.casefold() == args.username.casefold() for a in list_users(path)):
            raise AccountError(f"账号「{args.username}」已存在")
        password = _read_password(args.password_stdin)
        account = add_user(args.username, password, args.role, args.unit, args.name, email=args.email, path=path)
        units = f"，单位：{'、'.join(account.units)}" if account.units else ""
        return f"已新建账号「{account.username}」（{account.role_label}{units}），账号文件：{path}"
    if args.command == "passwd":
        if args.username not in {a.username for a in list_users(path)}:
            raise AccountError(f"账号「{args.username}」不存在")
        set_password(args.username, _read_password(args.password_stdin), path=path)
        return f"已修改账号「{args.username}」的密码"
    if args.command == "remove":
        account = remove_user(args.username, path=path)
        return f"已删除账号「{account.username}」"
    if args.command == "screen":
        return _screen(args, path)
    accounts = list_users(path)
    if not accounts:
        return f"（没有账号）账号文件：{path}"
    rows = [["用户名", "姓名", "角色", "单位", "邮箱"]]
    rows += [[a.username, a.display_name or "—", f"{a.role}（{a.role_label}）", "、".join(a.units) or "—",
              a.email or "—"] for a in accounts]
    return _table(rows)


def _screen(args: argparse.Namespace, path: Path) -> str:
    if args.screen_command == "add":
        link, token = screens.create(args.label, args.days, args.by, accounts_file=path)
        url = f"{args.url.rstrip('/')}/?present=1&rotate=30&{screens.TOKEN_PARAM}={token}"
        return (f"已新建放映链接「{link.label}」（编号 {link.id}，有效至 {link.expires_at}），链接只显示这一次：\n{url}")
    if args.screen_command == "revoke":
        link = screens.revoke(args.id, accounts_file=path)
        return f"已撤销放映链接「{link.label}」（编号 {link.id}）"
    links = screens.list_links(path)
    if not links:
        return "（没有放映链接）"
    rows = [["编号", "名称", "状态", "新建者", "新建于", "有效至"]]
    rows += [[k.id, k.label, k.state(), k.created_by, k.created_at, k.expires_at] for k in links]
    return _table(rows)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        print(_run(args))
    except (AccountError, _Refused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: 已取消", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}（{getattr(exc, 'filename', '') or ''}）", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
