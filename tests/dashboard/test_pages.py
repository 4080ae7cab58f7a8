"""Every leadership page under AppTest: real Streamlit scripts over real SQLite stores."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.apptest import shown, APP, open_app

PAGES = ["content/overview.py", "content/gantt.py", "content/timeline.py", "content/workload.py"]


def run_app(monkeypatch: pytest.MonkeyPatch, url: str, page: str | None = None,
            params: dict[str, str | list[str]] | None = None) -> AppTest:
    return open_app(monkeypatch, url, page, params=params)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def table_values(at: AppTest, column: str) -> list:
    values = []
    for frame in at.dataframe:
        if column in frame.value.columns:
            values += list(frame.value[column])
    return values


@pytest.mark.parametrize("kind", ["empty", "plan", "demo"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(monkeypatch, store_files, kind, page):
    at = run_app(monkeypatch, f"sqlite:///{store_files[kind]}", page)
    if kind == "empty":
        assert "暂无方案" in texts(at)
    else:
        assert "暂无方案" not in texts(at)


DESK_PLAN_PAGES = {"content/selfcheck.py": "部门自查", "content/scores.py": "考评：各单位报送与办结情况",
                   "content/cuiban.py": "催办：各单位本周期报送情况", "content/review.py": "审核：办结与延期申请",
                   "content/settings.py": "方案设置：报送周期、办结审核、考评规则",
                   "content/brief.py": "通报：工作进展情况通报（Word）"}


@pytest.mark.parametrize("page", DESK_PLAN_PAGES)
def test_a_desk_page_without_a_plan_shows_its_title_and_the_hint_alone(monkeypatch, store_files, page):
    from dashboard.access.accounts import Account

    office = Account(username="office", role="admin")
    at = open_app(monkeypatch, f"sqlite:///{store_files['empty']}", page, account=office)
    assert [t.value for t in at.main.title] == [DESK_PLAN_PAGES[page]]
    assert [i.value for i in at.main.info] == ["暂无方案。请先在“导入”页导入方案，或运行 make run 载入 2022 年方案。"]
    assert not at.main.selectbox and not at.main.button and not at.main.success


def test_overview_counts_the_demo_as_of_its_last_event(monkeypatch, store_files):
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}")
    metrics = {m.label: int(m.value) for m in at.metric}
    assert sum(metrics.values()) == 10
    assert metrics["已完成"] == 2
    assert metrics["逾期"] >= 1
    assert at.sidebar.date_input(key="as_of").value.year == 2022


def test_status_filter_narrows_every_table(monkeypatch, store_files):
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}")
    everything = table_values(at, "状态")
    at.sidebar.multiselect(key="status").set_value(["overdue"]).run()
    assert not at.exception
    shown = table_values(at, "状态")
    assert shown and set(shown) == {"逾期"}
    assert len(shown) < len(everything)
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["已完成"] == 0 and metrics["逾期"] >= 1


def test_keyword_and_unit_filters(monkeypatch, store_files):
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}")
    at.sidebar.text_input(key="q").set_value("春风行动").run()
    titles = set(table_values(at, "活动"))
    assert titles and all("春风" in t for t in titles)
    at.sidebar.text_input(key="q").set_value("").run()
    at.sidebar.multiselect(key="unit").set_value(["省总女职工委员会办公室"]).run()
    at.sidebar.radio(key="role").set_value("lead").run()
    assert set(table_values(at, "序号")) == {10}


def test_as_of_moves_the_board(monkeypatch, store_files):
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"as_of": "2022-03-15"})
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["已完成"] == 0
    assert metrics["未开始"] >= 5


def test_query_params_set_the_filters(monkeypatch, store_files):
    """A link carries the labels a user reads (status=逾期), so it is readable and exact."""
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}",
                 params={"status": ["逾期", "预警"], "q": "活动", "role": "配合", "months": ["4月", "6月"]})
    assert at.sidebar.multiselect(key="status").value == ["overdue", "at_risk"]
    assert at.sidebar.text_input(key="q").value == "活动"
    assert at.sidebar.radio(key="role").value == "partner"
    assert at.sidebar.select_slider(key="months").value == (4, 6)
    assert {s.split("（")[0] for s in table_values(at, "状态")} <= {"逾期", "预警"}
    assert all(s in {"逾期", "预警（临近截止）", "预警（进度滞后）"} for s in table_values(at, "状态"))


def test_projector_mode_hides_the_sidebar_and_keeps_title_and_date(monkeypatch, store_files):
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"present": "1"})
    css = "\n".join(m.value for m in at.markdown)
    assert 'data-testid="stSidebar"' in css and "display: none" in css
    assert "2022年" in texts(at) and "五一" in texts(at)


@pytest.mark.parametrize("page", PAGES[1:])
def test_pages_under_filters(monkeypatch, store_files, page):
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}", page,
                 params={"status": ["已完成"], "months": ["4月", "5月"]})
    assert not at.exception


def test_month_range_keeps_activities_whose_window_overlaps(monkeypatch, store_files):
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}")
    at.sidebar.select_slider(key="months").set_value((9, 12)).run()
    metrics = {m.label: int(m.value) for m in at.metric}
    # 7 and 8 (April) and 3 (April–May) fall out; the rest run into the autumn
    assert sum(metrics.values()) == 7 and metrics["已完成"] == 0


def test_timeline_aggregates_and_lists_latest_events(monkeypatch, store_files):
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}", "content/timeline.py")
    latest = table_values(at, "事件类型")
    assert latest and "参与情况" in latest


def test_a_store_setting_that_is_off_gets_a_chinese_message_not_a_traceback(monkeypatch, demo_copy):
    monkeypatch.setenv("DUBAN_SQLITE_SYNCHRONOUS", "sometimes")
    monkeypatch.setenv("DUBAN_DB", demo_copy)
    at = AppTest.from_file(APP, default_timeout=90).run()

    assert not at.exception
    assert "无法打开事件库" in shown(at.error[0].value) and "DUBAN_SQLITE_SYNCHRONOUS" in shown(at.error[0].value)


def test_the_sidebar_link_carries_the_date_and_every_filter_and_opens_the_same_view(monkeypatch, store_files):
    url = f"sqlite:///{store_files['demo']}"
    at = run_app(monkeypatch, url, "content/gantt.py",
                 params={"as_of": "2022-06-15", "status": ["逾期", "预警"], "q": "活动", "role": "配合",
                         "months": ["4月", "6月"], "unit": "海东市总工会"})
    link = at.sidebar.code[0].value
    assert link.startswith("/gantt?")
    query = parse_qs(urlsplit(link).query)
    assert query["as_of"] == ["2022-06-15"] and query["status"] == ["逾期", "预警"] and query["q"] == ["活动"]
    assert query["role"] == ["配合"] and query["months"] == ["4月", "6月"] and query["unit"] == ["海东市总工会"]
    # the link opens the same view: the same filters, read back by the widgets
    again = run_app(monkeypatch, url, params=query)
    assert again.sidebar.date_input(key="as_of").value == dt.date(2022, 6, 15)
    assert again.sidebar.multiselect(key="status").value == ["overdue", "at_risk"]
    assert again.sidebar.multiselect(key="unit").value == ["海东市总工会"]
    assert again.sidebar.select_slider(key="months").value == (4, 6)
    assert again.sidebar.selectbox(key="plan").value == at.sidebar.selectbox(key="plan").value
    # the default date is in the link too, so it never drifts to another day
    plain = run_app(monkeypatch, url)
    default_day = plain.sidebar.date_input(key="as_of").value
    assert parse_qs(urlsplit(plain.sidebar.code[0].value).query)["as_of"] == [default_day.isoformat()]


def test_changes_since_the_meeting_in_the_link_list_progress_targets_revisions_and_risks(monkeypatch, store_files):
    """The demo revises activities 6 and 10 on 2022-07-20 and reports progress all year."""
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"as_of": "2022-08-01", "since": "2022-07-01"})
    assert at.date_input(key="since").value == dt.date(2022, 7, 1)
    tables = {t.value.columns[-1]: t.value for t in at.dataframe}
    progress = tables["现进度(%)"]
    assert not progress.empty and (progress["现进度(%)"] != progress["原进度(%)"]).all()
    revised = tables["现时限"].set_index("序号")
    assert {6, 10} <= set(revised.index)
    assert "2022-10-31" in revised.loc[6, "现时限"] and "2022-10-31" not in revised.loc[6, "原时限"]
    if "现完成" in tables:
        advanced = tables["现完成"]
        assert (advanced["现完成"] > advanced["原完成"]).all()
    # a later meeting date: the revisions of July are no longer news
    later = run_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"as_of": "2022-08-01", "since": "2022-07-25"})
    assert "现时限" not in {t.value.columns[-1] for t in later.dataframe}


def test_changes_since_the_meeting_name_the_activity_and_the_milestone(monkeypatch, store_files):
    """Activity 8 (演讲比赛) reached 初赛, 复赛 and 决赛 in April: 活动 is the activity, 节点 the milestone."""
    at = run_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"as_of": "2022-04-30", "since": "2022-04-01"})
    reached = next(f.value for f in at.dataframe if "节点" in f.value.columns)
    assert set(reached["节点"]) >= {"初赛", "复赛", "决赛"}
    assert all("演讲比赛" in t for t in reached.loc[reached["序号"] == 8, "活动"])
    added = next(f.value for f in at.dataframe if "参与人数" in f.value.columns)
    titles = dict(zip(added["序号"], added["活动"]))
    assert titles and all(isinstance(t, str) and t.startswith(("开展", "深化", "举办")) for t in titles.values())


def test_gantt_says_what_the_thin_marks_are(monkeypatch, store_files):
    """The demo moves the ends of activities 6 and 10: the page names them under the chart."""
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", "content/gantt.py", params={"as_of": "2022-09-28"})
    notes = [c.value for c in at.caption if "原定截止" in c.value]
    assert len(notes) == 1 and "第6项原定" in notes[0] and "第10项原定" in notes[0], notes
    at = open_app(monkeypatch, f"sqlite:///{store_files['plan']}", "content/gantt.py", params={"as_of": "2022-09-28"})
    assert not [c.value for c in at.caption if "原定截止" in c.value]
