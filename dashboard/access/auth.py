"""Who may do what: the role rules of the board as pure functions (no Streamlit, no files).

- viewer (只读): reads; never writes.
- editor (填报): writes only on behalf of a unit bound to the account, and only for an activity where
  that unit is lead or partner — by name, or as a member of a group the plan names there
  (an editor of 海东市总工会 may write for an activity whose partners include 各市（州）总工会).
  Retracts only the events it recorded itself.
- admin (管理员): everything, including plan import and user management.

Reading is open unless the setting ``DUBAN_READ_REQUIRES_LOGIN`` is on. Where Streamlit's secrets
hold an ``[auth]`` section, the pages log in with ``st.login`` (OIDC) instead of the password form;
``oidc_configured`` and ``account_from_oidc`` are the pure halves of that.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.access.accounts import Account
from dashboard.render.labels import ui
from store.domain import rules

__all__ = [
    "READ_REQUIRES_LOGIN_ENV", "Decision", "account_from_oidc", "actor_of", "can_admin", "can_read",
    "can_retract", "can_write", "oidc_configured", "oidc_providers", "read_requires_login",
    "unit_roles", "writable_units",
]

READ_REQUIRES_LOGIN_ENV = "DUBAN_READ_REQUIRES_LOGIN"
_TRUE = {"1", "true", "yes", "on", "是"}
RETRACTION_TYPE = "EventRetracted"


@dataclass(frozen=True)
class Decision:
    """Allowed or not, and (when not) the reason in Chinese, fit to show next to the form."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


ALLOWED = Decision(True)


def _role(account: Account | None) -> str | None:
    return getattr(account, "role", None) if account is not None else None


# ── reading ──────────────────────────────────────────────────────────


def read_requires_login(settings: Mapping[str, Any] | None = None) -> bool:
    """The setting ``DUBAN_READ_REQUIRES_LOGIN`` (from ``settings``, default the environment)."""
    source = os.environ if settings is None else settings
    value = source.get(READ_REQUIRES_LOGIN_ENV, "")
    return str(value).strip().lower() in _TRUE if not isinstance(value, bool) else value


def can_read(account: Account | None, settings: Mapping[str, Any] | None = None) -> bool:
    """Reading is open by default; with DUBAN_READ_REQUIRES_LOGIN=1 it needs an account of any role."""
    if not read_requires_login(settings):
        return True
    return _role(account) in ("viewer", "editor", "admin")


# ── writing ──────────────────────────────────────────────────────────


def _names(value: Any) -> list[str]:
    """A list cell of the activities frame (list, tuple, array) or a single name, as a list of names."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    try:
        return [str(v) for v in value if v is not None and str(v)]
    except TypeError:
        return []


def unit_roles(unit: str, activity_row: Mapping[str, Any], groups: Mapping[str, Iterable[str]]) -> set[str]:
    """{"lead", "partner"} — the roles ``unit`` has in the activity, directly or through a named group."""
    roles: set[str] = set()
    for role, column in (("lead", "lead_units"), ("partner", "partner_units")):
        for name in _names(activity_row.get(column)):
            if name == unit or unit in (groups.get(name) or ()):
                roles.add(role)
                break
    return roles


def _activity_title(activity_row: Mapping[str, Any]) -> str:
    title = activity_row.get("title")
    seq = activity_row.get("seq")
    if title and seq is not None:
        return f"活动{seq}「{title}」"
    return f"活动「{title}」" if title else "该活动"


def can_write(account: Account | None, activity_row: Mapping[str, Any] | None, on_behalf_of: str,
              groups: Mapping[str, Iterable[str]]) -> Decision:
    """May ``account`` append a fact about this activity on behalf of the unit ``on_behalf_of``?"""
    role = _role(account)
    if role is None:
        return Decision(False, "请先登录，登录后才能填报")
    if role == "viewer":
        return Decision(False, "只读账号不能填报或修改数据")
    if activity_row is None:
        return Decision(False, "活动不存在，无法填报")
    if role == "admin":
        return ALLOWED
    if role != "editor":
        return Decision(False, f"账号角色「{role}」无填报权限")
    unit = (on_behalf_of or "").strip()
    if not unit:
        return Decision(False, "请选择代表哪个单位填报")
    if unit not in account.units:  # type: ignore[union-attr]
        bound = "、".join(account.units) or "无"  # type: ignore[union-attr]
        return Decision(False, f"账号「{account.username}」未绑定「{unit}」（已绑定：{bound}），不能代表该单位填报")  # type: ignore[union-attr]
    if not unit_roles(unit, activity_row, groups):
        return Decision(False, f"「{unit}」不是{_activity_title(activity_row)}的牵头单位或配合单位（含所在分组），不能为其填报")
    return ALLOWED


def writable_units(account: Account | None, activity_row: Mapping[str, Any] | None,
                   groups: Mapping[str, Iterable[str]]) -> list[str]:
    """The units the account may choose in a form for this activity (leads first; [] when none)."""
    role = _role(account)
    if activity_row is None or role not in ("editor", "admin"):
        return []
    if role == "editor":
        return [u for u in account.units if unit_roles(u, activity_row, groups)]  # type: ignore[union-attr]
    named = _names(activity_row.get("lead_units")) + _names(activity_row.get("partner_units"))
    units: list[str] = [rules.OFFICE]   # an admin reports for the office first (store/domain/rules.py), or for a unit
    for name in named:
        members = list(groups.get(name) or ())
        for unit in members or [name]:
            if unit not in units:
                units.append(unit)
    return units


def can_retract(account: Account | None, event_actor: str, event_type: str | None = None, *,
                already_retracted: bool = False) -> Decision:
    """May ``account`` retract an event recorded by ``event_actor``? Editors only their own events."""
    role = _role(account)
    if role is None:
        return Decision(False, "请先登录，登录后才能撤回记录")
    if role == "viewer":
        return Decision(False, "只读账号不能撤回记录")
    if event_type == RETRACTION_TYPE:
        return Decision(False, ui("retract_retraction"))   # the store's refusal says the same (entry.values)
    if already_retracted:
        return Decision(False, ui("already_retracted"))
    if role == "admin":
        return ALLOWED
    if role != "editor":
        return Decision(False, f"账号角色「{role}」无撤回权限")
    if event_actor != account.username:  # type: ignore[union-attr]
        who = f"「{event_actor}」" if event_actor else "系统导入"
        return Decision(False, f"只能撤回自己录入的记录；该记录由{who}录入")
    return ALLOWED


def can_admin(account: Account | None) -> Decision:
    """Plan import and user management: admins only."""
    if _role(account) == "admin":
        return ALLOWED
    return Decision(False, "只有管理员可以导入方案和管理账号" if account else "请先以管理员账号登录")


def actor_of(account: Account | None) -> str:
    """The ``actor`` written on every event this account appends: its username."""
    if account is None or not account.username:
        raise PermissionError("未登录，不能写入")
    return account.username


# ── OIDC (st.login) ──────────────────────────────────────────────────

_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


def _is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping) or (hasattr(value, "keys") and hasattr(value, "get"))


def oidc_providers(secrets: Mapping[str, Any]) -> list[str | None]:
    """Providers ``st.login`` can use: None for settings directly in [auth], else [auth.NAME] names."""
    try:
        section = secrets.get("auth") if _is_mapping(secrets) else None
        if not _is_mapping(section) or not section.get("redirect_uri") or not section.get("cookie_secret"):
            return []
        found: list[str | None] = []
        if all(section.get(k) for k in _PROVIDER_KEYS):
            found.append(None)
        for name in section.keys():
            value = section.get(name)
            if _is_mapping(value) and all(value.get(k) for k in _PROVIDER_KEYS):
                found.append(str(name))
        return found
    except Exception:  # st.secrets raises when no secrets file exists: then OIDC is not configured
        return []


def oidc_configured(secrets: Mapping[str, Any]) -> bool:
    """True when the secrets' [auth] section is complete enough for ``st.login``."""
    return bool(oidc_providers(secrets))


def _account_list(accounts: Mapping[str, Account] | Iterable[Account]) -> list[Account]:
    return list(accounts.values()) if isinstance(accounts, Mapping) else list(accounts)


def account_from_oidc(user_info: Mapping[str, Any] | None,
                      accounts: Mapping[str, Account] | Iterable[Account]) -> Account | None:
    """The account of an OIDC user (``st.user``): matched by e-mail to an account's email or username.

    None when nobody is logged in. A logged-in user with no matching account (or an unverified
    e-mail) is a viewer named by the e-mail.
    """
    if not user_info or not user_info.get("is_logged_in", True):
        return None
    email = str(user_info.get("email") or "").strip()
    verified = user_info.get("email_verified", True) not in (False, "false", "False")
    if email and verified:
        wanted = email.casefold()
        for account in _account_list(accounts):
            if wanted in (account.email.casefold(), account.username.casefold()):
                return account
    ident = email or str(user_info.get("sub") or "").strip()
    if not ident:
        return None
    return Account(username=ident[:100], role="viewer", display_name=str(user_info.get("name") or "")[:50],
                   email=email)
