"""Accounts of the board: a JSON file outside the repository, argon2 password hashes.

The file lives where ``DUBAN_ACCOUNTS`` points, else ``~/.config/duban/accounts.json``; it is written
atomically (a temporary file in the same folder, then ``os.replace``) with mode 0600, under an
exclusive lock so that the command line and a running dashboard (rehash on login) never lose each
other's changes. Passwords are hashed with argon2id (``argon2-cffi``); the clear password is never
stored or printed. No Streamlit import here: the pages and ``python -m dashboard.users`` share it.

File shape::

    {"version": 1, "accounts": [{"username": "haidong", "display_name": "海东市总", "role": "editor",
      "units": ["海东市总工会"], "email": "", "password_hash": "$argon2id$…", "created_at": "…Z"}]}
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.render.labels import ui

try:  # POSIX; elsewhere writes are still atomic, only not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "ACCOUNTS_ENV", "ROLES", "ROLE_LABELS", "Account", "AccountError",
    "accounts_path", "add_user", "list_users", "load_accounts", "remove_user", "set_password",
    "verify_login",
]

ACCOUNTS_ENV = "DUBAN_ACCOUNTS"
DEFAULT_ACCOUNTS_PATH = Path("~/.config/duban/accounts.json")
FILE_VERSION = 1

ROLES = ("viewer", "editor", "admin")
ROLE_LABELS = {"viewer": "只读", "editor": "填报", "admin": "管理员"}

MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 256
MAX_DISPLAY_NAME_CHARS = 50
MAX_EMAIL_CHARS = 254
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_USERNAME = re.compile(f"[A-Za-z0-9{_HAN}][A-Za-z0-9_.\\-{_HAN}]{{1,31}}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_default_hasher = PasswordHasher()  # argon2id, the library's current recommended parameters


class AccountError(ValueError):
    """A refused account operation or an unreadable accounts file; the message is Chinese, one line."""


@dataclass(frozen=True)
class Account:
    """One user of the board. ``units`` are canonical unit names (the units an editor writes for)."""

    username: str
    role: str
    units: tuple[str, ...] = ()
    display_name: str = ""
    email: str = ""
    password_hash: str = field(default="", repr=False)
    created_at: str = ""

    @property
    def label(self) -> str:
        """How the user is named on screen: the display name, else the username."""
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def public(self) -> dict[str, Any]:
        """The account without its hash, for tables and logs."""
        return {"username": self.username, "display_name": self.display_name, "role": self.role,
                "units": list(self.units), "email": self.email, "created_at": self.created_at}


# ── the file ─────────────────────────────────────────────────────────


def accounts_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The accounts file: ``path`` if given, else env ``DUBAN_ACCOUNTS``, else ~/.config/duban/accounts.json."""
    chosen = path if path not in (None, "") else os.environ.get(ACCOUNTS_ENV) or DEFAULT_ACCOUNTS_PATH
    return Path(chosen).expanduser()


def _account_from_dict(entry: Any, file: Path) -> Account:
    if not isinstance(entry, dict):
        raise AccountError(f"账号文件 {file} 格式有误：账号条目不是对象")
    try:
        username, role, password_hash = entry["username"], entry["role"], entry["password_hash"]
    except KeyError as exc:
        raise AccountError(f"账号文件 {file} 格式有误：有账号缺少字段 {exc.args[0]}") from None
    units = entry.get("units") or []
    fields = (username, role, password_hash, entry.get("display_name", ""), entry.get("email", ""),
              entry.get("created_at", ""))
    if not all(isinstance(v, str) for v in fields) or not isinstance(units, list) or not all(
            isinstance(u, str) for u in units):
        raise AccountError(f"账号文件 {file} 格式有误：账号「{username}」的字段类型不对")
    return Account(username=username, role=role, units=tuple(units),
                   display_name=entry.get("display_name", ""), email=entry.get("email", ""),
                   password_hash=password_hash, created_at=entry.get("created_at", ""))


def _read(file: Path) -> dict[str, Account]:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountError(f"无法读取账号文件 {file}：{exc}") from None
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AccountError(f"账号文件 {file} 不是有效的 JSON（第 {exc.lineno} 行）") from None
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), list):
        raise AccountError(f"账号文件 {file} 格式有误：缺少 accounts 列表")
    accounts: dict[str, Account] = {}
    for entry in data["accounts"]:
        account = _account_from_dict(entry, file)
        accounts[account.username] = account
    return accounts


def _write(file: Path, accounts: Mapping[str, Account]) -> None:
    body = {"version": FILE_VERSION,
            "accounts": [asdict(a) | {"units": list(a.units)} for a in accounts.values()]}
    write_private_json(file, body)


def write_private_json(file: Path, body: Any) -> None:
    """Replace ``file`` atomically with ``body`` as JSON; the new file has mode 0600 from its first byte.

    Shared by every file of secrets beside the accounts (the accounts, the screen links).
    """
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(file.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def locked_file(file: Path, name: str) -> Iterator[None]:
    """Serialise read-modify-write cycles of ``file`` between processes with a lock file beside it.

    ``name`` is what a refusal calls the file (``ui("accounts_file")``, ``ui("screens_file")``):
    the lock guards the accounts and the screen links alike, and a message must name the right one.
    """
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise AccountError(ui("file_folder_unmakeable").format(name=name, folder=file.parent, reason=exc)) from None
    if fcntl is None:  # pragma: no cover
        yield
        return
    try:
        fd = os.open(file.parent / f".{file.name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise AccountError(ui("file_unwritable").format(name=name, file=file, reason=exc)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextlib.contextmanager
def _editing(path: str | os.PathLike[str] | None) -> Iterator[tuple[Path, dict[str, Account]]]:
    """Yield the accounts for changing; they are written back when the block ends without an error."""
    file = accounts_path(path)
    name = ui("accounts_file")
    with locked_file(file, name):
        accounts = _read(file)
        yield file, accounts
        try:
            _write(file, accounts)
        except OSError as exc:
            raise AccountError(ui("file_unwritable").format(name=name, file=file, reason=exc)) from None


def load_accounts(path: str | os.PathLike[str] | None = None) -> dict[str, Account]:
    """All accounts by username; an absent file is no accounts yet."""
    return _read(accounts_path(path))


def list_users(path: str | os.PathLike[str] | None = None) -> list[Account]:
    """All accounts, sorted by username."""
    return sorted(load_accounts(path).values(), key=lambda a: a.username)


# ── validation ───────────────────────────────────────────────────────


def validate_username(username: str) -> str:
    if not isinstance(username, str) or not _USERNAME.fullmatch(username):
        raise AccountError("用户名须为 2–32 个字符，只能包含字母、数字、下划线、点、连字符或汉字，且以字母、数字或汉字开头")
    return username


def validate_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD_CHARS} 个字符")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"密码不能超过 {MAX_PASSWORD_CHARS} 个字符")
    if not password.strip():
        raise AccountError("密码不能全是空白字符")
    return password


def validate_role(role: str) -> str:
    if role not in ROLES:
        known = "、".join(f"{r}（{ROLE_LABELS[r]}）" for r in ROLES)
        raise AccountError(f"未知角色「{role}」，应为 {known} 之一")
    return role


def _default_registry() -> Any:
    from seed.units import load_registry

    return load_registry()


def validate_units(units: Iterable[str], role: str, registry: Any = None) -> tuple[str, ...]:
    """Canonical names of the bound units; an editor needs one at least, and groups cannot be bound."""
    wanted = [u.strip() for u in units if u and u.strip()]
    if role == "editor" and not wanted:
        raise AccountError("填报账号（editor）至少需要绑定一个单位（--unit）")
    if not wanted:
        return ()
    if registry is None:
        try:
            registry = _default_registry()
        except ValueError as exc:  # RegistryError: already a Chinese message
            raise AccountError(str(exc)) from None
    resolved: list[str] = []
    for name in wanted:
        canonical = registry.canonical(name)
        if canonical is None:
            hint = registry.closest(name)
            tip = f"，是否指「{hint}」？" if hint and hint not in registry.group_members else ""
            raise AccountError(f"单位「{name}」不在单位登记表中{tip}")
        if canonical in registry.group_members:
            members = registry.members(canonical)
            example = f"，如「{members[0]}」" if members else ""
            raise AccountError(f"「{canonical}」是单位分组，不能绑定到账号；请绑定具体单位{example}")
        if canonical not in resolved:
            resolved.append(canonical)
    return tuple(resolved)


def validate_display_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) > MAX_DISPLAY_NAME_CHARS:
        raise AccountError(f"显示名称不能超过 {MAX_DISPLAY_NAME_CHARS} 个字符")
    if _CONTROL.search(name):
        raise AccountError("显示名称不能包含控制字符")
    return name


def validate_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(email):
        raise AccountError(f"邮箱地址「{email}」格式不正确")
    return email.lower()


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _find(accounts: Mapping[str, Account], username: str) -> Account:
    account = accounts.get(username)
    if account is None:
        raise AccountError(f"账号「{username}」不存在")
    return account


# ── changing accounts ────────────────────────────────────────────────


def add_user(username: str, password: str, role: str, units: Iterable[str] = (), display_name: str = "", *,
             email: str = "", path: str | os.PathLike[str] | None = None, registry: Any = None,
             hasher: PasswordHasher | None = None) -> Account:
    """Create an account; refused (AccountError) when the name is taken or any field is invalid."""
    validate_username(username)
    validate_password(password)
    validate_role(role)
    bound = validate_units(units, role, registry)
    name = validate_display_name(display_name)
    mail = validate_email(email)
    password_hash = (hasher or _default_hasher).hash(password)
    with _editing(path) as (_, accounts):
        taken = next((a for a in accounts.values() if a.username.casefold() == username.casefold()), None)
        if taken is not None:
            raise AccountError(f"账号「{taken.username}」已存在")
        if mail and any(a.email == mail for a in accounts.values()):
            raise AccountError(f"邮箱「{mail}」已被其他账号使用")
        account = Account(username=username, role=role, units=bound, display_name=name, email=mail,
                          password_hash=password_hash, created_at=_utc_now())
        accounts[username] = account
    return account


def set_password(username: str, password: str, *, path: str | os.PathLike[str] | None = None,
                 hasher: PasswordHasher | None = None) -> Account:
    """Give an existing account a new password."""
    validate_password(password)
    password_hash = (hasher or _default_hasher).hash(password)
    with _editing(path) as (_, accounts):
        account = _find(accounts, username)
        accounts[username] = updated = _replace(account, password_hash=password_hash)
    return updated


def remove_user(username: str, *, path: str | os.PathLike[str] | None = None) -> Account:
    """Delete an account; the events it recorded keep its username as their actor."""
    with _editing(path) as (_, accounts):
        return accounts.pop(_find(accounts, username).username)


def _replace(account: Account, **changes: Any) -> Account:
    return dataclasses.replace(account, **changes)


# ── logging in ───────────────────────────────────────────────────────


def verify_login(username: str, password: str, *, path: str | os.PathLike[str] | None = None,
                 hasher: PasswordHasher | None = None) -> Account | None:
    """The account when the password matches, else None. A hash with old parameters is renewed."""
    hasher = hasher or _default_hasher
    account = load_accounts(path).get(username) if isinstance(username, str) else None
    if account is None or not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
        _spend_time(hasher, password)
        return None
    try:
        hasher.verify(account.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(account.password_hash):
        account = _rehash(username, account, password, path, hasher)
    return account


_DUMMY_HASHES: dict[tuple[int, int, int], str] = {}


def _spend_time(hasher: PasswordHasher, password: Any) -> None:
    """Verify against a dummy hash so an unknown username takes as long as a wrong password."""
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("duban-dummy-password")
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(_DUMMY_HASHES[key], password if isinstance(password, str) else "")


def _rehash(username: str, account: Account, password: str, path: Any, hasher: PasswordHasher) -> Account:
    try:
        with _editing(path) as (_, accounts):
            current = accounts.get(username)
            if current is None or current.password_hash != account.password_hash:
                return current or account  # changed meanwhile: leave it
            accounts[username] = renewed = _replace(current, password_hash=hasher.hash(password))
            return renewed
    except (AccountError, OSError):
        return account  # a read-only file must not stop a correct login
