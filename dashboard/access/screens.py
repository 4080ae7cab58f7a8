"""Screen links: how a meeting-room screen reads a board that needs a login, without an account.

A projector has no one at a keyboard to log in, so an admin makes a link for it: a long random
token (256 bits) in the URL (``?token=…``), which reads the board as a viewer and nothing more.
Each link has a label (会议室大屏), an expiry, and can be revoked; the list shows them all. Only
the token's SHA-256 is kept, in ``screens.json`` beside the accounts file (mode 0600), so the file
alone opens nothing; the token itself is printed once, when the link is made. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from dashboard.access.accounts import Account, AccountError, accounts_path, locked_file, write_private_json
from dashboard.render.labels import ui

__all__ = ["TOKEN_PARAM", "ScreenLink", "account_for", "create", "list_links", "revoke", "screens_path"]

TOKEN_PARAM = "token"
MAX_DAYS = 366
MAX_LABEL_CHARS = 40


@dataclass(frozen=True)
class ScreenLink:
    id: str
    label: str
    token_sha256: str
    created_by: str
    created_at: str
    expires_at: str
    revoked_at: str = ""

    def state(self, now: dt.datetime | None = None) -> str:
        """有效 / 已过期 / 已撤销, as the list shows it."""
        if self.revoked_at:
            return "已撤销"
        return "已过期" if _parse(self.expires_at) <= (now or _now()) else "有效"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def screens_path(accounts_file: str | os.PathLike[str] | None = None) -> Path:
    """``screens.json`` in the folder of the accounts file."""
    return accounts_path(accounts_file).with_name("screens.json")


def _read(file: Path) -> list[ScreenLink]:
    try:
        data = json.loads(file.read_text(encoding="utf-8") or "{}")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AccountError(f"无法读取放映链接文件 {file}：{exc}") from None
    try:
        return [ScreenLink(**entry) for entry in data.get("screens", [])]
    except (TypeError, AttributeError):
        raise AccountError(f"放映链接文件 {file} 格式有误") from None


def _write(file: Path, links: list[ScreenLink]) -> None:
    write_private_json(file, {"version": 1, "screens": [asdict(link) for link in links]})


def list_links(accounts_file: str | os.PathLike[str] | None = None) -> list[ScreenLink]:
    return _read(screens_path(accounts_file))


def create(label: str, days: float, created_by: str, *,
           accounts_file: str | os.PathLike[str] | None = None) -> tuple[ScreenLink, str]:
    """Make a link; returns it and its token (shown this once, never stored)."""
    label = (label or "").strip()
    if not label or len(label) > MAX_LABEL_CHARS or any(ord(c) < 32 for c in label):
        raise AccountError(f"放映链接的名称须为 1–{MAX_LABEL_CHARS} 个字符，不含控制字符")
    if not 0 < days <= MAX_DAYS:
        raise AccountError(f"有效天数须在 0 到 {MAX_DAYS} 天之间")
    token = secrets.token_urlsafe(32)
    now = _now()
    file = screens_path(accounts_file)
    with locked_file(file, ui("screens_file")):
        links = _read(file)
        ident = secrets.token_hex(4)
        link = ScreenLink(id=ident, label=label, token_sha256=_digest(token), created_by=created_by,
                          created_at=_stamp(now), expires_at=_stamp(now + dt.timedelta(days=days)))
        _write(file, [*links, link])
    return link, token


def revoke(ident: str, *, accounts_file: str | os.PathLike[str] | None = None) -> ScreenLink:
    file = screens_path(accounts_file)
    with locked_file(file, ui("screens_file")):
        links = _read(file)
        found = next((link for link in links if link.id == ident.strip()), None)
        if found is None:
            raise AccountError(f"没有编号为「{ident}」的放映链接")
        if found.revoked_at:
            return found
        revoked = replace(found, revoked_at=_stamp(_now()))
        _write(file, [revoked if link.id == found.id else link for link in links])
    return revoked


def account_for(token: Any, *, accounts_file: str | os.PathLike[str] | None = None,
                now: dt.datetime | None = None) -> Account | None:
    """The read-only account a screen token stands for, or None (unknown, expired, revoked).

    Read from the file on every call, so a revocation takes effect at the screen's next rerun.
    """
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    try:
        links = list_links(accounts_file)
    except AccountError:
        return None
    digest = _digest(token)
    for link in links:
        if hmac.compare_digest(link.token_sha256, digest) and link.state(now) == "有效":
            return Account(username=f"screen:{link.id}", role="viewer", display_name=f"放映：{link.label}")
    return None
