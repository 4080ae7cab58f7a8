"""催办 under AppTest on a copy of the demo store at 2022-09-28: the matrix agrees with the
projection, an admin reminds a unit once per cycle (the unit sees it on 部门自查), a viewer cannot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access.accounts import add_user
from seed.units import load_registry
from store.log import EventStore
from store.reading.projections import Projector
from store.reading.supervision import Supervision, cycle_of, report_rows
from tests.dashboard.apptest import FAST, head, open_app

AS_OF = "2022-09-28"
PLAN = "2022-27"


def account(tmp_path: Path, name: str, role: str):
    return add_user(name, "password-123", role, (), path=tmp_path / "accounts.json", hasher=FAST)


def open_page(monkeypatch, url: str, who=None) -> AppTest:
    return open_app(monkeypatch, url, "content/cuiban.py", who, {"as_of": AS_OF})


def september(url: str):
    store = EventStore(url)
    try:
        projector, loop = Projector(store), Supervision(store)
        projector.catch_up()
        loop.catch_up()
        cycle = cycle_of(loop.settings(PLAN).reporting, dt.date(2022, 9, 28))
        return report_rows(projector, loop, PLAN, cycle, dt.date(2022, 9, 28), load_registry().groups)
    finally:
        store.close()


def reminders(url: str) -> list:
    store = EventStore(url)
    try:
        return list(store.read(types=["ReminderIssued"]))
    finally:
        store.close()


def matrix(at: AppTest):
    return next(d.value for d in at.dataframe if "未报送" in d.value.columns)


def test_the_matrix_lists_the_units_that_did_not_report_in_september(monkeypatch, store_files):
    url = f"sqlite:///{store_files['demo']}"
    at = open_page(monkeypatch, url)
    expected = september(url)
    silent = sorted(set(expected[expected["state"] == "missing"]["unit"]))
    assert silent, "the demo has units that did not report in September 2022"
    table = matrix(at)
    shown = table[table["未报送"] > 0]
    assert sorted(shown["单位"]) == silent
    assert int(table["未报送"].sum()) == int((expected["state"] == "missing").sum())
    assert int(table["已按时"].sum()) == int((expected["state"] == "on_time").sum())
    one = expected[expected["state"] == "missing"].iloc[0]
    assert table.set_index("单位").loc[one.unit, f"第{one.seq}项"] == "未报送"
    # the sidebar's unit filter keeps its units only
    at.multiselect(key="unit").set_value([one.unit]).run()
    assert matrix(at)["单位"].tolist() == [one.unit]
    # an earlier cycle: August is over, so nothing in it is 未到期
    cycles = at.selectbox(key="cuiban_cycle")
    assert len(cycles.options) > 1
    cycles.select_index(1).run()
    assert not at.exception
    assert at.selectbox(key="cuiban_cycle").value.start == dt.date(2022, 8, 1)
    assert int(matrix(at)["未到期"].sum()) == 0


def test_an_admin_reminds_a_unit_once_per_cycle_and_the_unit_sees_it(monkeypatch, demo_copy, tmp_path):
    admin = account(tmp_path, "office", "admin")
    at = open_page(monkeypatch, demo_copy, admin)
    expected = september(demo_copy)
    unit = min(expected[expected["state"] == "missing"]["unit"])
    assert unit in at.multiselect(key="cuiban_units-2022-09-01").value
    before = len(reminders(demo_copy))
    at.multiselect(key="cuiban_units-2022-09-01").set_value([unit])
    at.text_area(key="cuiban_message").set_value("<b>请于本周内</b>报送")
    at.button(key="cuiban_remind").click().run()
    assert not at.exception, [e.message for e in at.exception]
    issued = reminders(demo_copy)
    assert len(issued) == before + 1
    event = issued[-1]
    assert (event.payload["unit"], event.actor, event.payload["cycle_start"]) == (unit, "office", "2022-09-01")
    assert event.payload["message"] == "<b>请于本周内</b>报送"
    assert any(unit in s.value and "已催办" in s.value for s in at.success)

    position = head(demo_copy)
    at.multiselect(key="cuiban_units-2022-09-01").set_value([unit])
    at.button(key="cuiban_remind").click().run()
    assert head(demo_copy) == position
    assert any(f"{unit}：本周期已催办" in s.value for s in at.success)

    at.switch_page("content/selfcheck.py").run()
    at.selectbox(key="self_unit").set_value(unit).run()
    assert any(title.value.startswith("收到的催办") for title in at.subheader)
    shown = next(d.value for d in at.dataframe if "催办内容" in d.value.columns)
    assert "<b>请于本周内</b>报送" in shown["催办内容"].tolist()


@pytest.mark.parametrize("role", [None, "viewer"])
def test_only_the_office_can_remind(monkeypatch, store_files, tmp_path, role):
    who = account(tmp_path, "reader", role) if role else None
    at = open_page(monkeypatch, f"sqlite:///{store_files['demo']}", who)
    assert not any(b.label == "发送催办" for b in at.button)
    assert "只有管理员" in "\n".join(i.value for i in at.info)
    assert not matrix(at).empty


def test_what_each_channel_did_is_shown_and_a_failed_one_is_an_error(monkeypatch, demo_copy, tmp_path):
    from tests.dashboard.test_remind import _server

    good, bad = _server(200), _server(500)
    (good_url, got), (bad_url, _) = next(good), next(bad)
    try:
        monkeypatch.setenv("DUBAN_WECOM_WEBHOOK", good_url)
        monkeypatch.setenv("DUBAN_DINGTALK_WEBHOOK", bad_url)
        at = open_page(monkeypatch, demo_copy, account(tmp_path, "office", "admin"))
        unit = at.multiselect(key="cuiban_units-2022-09-01").value[0]
        at.multiselect(key="cuiban_units-2022-09-01").set_value([unit])
        at.button(key="cuiban_remind").click().run()
        assert not at.exception, [e.message for e in at.exception]
        assert any(s.value == f"{unit}：企业微信发送成功" for s in at.success)
        assert any(e.value.startswith(f"{unit}：钉钉发送失败") for e in at.error)
        assert len(got) == 1 and got[0]["body"]["text"]["content"].startswith("督办提醒")
    finally:
        for server in (good, bad):
            next(server, None)
