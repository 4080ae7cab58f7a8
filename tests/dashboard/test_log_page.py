"""事件日志 under AppTest: real Streamlit runs over real SQLite copies; logins through the accounts file."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access.accounts import add_user, load_accounts
from dashboard.board import views
from store.log import EventStore, NewEvent
from store.reading.projections import Projector
from tests.dashboard.apptest import FAST, head, open_app

PAGE = "content/log.py"
STREAM = "activity/2022-27/4"


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    """An editor of 海东市总工会, a second editor, an admin and a viewer, in a private accounts file."""
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("DUBAN_ACCOUNTS", str(path))
    for name, role, units in (("haidong", "editor", ["海东市总工会"]), ("xining", "editor", ["西宁市总工会"]),
                              ("boss", "admin", []), ("reader", "viewer", [])):
        add_user(name, "correct horse battery", role, units, path=path, hasher=FAST)
    return load_accounts(path)


def open_log(monkeypatch, url: str, account=None) -> AppTest:
    return open_app(monkeypatch, url, PAGE, account)


def log_table(at: AppTest) -> pd.DataFrame:
    frames = [f.value for f in at.dataframe if "位置" in f.value.columns and "事件类型" in f.value.columns]
    assert len(frames) == 1
    return frames[0]


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [e.value for e in at.error] + [s.value for s in at.success] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def add_event(url: str, actor: str, unit: str = "海东市总工会", note: str = "海东市总工会上报进展",
              type_: str = "ProgressReported", payload: dict | None = None) -> str:
    store = EventStore(url)
    try:
        stored = store.append(NewEvent(type_, STREAM, payload or {"percent": 33, "note": note},
                                       occurred_on=pd.Timestamp("2022-05-20").date(), actor=actor, unit=unit))
        return stored.event_id
    finally:
        store.close()


def submit(at: AppTest):
    return next(b for b in at.button if b.label == "撤回")


def retract_form(at: AppTest, position: int, reason: str) -> AppTest:
    at.selectbox(key="log_retract_event").set_value(position)
    at.text_area(key="log_retract_reason").set_value(reason)
    submit(at).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def position_of(url: str, event_id: str) -> int:
    store = EventStore(url)
    try:
        return store.get(event_id).position
    finally:
        store.close()


# ── reading ──────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", ["empty", "plan", "demo"])
def test_renders_on_every_store(monkeypatch, store_files, kind):
    at = open_log(monkeypatch, f"sqlite:///{store_files[kind]}")
    assert at.title[0].value == "事件日志"
    position = head(f"sqlite:///{store_files[kind]}")
    assert f"最新位置：**{position}**" in all_text(at)
    if kind == "empty":
        assert "没有符合条件的记录" in all_text(at)
    else:
        table = log_table(at)
        assert len(table) == position  # one plan: its log is the whole log
        assert list(table["位置"]) == sorted(table["位置"], reverse=True)  # newest first


def test_type_filter_narrows(monkeypatch, store_files):
    at = open_log(monkeypatch, f"sqlite:///{store_files['demo']}")
    everything = len(log_table(at))
    at.multiselect(key="log_types").set_value(["ParticipationRecorded"]).run()
    table = log_table(at)
    assert 0 < len(table) < everything
    assert set(table["事件类型"]) == {"参与情况"}
    assert f"符合条件的记录 {len(table)} 条" in all_text(at)


def test_unit_activity_and_date_filters(monkeypatch, store_files):
    at = open_log(monkeypatch, f"sqlite:///{store_files['demo']}")
    at.multiselect(key="log_seqs").set_value([views.PLAN_LEVEL]).run()
    assert set(log_table(at)["事件类型"]) == {"导入方案"}
    at.multiselect(key="log_seqs").set_value([4]).run()
    at.multiselect(key="log_units").set_value(["海东市总工会"]).run()
    table = log_table(at)
    assert set(table["序号"]) == {4} and set(table["单位"]) == {"海东市总工会"}
    at.multiselect(key="log_seqs").set_value([]).run()
    at.multiselect(key="log_units").set_value([]).run()
    at.date_input(key="log_occurred").set_value((pd.Timestamp("2022-05-01").date(),
                                                 pd.Timestamp("2022-05-31").date())).run()
    days = pd.to_datetime(log_table(at)["发生日期"])
    assert days.min() >= pd.Timestamp("2022-05-01") and days.max() <= pd.Timestamp("2022-05-31")
    at.date_input(key="log_recorded").set_value((pd.Timestamp("2000-01-01").date(),
                                                 pd.Timestamp("2000-01-02").date())).run()
    assert "没有符合条件的记录" in all_text(at)


def test_retracted_demo_event_is_marked_with_its_reason(monkeypatch, store_files):
    at = open_log(monkeypatch, f"sqlite:///{store_files['demo']}")
    table = log_table(at)
    marked = table[table["已撤回"] == "✓"]
    assert len(marked) == 1
    assert marked.iloc[0]["撤回原因"] == "人数多填一位，撤回后重报"
    retraction = table[table["事件类型"] == "撤回更正"].iloc[0]
    assert retraction["撤回位置"] == str(marked.iloc[0]["位置"])


def test_verify_shows_ok_with_count_and_head_hash(monkeypatch, store_files):
    url = f"sqlite:///{store_files['demo']}"
    at = open_log(monkeypatch, url)
    at.button(key="log_verify").click().run()
    store = EventStore(url)
    position, head_hash = store.head()
    store.close()
    assert len(at.success) == 1
    assert f"共 {position} 条记录" in at.success[0].value and head_hash in at.success[0].value
    assert any(code.value == head_hash for code in at.code)


def test_jsonl_exports(monkeypatch, store_files, tmp_path):
    """The full export re-imports into an empty store with the same head hash; a filtered one holds its rows."""
    url = f"sqlite:///{store_files['demo']}"
    at = open_log(monkeypatch, url)
    labels = [b.label for b in at.get("download_button")]
    position, head_hash = EventStore(url).head()
    assert f"导出完整日志（JSON Lines，至位置 {position}）" in labels
    source = EventStore(url)
    whole = views.jsonl(source.export()).decode("utf-8")
    some = views.jsonl(source.export(), frozenset({1, 5})).decode("utf-8").splitlines()
    source.close()
    copy = EventStore(f"sqlite:///{tmp_path / 'copy.db'}")
    copy.init()
    assert copy.import_lines(whole.splitlines()) == position
    assert copy.head() == (position, head_hash)
    copy.close()
    assert [json.loads(line)["position"] for line in some] == [1, 5]


def test_a_long_log_is_read_a_page_at_a_time(monkeypatch, demo_copy):
    """The table holds one page of 500 rows, newest first; the page number walks back through the
    rest, the last page holds what is left, and another filter starts its list on page 1 (its newest
    rows), not on the page number chosen for the list before."""
    store = EventStore(demo_copy)
    store.append_many([NewEvent("ProgressReported", STREAM, {"percent": i % 101, "note": f"第{i}次"},
                                occurred_on=pd.Timestamp("2022-06-01").date(), actor="bulk", unit="海东市总工会")
                       for i in range(2_100)] +
                      [NewEvent("ProgressReported", STREAM, {"percent": i % 101, "note": f"补录{i}"},
                                occurred_on=pd.Timestamp("2022-06-02").date(), actor="batch", unit="海东市总工会")
                       for i in range(700)])
    total = store.head()[0]
    store.close()
    at = open_log(monkeypatch, demo_copy)
    table = log_table(at)
    pages = -(-total // 500)
    assert pages > 2
    assert len(table) == 500 and table["位置"].iloc[0] == total
    assert f"符合条件的记录 {total} 条" in all_text(at)
    assert f"第 1 / {pages} 页：第 1–500 条" in all_text(at)
    assert f"下载全部符合条件的记录（CSV，{total} 条）" in [b.label for b in at.get("download_button")]

    at.number_input(key="log_page").set_value(2).run()
    assert not at.exception, [e.message for e in at.exception]
    second = log_table(at)
    assert second["位置"].tolist() == list(range(total - 500, total - 1000, -1)), "page 2 is not the next 500 rows"
    at.number_input(key="log_page").set_value(pages).run()
    last = log_table(at)
    assert len(last) == total - 500 * (pages - 1) and last["位置"].iloc[-1] == 1
    assert f"第 {pages} / {pages} 页：第 {500 * (pages - 1) + 1}–{total} 条" in all_text(at)

    at.multiselect(key="log_actors").set_value(["batch"]).run()   # 700 rows: 2 pages, fewer than before
    assert not at.exception, [e.message for e in at.exception]
    assert "第 1 / 2 页：第 1–500 条" in all_text(at)
    assert len(log_table(at)) == 500 and set(log_table(at)["填报人"]) == {"batch"}
    at.number_input(key="log_page").set_value(2).run()
    assert "第 2 / 2 页：第 501–700 条" in all_text(at) and len(log_table(at)) == 200
    at.multiselect(key="log_actors").set_value(["bulk"]).run()   # 2,100 rows from page 2 of the last list
    assert "第 1 / 5 页：第 1–500 条" in all_text(at)


# ── retracting ───────────────────────────────────────────────────────


def test_editor_retracts_own_event(monkeypatch, demo_copy, accounts):
    event_id = add_event(demo_copy, actor="haidong")
    position = position_of(demo_copy, event_id)
    at = open_log(monkeypatch, demo_copy, accounts["haidong"])
    retract_form(at, position, "进度填错，重报")
    assert not at.error, [e.value for e in at.error]
    assert f"已撤回位置 {position} 的记录" in at.success[0].value
    assert at.selectbox(key="log_retract_event").value is None  # the form is empty again
    assert at.text_area(key="log_retract_reason").value == ""
    table = log_table(at)
    row = table[table["位置"] == position].iloc[0]
    assert row["已撤回"] == "✓" and row["撤回原因"] == "进度填错，重报"
    assert head(demo_copy) == position + 1
    store = EventStore(demo_copy)
    retraction = store.get(views.retraction_id(event_id, "haidong"))
    assert retraction.actor == "haidong" and retraction.unit == "海东市总工会"
    projector = Projector(store)
    projector.catch_up()
    assert event_id in set(projector.log().loc[lambda f: f["retracted"], "event_id"])
    store.close()
    # a second submit (double click, browser retry) records nothing more
    retract_form(at, position, "进度填错，重报")
    assert head(demo_copy) == position + 1


def test_editor_cannot_retract_someone_elses_event(monkeypatch, demo_copy, accounts):
    event_id = add_event(demo_copy, actor="xining", unit="西宁市总工会", note="西宁上报")
    position = position_of(demo_copy, event_id)
    at = open_log(monkeypatch, demo_copy, accounts["haidong"])
    retract_form(at, position, "不是我的")
    assert "只能撤回自己录入的记录" in at.error[0].value
    assert head(demo_copy) == position


def test_admin_retracts_any_event(monkeypatch, demo_copy, accounts):
    event_id = add_event(demo_copy, actor="xining", unit="西宁市总工会", note="西宁上报")
    position = position_of(demo_copy, event_id)
    at = open_log(monkeypatch, demo_copy, accounts["boss"])
    retract_form(at, position, "管理员更正")
    assert not at.error and head(demo_copy) == position + 1


def test_viewer_and_anonymous_get_no_form(monkeypatch, store_files, accounts):
    for account, message in ((accounts["reader"], "只读账号不能撤回记录"), (None, "请先登录")):
        at = open_log(monkeypatch, f"sqlite:///{store_files['demo']}", account)
        assert not [b for b in at.button if b.label == "撤回"]
        assert not [s for s in at.selectbox if s.key == "log_retract_event"]
        assert message in all_text(at)


def test_retraction_of_a_retraction_is_refused(monkeypatch, demo_copy, accounts):
    at = open_log(monkeypatch, demo_copy, accounts["boss"])
    table = log_table(at)
    retraction = int(table[table["事件类型"] == "撤回更正"].iloc[0]["位置"])
    before = head(demo_copy)
    retract_form(at, retraction, "撤回撤回")
    assert "撤回记录本身不能再撤回" in at.error[0].value
    assert head(demo_copy) == before


def test_already_retracted_event_is_refused(monkeypatch, demo_copy, accounts):
    at = open_log(monkeypatch, demo_copy, accounts["boss"])
    table = log_table(at)
    retracted = int(table[table["已撤回"] == "✓"].iloc[0]["位置"])
    before = head(demo_copy)
    retract_form(at, retracted, "再撤一次")
    assert "已经撤回" in at.error[0].value
    assert head(demo_copy) == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_empty_reason_is_refused(monkeypatch, demo_copy, accounts, reason):
    position = position_of(demo_copy, add_event(demo_copy, actor="haidong"))
    at = open_log(monkeypatch, demo_copy, accounts["haidong"])
    retract_form(at, position, reason)
    assert at.error[0].value == "请填写撤回原因。"
    assert head(demo_copy) == position


def test_no_choice_is_refused(monkeypatch, demo_copy, accounts):
    at = open_log(monkeypatch, demo_copy, accounts["boss"])
    before = head(demo_copy)
    at.text_area(key="log_retract_reason").set_value("原因")
    submit(at).click().run()
    assert at.error[0].value == "请选择要撤回的记录。"
    assert head(demo_copy) == before


def test_markup_in_a_reason_is_shown_as_text(monkeypatch, demo_copy, accounts):
    reason = "<script>alert(1)</script> **bold**"
    note = "<img src=x onerror=alert(2)> _x_"
    position = position_of(demo_copy, add_event(demo_copy, actor="haidong", note=note))
    at = open_log(monkeypatch, demo_copy, accounts["haidong"])
    assert note[:20] in at.selectbox(key="log_retract_event").format_func(position)
    retract_form(at, position, reason)
    table = log_table(at)
    assert table[table["位置"] == position].iloc[0]["撤回原因"] == reason
    assert table[table["位置"] == position + 1].iloc[0]["备注"] == reason
    for element in [*at.markdown, *at.caption, *at.success, *at.error, *at.info, *at.warning]:
        assert "<script>" not in element.value and "**bold**" not in element.value
        assert "<img" not in element.value


# ── the sidebar's filters, the facts' details, display names (issue 11) ──


def test_sidebar_unit_and_months_narrow_the_log(monkeypatch, store_files):
    at = open_log(monkeypatch, f"sqlite:///{store_files['demo']}")
    everything = len(log_table(at))
    assert "左侧筛选用于本页" in all_text(at) and "“单位角色”不用于事件日志" in all_text(at)
    at.multiselect(key="unit").set_value(["海东市总工会"]).run()
    by_unit = log_table(at)
    assert 0 < len(by_unit) < everything and set(by_unit["单位"]) == {"海东市总工会"}
    assert f"符合条件的记录 {len(by_unit)} 条" in all_text(at)
    at.multiselect(key="unit").set_value([]).run()
    at.select_slider(key="months").set_value((5, 5)).run()
    in_may = log_table(at)
    assert 0 < len(in_may) < everything
    assert set(pd.to_datetime(in_may["发生日期"]).dt.month) == {5}


def test_detail_columns_show_the_facts(monkeypatch, store_files):
    url = f"sqlite:///{store_files['plan']}"
    add_event(url, "haidong", type_="ParticipationRecorded",
              payload={"unit": "海东市总工会", "date": "2022-05-20", "participants": 120, "sessions": 3,
                       "place": "乐都区职工之家", "note": "参加培训"})
    add_event(url, "haidong", payload={"percent": 45, "note": "过半"})
    add_event(url, "haidong", type_="MilestonePlanned",
              payload={"key": "m-train", "title": "首期培训结业", "due": "2022-06-30", "note": ""})
    at = open_log(monkeypatch, url)
    table = log_table(at)
    participation = table[table["事件类型"] == "参与情况"].iloc[0]
    assert (participation["参与人数"], participation["场次"], participation["地点"]) == ("120", "3", "乐都区职工之家")
    progress = table[table["事件类型"] == "进展上报"].iloc[0]
    assert progress["进度(%)"] == "45" and progress["参与人数"] == ""   # a blank, never "None"
    milestone = table[table["事件类型"] == "计划节点"].iloc[0]
    assert (milestone["节点"], str(milestone["节点日期"])) == ("首期培训结业", "2022-06-30")
    assert "数量" in table.columns


def test_actor_shows_the_display_name(monkeypatch, store_files, tmp_path):
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("DUBAN_ACCOUNTS", str(path))
    add_user("haidong", "correct horse battery", "editor", ["海东市总工会"], path=path, hasher=FAST,
             display_name="海东市总工会·王芳")
    add_user("xining", "correct horse battery", "editor", ["西宁市总工会"], path=path, hasher=FAST)
    url = f"sqlite:///{store_files['plan']}"
    add_event(url, "haidong")
    add_event(url, "xining", unit="西宁市总工会", note="西宁上报")
    table = log_table(open_log(monkeypatch, url))
    assert {"海东市总工会·王芳", "xining"} <= set(table["填报人"])
    assert "haidong" not in set(table["填报人"])


def test_sidebar_keyword_and_status_narrow_the_log(monkeypatch, store_files):
    """关键词 finds an event by its own words or its activity's title; 状态 keeps the events of
    activities in that state (the demo has one overdue activity, 3, on 2022-09-28)."""
    url = f"sqlite:///{store_files['demo']}"
    at = open_log(monkeypatch, url)
    everything = len(log_table(at))
    at.text_input(key="q").set_value("春风行动").run()
    spring = log_table(at)
    assert 0 < len(spring) < everything and set(spring["序号"]) == {6}
    at.text_input(key="q").set_value("劳动人民文化宫").run()   # a place named in participation payloads
    places = log_table(at)
    assert 0 < len(places) < everything and set(places["地点"]) == {"劳动人民文化宫"}
    assert f"符合条件的记录 {len(places)} 条" in all_text(at)
    at.text_input(key="q").set_value("").run()
    at.multiselect(key="status").set_value(["overdue"]).run()
    overdue = log_table(at)
    assert 0 < len(overdue) < everything and set(overdue["序号"]) == {3}
