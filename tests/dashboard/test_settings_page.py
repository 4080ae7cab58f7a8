"""方案设置 under AppTest: an admin changes the reporting cycle, review and the scoring rule; each save
is one PlanSettingsChanged naming only what changed, and the board follows it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.access.accounts import add_user
from store.log import EventStore
from store.reading.supervision import Supervision
from tests.dashboard.apptest import FAST, head, last_event, open_app, shown

AS_OF = "2022-09-28"


def account(tmp_path: Path, name: str, role: str, units: tuple[str, ...] = ()):
    return add_user(name, "password-123", role, units, path=tmp_path / "accounts.json", hasher=FAST)


def settings_page(monkeypatch, url: str, who) -> AppTest:
    return open_app(monkeypatch, url, "content/settings.py", who, {"as_of": AS_OF})


def save(at: AppTest) -> AppTest:
    at.button(key="FormSubmitter:form-settings-保存设置").click().run()
    assert not at.exception
    return at


def loop_settings(url: str):
    store = EventStore(url)
    try:
        loop = Supervision(store)
        loop.catch_up()
        return loop.settings("2022-27")
    finally:
        store.close()


def test_an_admin_sets_a_weekly_cycle_and_turns_review_off(monkeypatch, demo_copy, tmp_path):
    at = settings_page(monkeypatch, demo_copy, account(tmp_path, "office", "admin"))
    assert at.radio(key="s_kind").value == "monthly" and at.number_input(key="s_day").value == 25
    assert at.checkbox(key="s_review").value is True
    before = head(demo_copy)
    save(at)
    assert "设置没有变化，未保存。" in [i.value for i in at.info] and head(demo_copy) == before

    at.radio(key="s_kind").set_value("weekly")
    at.selectbox(key="s_weekday").set_value(4)
    at.checkbox(key="s_review").uncheck()
    at.text_input(key="s_note").input("改为每周五报送")
    save(at)
    event = last_event(demo_copy)
    assert event.type == "PlanSettingsChanged" and event.actor == "office"
    assert event.payload["reporting"] == {"kind": "weekly", "day": None, "weekday": 4}
    assert event.payload["review_required"] is False and event.payload["scoring"] is None
    assert any("已保存" in s.value for s in at.success)
    settings = loop_settings(demo_copy)
    assert (settings.reporting.weekday, settings.review_required) == (4, False)
    assert at.radio(key="s_kind").value == "weekly" and at.selectbox(key="s_weekday").value == 4

    cuiban = open_app(monkeypatch, demo_copy, "content/cuiban.py", None, {"as_of": AS_OF})
    cycle = cuiban.selectbox(key="cuiban_cycle").value
    assert cycle.due.weekday() == 4   # the 催办 page now counts weeks due on Friday


def test_the_scoring_rule_is_saved_and_a_bad_band_order_refused(monkeypatch, demo_copy, tmp_path):
    at = settings_page(monkeypatch, demo_copy, account(tmp_path, "office", "admin"))
    before = head(demo_copy)
    at.number_input(key="s_red_below").set_value(90)
    save(at)
    assert "“低于此分为红”不能高于“低于此分为黄”" in "".join(shown(e.value) for e in at.error)
    assert head(demo_copy) == before
    at.number_input(key="s_red_below").set_value(50)
    at.number_input(key="s_missing").set_value(8)
    save(at)
    event = last_event(demo_copy)
    assert event.payload["scoring"]["missing"] == 8 and event.payload["scoring"]["bands"]["red_below"] == 50
    assert event.payload["reporting"] is None and event.payload["review_required"] is None
    assert loop_settings(demo_copy).scoring.missing == 8


def test_editors_and_viewers_cannot_change_settings(monkeypatch, demo_copy, tmp_path):
    for who in (None, account(tmp_path, "jingji", "editor", ("省总经济技术部",))):
        at = settings_page(monkeypatch, demo_copy, who)
        assert "只有管理员可以修改方案设置。" in [i.value for i in at.info]
        assert not [b for b in at.button if "保存设置" in str(b.label)]
