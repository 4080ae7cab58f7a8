"""办结审核 and 延期申请 under AppTest on a copy of the demo: a lead asks on 部门自查, the office answers on
审核, the overview counts 待审核 apart and the lead reads a return on 部门自查."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access.accounts import add_user
from store.log import EventStore
from store.reading.projections import Projector
from tests.dashboard.apptest import FAST, head, last_event, open_app, shown

AS_OF = "2022-09-28"
LEAD = "省总经济技术部"   # a lead of activity 3 (4—5月, overdue on the demo by September)


def account(tmp_path: Path, name: str, role: str, units: tuple[str, ...] = ()):
    return add_user(name, "password-123", role, units, path=tmp_path / "accounts.json", hasher=FAST)


@pytest.fixture
def lead(tmp_path):
    return account(tmp_path, "jingji", "editor", (LEAD,))


@pytest.fixture
def office(tmp_path):
    return account(tmp_path, "office", "admin")


def selfcheck(monkeypatch, url: str, who) -> AppTest:
    at = open_app(monkeypatch, url, "content/selfcheck.py", who, {"as_of": AS_OF})
    at.selectbox(key="self_unit").set_value(LEAD).run()
    labels = at.selectbox(key="entry_activity").options
    at.selectbox(key="entry_activity").set_value(next(o for o in labels if o.startswith("3. "))).run()
    return at


def ask_completion(monkeypatch, url: str, who, evidence: str = "总结材料及照片已上传") -> AppTest:
    at = selfcheck(monkeypatch, url, who)
    at.text_area(key="c_note").input(evidence)
    at.checkbox(key="c_sure").check()
    at.button(key="FormSubmitter:form-complete-提交").click().run()
    assert not at.exception
    return at


def activity(url: str, seq: int = 3) -> dict:
    store = EventStore(url)
    try:
        projector = Projector(store)
        projector.catch_up()
        return projector.activities(dt.date.fromisoformat(AS_OF)).set_index("seq").loc[seq].to_dict()
    finally:
        store.close()


def review_page(monkeypatch, url: str, who) -> AppTest:
    return open_app(monkeypatch, url, "content/review.py", who, {"as_of": AS_OF})


def test_a_leads_completion_waits_for_the_office_then_counts_as_done(monkeypatch, demo_copy, lead, office):
    at = ask_completion(monkeypatch, demo_copy, lead)
    event = last_event(demo_copy)
    assert (event.type, event.unit, event.payload["note"]) == ("CompletionRequested", LEAD, "总结材料及照片已上传")
    assert activity(demo_copy)["status"] == "overdue" and activity(demo_copy)["review_pending"]
    assert "已提交办结申请，等待办公室审核。" in [i.value for i in at.info]
    mine = next(d.value for d in at.dataframe if "序号" in d.value.columns and "剩余天数" in d.value.columns)
    assert mine.set_index("序号").loc[3, "状态"] == "逾期 · 待审核"

    overview = open_app(monkeypatch, demo_copy, None, None, {"as_of": AS_OF})
    metrics = {m.label: int(m.value) for m in overview.metric}
    assert metrics["待审核"] == 1 and metrics["逾期"] == 1 and metrics["已完成"] == 2

    page = review_page(monkeypatch, demo_copy, office)
    assert any("第3项" in shown(m.value) and LEAD in shown(m.value) for m in page.markdown)
    confirm = next(b for b in page.button if b.label == "确认办结")
    confirm.click().run()
    assert not page.exception
    done = last_event(demo_copy)
    assert (done.type, done.unit, done.payload["request_event_id"]) == ("ActivityCompleted", "", event.event_id)
    assert "第3项已确认办结。" in [s.value for s in page.success]
    assert "没有待审核的申请。" in [i.value for i in page.info]
    overview = open_app(monkeypatch, demo_copy, None, None, {"as_of": AS_OF})
    metrics = {m.label: int(m.value) for m in overview.metric}
    assert metrics["已完成"] == 3 and metrics["待审核"] == 0 and metrics["逾期"] == 0


def test_the_office_returns_with_a_reason_and_the_lead_reads_it(monkeypatch, demo_copy, lead, office):
    ask_completion(monkeypatch, demo_copy, lead)
    page = review_page(monkeypatch, demo_copy, office)
    before = head(demo_copy)
    next(b for b in page.button if b.label == "退回").click().run()
    assert "退回或不同意时请写明原因" in "".join(shown(e.value) for e in page.error)
    assert head(demo_copy) == before
    page.text_input(key=next(t.key for t in page.text_input if t.key.startswith("review_note-"))).input(
        "缺少各市州参与人数佐证").run()
    next(b for b in page.button if b.label == "退回").click().run()
    assert last_event(demo_copy).type == "CompletionReturned"
    assert not activity(demo_copy)["review_pending"]

    at = selfcheck(monkeypatch, demo_copy, lead)
    assert any("办公室退回了 1 项申请" in w.value for w in at.warning)
    mine = next(d.value for d in at.dataframe if "审核意见" in d.value.columns)
    assert (mine.iloc[0]["审核结果"], mine.iloc[0]["审核意见"]) == ("已退回", "缺少各市州参与人数佐证")
    assert at.text_area(key="c_note") is not None   # the lead may ask again


def test_without_evidence_nothing_is_asked(monkeypatch, demo_copy, lead):
    before = head(demo_copy)
    at = ask_completion(monkeypatch, demo_copy, lead, evidence="")
    assert "请填写办结佐证" in "".join(shown(e.value) for e in at.error)
    assert head(demo_copy) == before


def test_viewers_see_requests_but_no_buttons(monkeypatch, demo_copy, lead):
    ask_completion(monkeypatch, demo_copy, lead)
    page = review_page(monkeypatch, demo_copy, None)
    assert "只有管理员（省总办公室）可以审核。" in [i.value for i in page.info]
    assert not [b for b in page.button if b.label in ("确认办结", "退回")]


def test_an_extension_asked_and_approved_moves_the_end(monkeypatch, demo_copy, lead, office):
    at = selfcheck(monkeypatch, demo_copy, lead)
    assert at.date_input(key="x_end").value == dt.date(2022, 6, 30)   # a month past activity 3's own end
    at.date_input(key="x_end").set_value(dt.date(2022, 5, 20))
    at.text_area(key="x_reason").input("疫情影响，场地未落实")
    at.button(key="FormSubmitter:form-extension-提交").click().run()
    assert "新的截止日期须晚于现在的截止日期（2022-05-31）" in "".join(shown(e.value) for e in at.error)
    at.date_input(key="x_end").set_value(dt.date(2022, 10, 31))
    at.button(key="FormSubmitter:form-extension-提交").click().run()
    asked = last_event(demo_copy)
    assert (asked.type, asked.payload["end"]) == ("ExtensionRequested", "2022-10-31")
    assert activity(demo_copy)["extension_asked"] == dt.datetime(2022, 10, 31)

    page = review_page(monkeypatch, demo_copy, office)
    next(b for b in page.button if b.label == "同意延期").click().run()
    approved = last_event(demo_copy)
    assert (approved.type, approved.payload["extension_request_id"]) == ("ActivityRevised", asked.event_id)
    row = activity(demo_copy)
    assert row["end"] == dt.datetime(2022, 10, 31) and row["planned_end"] == dt.datetime(2022, 5, 31)
    assert row["status"] != "overdue"
    assert "第3项已延期至 2022-10-31。" in [s.value for s in page.success]


def test_an_approval_without_a_note_keeps_a_long_reason_and_says_the_new_end_in_the_window(
        monkeypatch, demo_copy, lead, office):
    """A lead's reason may run to 2,000 characters, a revision's to 200: approving without a note once
    failed for a long reason. And the window's words ("4—5月") now say the approved end."""
    at = selfcheck(monkeypatch, demo_copy, lead)
    reason = "受疫情影响，各市州场地未能落实，" * 20   # 320 characters
    at.date_input(key="x_end").set_value(dt.date(2022, 10, 31))
    at.text_area(key="x_reason").input(reason)
    at.button(key="FormSubmitter:form-extension-提交").click().run()
    asked = last_event(demo_copy)
    assert (asked.type, asked.payload["reason"]) == ("ExtensionRequested", reason)
    window = activity(demo_copy)["window_text"]

    page = review_page(monkeypatch, demo_copy, office)
    next(b for b in page.button if b.label == "同意延期").click().run()
    assert not page.error, [e.value for e in page.error]
    approved = last_event(demo_copy)
    assert approved.type == "ActivityRevised" and approved.payload["reason"] == "同意延期申请"
    row = activity(demo_copy)
    assert row["end"] == dt.datetime(2022, 10, 31)
    assert row["window_text"] == f"{window}（经批准延至10月31日）"


def test_a_second_extension_replaces_the_first_in_the_window_words():
    from dashboard.entry.review import extended_window

    once = extended_window("4—5月", dt.date(2022, 10, 31), dt.date(2022, 9, 28))
    assert once == "4—5月（经批准延至10月31日）"
    assert extended_window(once, dt.date(2022, 11, 30), dt.date(2022, 10, 20)) == "4—5月（经批准延至11月30日）"
    assert extended_window("", dt.date(2023, 1, 15), dt.date(2022, 12, 20)) == "（经批准延至2023年1月15日）"


def gantt_rows(at: AppTest):
    """The Gantt page's row data, as the chart element carries it (Arrow)."""
    import pyarrow as pa

    chart = at.get("vega_lite_chart")[0]
    frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
    return next(f for f in frames if "planned_end_x" in f.columns).set_index("seq")


def test_the_gantt_page_shows_the_original_end_beside_the_approved_one(monkeypatch, demo_copy, lead, office):
    at = selfcheck(monkeypatch, demo_copy, lead)
    at.date_input(key="x_end").set_value(dt.date(2022, 10, 31))
    at.text_area(key="x_reason").input("疫情影响，场地未落实")
    at.button(key="FormSubmitter:form-extension-提交").click().run()
    gantt = open_app(monkeypatch, demo_copy, "content/gantt.py", None, {"as_of": AS_OF})
    assert gantt_rows(gantt).loc[3, "planned_end_x"] == ""   # asked, not yet approved: the end has not moved
    next(b for b in review_page(monkeypatch, demo_copy, office).button if b.label == "同意延期").click().run()
    rows = gantt_rows(open_app(monkeypatch, demo_copy, "content/gantt.py", None, {"as_of": AS_OF}))
    assert (rows.loc[3, "end_x"], rows.loc[3, "planned_end_x"]) == ("2022-11-01", "2022-06-01")
    assert rows.loc[3, "planned_end_label"] == "2022年5月31日"
    assert rows.loc[6, "planned_end_x"] == "2022-08-01"   # the demo's own revision to October shows too


@pytest.mark.parametrize("kind", ["empty", "plan", "demo"])
@pytest.mark.parametrize("page", ["content/review.py", "content/settings.py"])
def test_the_office_pages_render_on_every_store(monkeypatch, store_files, tmp_path, kind, page):
    for who in (None, account(tmp_path, "office", "admin")):
        at = open_app(monkeypatch, f"sqlite:///{store_files[kind]}", page, who, {"as_of": AS_OF})
        infos = [i.value for i in at.info]
        if kind == "empty":
            assert "暂无方案" in "".join(infos)
        elif kind == "plan" and page.endswith("review.py"):
            assert "没有待审核的申请。" in infos
