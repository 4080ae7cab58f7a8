"""The role rules of issue 5 as unit tests: who may read, write, retract; OIDC helpers."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.access.accounts import Account
from dashboard.access.auth import (
    account_from_oidc,
    actor_of,
    can_admin,
    can_read,
    can_retract,
    can_write,
    oidc_configured,
    oidc_providers,
    unit_roles,
    writable_units,
)
from seed.units import load_registry

GROUPS = load_registry().groups

VIEWER = Account("reader", "viewer")
HAIDONG = Account("haidong", "editor", ("海东市总工会",), "海东联络员")
XINING = Account("xining", "editor", ("西宁市总工会",))
ADMIN = Account("boss", "admin")

# Partners name the group 各市（州）总工会; 海东市总工会 is one of its members.
WITH_CITIES = {"seq": 3, "title": "劳模宣讲", "lead_units": ["省总宣传部"],
               "partner_units": ["各市（州）总工会", "省级各产业工会"]}
HAIDONG_LEADS = {"seq": 4, "title": "职工运动会", "lead_units": ["海东市总工会"], "partner_units": []}
NO_CITIES = {"seq": 5, "title": "财务检查", "lead_units": ["省总财务部"], "partner_units": ["省总办公室"]}


def test_groups_come_from_the_registry():
    assert "海东市总工会" in GROUPS["各市（州）总工会"]


def test_reading_is_open_unless_the_setting_says_otherwise():
    assert can_read(None, {})
    assert can_read(None, {"DUBAN_READ_REQUIRES_LOGIN": "0"})
    assert not can_read(None, {"DUBAN_READ_REQUIRES_LOGIN": "1"})
    for account in (VIEWER, HAIDONG, ADMIN):
        assert can_read(account, {"DUBAN_READ_REQUIRES_LOGIN": "1"})


def test_reading_setting_from_environment(monkeypatch):
    monkeypatch.setenv("DUBAN_READ_REQUIRES_LOGIN", "1")
    assert not can_read(None)
    monkeypatch.delenv("DUBAN_READ_REQUIRES_LOGIN")
    assert can_read(None)


def test_nobody_logged_in_cannot_write():
    decision = can_write(None, WITH_CITIES, "海东市总工会", GROUPS)
    assert not decision and "请先登录" in decision.reason


def test_viewer_posting_is_refused():
    decision = can_write(VIEWER, WITH_CITIES, "海东市总工会", GROUPS)
    assert not decision.ok and "只读账号" in decision.reason


def test_editor_writes_for_activity_where_its_group_is_partner():
    assert can_write(HAIDONG, WITH_CITIES, "海东市总工会", GROUPS).ok
    assert unit_roles("海东市总工会", WITH_CITIES, GROUPS) == {"partner"}


def test_editor_writes_where_its_unit_is_named_directly():
    assert can_write(HAIDONG, HAIDONG_LEADS, "海东市总工会", GROUPS).ok
    assert unit_roles("海东市总工会", HAIDONG_LEADS, GROUPS) == {"lead"}


def test_editor_cannot_write_on_behalf_of_another_unit():
    decision = can_write(HAIDONG, WITH_CITIES, "西宁市总工会", GROUPS)
    assert not decision.ok
    assert "未绑定「西宁市总工会」" in decision.reason


def test_forged_on_behalf_of_is_refused():
    # A query param or form field naming a unit the account is not bound to, group names included.
    for forged in ("省总宣传部", "各市（州）总工会", "", "海东市总工会 ", "海东市总"):
        if forged.strip() == "海东市总工会":
            continue
        assert not can_write(HAIDONG, WITH_CITIES, forged, GROUPS).ok, forged


def test_editor_cannot_write_where_neither_unit_nor_group_has_a_role():
    decision = can_write(HAIDONG, NO_CITIES, "海东市总工会", GROUPS)
    assert not decision.ok
    assert "不是活动5「财务检查」的牵头单位或配合单位" in decision.reason


def test_unknown_activity_is_refused():
    assert not can_write(HAIDONG, None, "海东市总工会", GROUPS).ok
    assert not can_write(ADMIN, None, "海东市总工会", GROUPS).ok


def test_admin_may_write_everything():
    for activity in (WITH_CITIES, HAIDONG_LEADS, NO_CITIES):
        for unit in ("海东市总工会", "西宁市总工会", "省总财务部"):
            assert can_write(ADMIN, activity, unit, GROUPS).ok


def test_a_row_of_the_activities_frame_works_too():
    frame = pd.DataFrame([WITH_CITIES, NO_CITIES])
    rows = [row for _, row in frame.iterrows()]
    assert can_write(HAIDONG, rows[0], "海东市总工会", GROUPS).ok
    assert not can_write(HAIDONG, rows[1], "海东市总工会", GROUPS).ok
    assert writable_units(HAIDONG, rows[0], GROUPS) == ["海东市总工会"]


def test_writable_units_for_form_drop_downs():
    two_cities = Account("two", "editor", ("省总财务部", "海东市总工会"))
    assert writable_units(two_cities, WITH_CITIES, GROUPS) == ["海东市总工会"]
    assert writable_units(two_cities, NO_CITIES, GROUPS) == ["省总财务部"]
    assert writable_units(XINING, NO_CITIES, GROUPS) == []
    assert writable_units(VIEWER, WITH_CITIES, GROUPS) == []
    assert writable_units(None, WITH_CITIES, GROUPS) == []
    admin_units = writable_units(ADMIN, WITH_CITIES, GROUPS)
    assert admin_units[:2] == ["", "省总宣传部"]   # the office first: an admin's own report counts as the activity's
    assert "海东市总工会" in admin_units and "各市（州）总工会" not in admin_units
    assert len(admin_units) == len(set(admin_units))


def test_editor_retracts_own_events_only():
    assert can_retract(HAIDONG, "haidong").ok
    other = can_retract(HAIDONG, "xining")
    assert not other.ok and "只能撤回自己录入的记录" in other.reason and "xining" in other.reason
    assert not can_retract(HAIDONG, "").ok  # imported by the system


def test_admin_retracts_any_viewer_none():
    assert can_retract(ADMIN, "xining").ok
    assert can_retract(ADMIN, "").ok
    assert not can_retract(VIEWER, "reader").ok
    assert not can_retract(None, "haidong").ok


def test_retraction_of_a_retraction_is_refused():
    for account in (ADMIN, HAIDONG):
        decision = can_retract(account, "haidong", "EventRetracted")
        assert not decision.ok and "不能再撤回" in decision.reason
    assert not can_retract(ADMIN, "haidong", "ProgressReported", already_retracted=True).ok


def test_the_page_refuses_a_retraction_in_the_words_the_store_refusal_gets():
    """Two tabs retracting one record: the second is stopped by the board (already retracted) or, in a
    closer race, by the store; either way the department head reads the same sentence."""
    from dashboard.entry.values import explain
    from store.log import StreamRuleError

    for code, decision in {"already_retracted": can_retract(HAIDONG, "haidong", "ProgressReported",
                                                            already_retracted=True),
                           "retract_retraction": can_retract(HAIDONG, "haidong", "EventRetracted")}.items():
        assert decision.reason == explain(StreamRuleError("refused", "拒绝", code)).message


def test_admin_only_functions():
    assert can_admin(ADMIN).ok
    assert not can_admin(HAIDONG).ok and not can_admin(VIEWER).ok and not can_admin(None).ok


def test_actor_is_the_username():
    assert actor_of(HAIDONG) == "haidong"
    with pytest.raises(PermissionError):
        actor_of(None)


SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
                    "client_id": "id", "client_secret": "secret",
                    "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}}


def test_oidc_configured():
    assert oidc_configured(SECRETS)
    assert oidc_providers(SECRETS) == [None]
    named = {"auth": {"redirect_uri": "http://x/oauth2callback", "cookie_secret": "c",
                      "corp": {"client_id": "i", "client_secret": "s", "server_metadata_url": "https://m"}}}
    assert oidc_providers(named) == ["corp"]
    assert not oidc_configured({})
    assert not oidc_configured({"auth": {"redirect_uri": "http://x/oauth2callback"}})
    assert not oidc_configured({"auth": "nonsense"})

    class Broken(dict):
        def get(self, key, default=None):
            raise FileNotFoundError("no secrets.toml")

    assert not oidc_configured(Broken())


def test_account_from_oidc():
    accounts = {"haidong": Account("haidong", "editor", ("海东市总工会",), email="hd@example.org"),
                "boss@example.org": Account("boss@example.org", "admin")}
    assert account_from_oidc({"is_logged_in": True, "email": "HD@example.org"}, accounts).username == "haidong"
    assert account_from_oidc({"is_logged_in": True, "email": "boss@example.org"}, accounts).role == "admin"
    stranger = account_from_oidc({"is_logged_in": True, "email": "x@example.org", "name": "陌生人"}, accounts)
    assert stranger.role == "viewer" and stranger.username == "x@example.org" and stranger.label == "陌生人"
    assert not can_write(stranger, WITH_CITIES, "海东市总工会", GROUPS).ok
    unverified = account_from_oidc({"is_logged_in": True, "email": "hd@example.org", "email_verified": False},
                                   accounts)
    assert unverified.role == "viewer"
    assert account_from_oidc({"is_logged_in": False}, accounts) is None
    assert account_from_oidc({}, accounts) is None
