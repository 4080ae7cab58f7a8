"""部门自查 under AppTest: the unit's view, every entry form valid and invalid, the role rules
as the page applies them, and bulk participation all-or-nothing. Real SQLite copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access.accounts import add_user
from tests.dashboard.apptest import FAST, head, last_event, open_app, shown

AS_OF = "2022-05-20"


def account(tmp_path: Path, name: str, role: str, units: tuple[str, ...] = ()):
    return add_user(name, "password-123", role, units, path=tmp_path / "accounts.json", hasher=FAST)


def open_page(monkeypatch, url: str, who=None, as_of: str = AS_OF) -> AppTest:
    return open_app(monkeypatch, url, "content/selfcheck.py", who, {"as_of": as_of})


def errors(at: AppTest) -> str:
    return "\n".join(shown(e.value) for e in at.error)


def successes(at: AppTest) -> str:
    return "\n".join(s.value for s in at.success)


@pytest.fixture
def editor(tmp_path):
    return account(tmp_path, "haidong", "editor", ("海东市总工会",))


def test_unit_view_lists_activities_overdue_first(monkeypatch, store_files):
    at = open_page(monkeypatch, f"sqlite:///{store_files['demo']}", as_of="2022-09-28")
    at.selectbox(key="self_unit").set_value("省总经济技术部").run()
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["牵头活动"] >= 4
    assert metrics["已逾期"] == 1
    table = at.dataframe[0].value
    assert table.iloc[0]["状态"] == "逾期"


def test_viewer_and_anonymous_cannot_write(monkeypatch, store_files, tmp_path):
    url = f"sqlite:///{store_files['demo']}"
    at = open_page(monkeypatch, url)
    assert "登录后才能填报" in "\n".join(i.value for i in at.info)
    assert len(at.button) == 0 or not any(b.label == "提交" for b in at.button)
    viewer = account(tmp_path, "viewer1", "viewer")
    at = open_page(monkeypatch, url, viewer)
    assert "只读账号不能填报" in "\n".join(i.value for i in at.info)


def test_editor_records_participation_once_and_sees_it(monkeypatch, demo_copy, editor):
    at = open_page(monkeypatch, demo_copy, editor)
    assert at.selectbox(key="entry_unit").options == ["海东市总工会"]
    before = head(demo_copy)
    at.text_input(key="pa_people").set_value("150")
    at.text_input(key="pa_sessions").set_value("3")
    at.text_input(key="pa_place").set_value("海东市职工之家")
    at.text_area(key="pa_note").set_value("<script>alert(1)</script> **粗体**")
    at.date_input(key="pa_day").set_value(dt.date(2022, 5, 18))
    at.button(key="FormSubmitter:form-participation-提交").click().run()
    assert not at.exception
    assert "已保存" in successes(at), errors(at)
    assert head(demo_copy) == before + 1
    event = last_event(demo_copy)
    assert event.type == "ParticipationRecorded" and event.actor == "haidong" and event.unit == "海东市总工会"
    assert event.payload["participants"] == 150 and event.payload["note"].startswith("<script>")
    # the same submit again (double click, rerun, retry) records nothing new
    at.button(key="FormSubmitter:form-participation-提交").click().run()
    assert head(demo_copy) == before + 1
    # the raw note is never rendered as markup on the page
    assert all("<script>" not in m.value for m in at.markdown)


def _report_participation(at: AppTest) -> AppTest:
    at.text_input(key="pa_people").set_value("40")
    at.text_input(key="pa_place").set_value("乐都区职工之家")
    at.date_input(key="pa_day").set_value(dt.date(2022, 5, 18))
    return at.button(key="FormSubmitter:form-participation-提交").click().run()


def test_two_sessions_reporting_the_same_participation_record_two_events(monkeypatch, demo_copy, editor):
    """Two people (or one on two devices) each held a session: identical reports are two facts."""
    before = head(demo_copy)
    first = _report_participation(open_page(monkeypatch, demo_copy, editor))
    assert "已保存" in successes(first), errors(first)
    second = _report_participation(open_page(monkeypatch, demo_copy, editor))
    assert "已保存" in successes(second), errors(second)
    assert head(demo_copy) == before + 2
    _report_participation(second)   # that second form sent again: still two
    assert head(demo_copy) == before + 2


@pytest.mark.parametrize("people, sessions, day, message", [
    ("abc", "1", dt.date(2022, 5, 18), "参与人数须为整数"),
    ("-3", "1", dt.date(2022, 5, 18), "参与人数须在 0 到"),
    ("10", "x", dt.date(2022, 5, 18), "场次须为整数"),
    ("10", "1", dt.date(1900, 1, 1), "日期须在 2022-01-01"),
    ("10", "1", dt.date(2023, 2, 1), "日期须在 2022-01-01"),
])
def test_bad_participation_is_refused_in_chinese(monkeypatch, demo_copy, editor, people, sessions, day, message):
    at = open_page(monkeypatch, demo_copy, editor)
    before = head(demo_copy)
    at.text_input(key="pa_people").set_value(people)
    at.text_input(key="pa_sessions").set_value(sessions)
    at.date_input(key="pa_day").set_value(day)
    at.button(key="FormSubmitter:form-participation-提交").click().run()
    assert not at.exception
    assert message in errors(at)
    assert head(demo_copy) == before


@pytest.mark.parametrize("percent, note, message", [
    (-5, "", "进度须在 0 到 100 之间"),
    (101, "", "进度须在 0 到 100 之间"),
])
def test_bad_progress_is_refused(monkeypatch, demo_copy, editor, percent, note, message):
    at = open_page(monkeypatch, demo_copy, editor)
    before = head(demo_copy)
    at.number_input(key="p_percent").set_value(percent)
    at.text_area(key="p_note").set_value(note)
    at.button(key="FormSubmitter:form-progress-提交").click().run()
    assert message in errors(at)
    assert head(demo_copy) == before


def test_progress_updates_the_page_at_once(monkeypatch, demo_copy, tmp_path):
    admin = account(tmp_path, "boss", "admin")
    at = open_page(monkeypatch, demo_copy, admin, as_of="2022-09-28")
    at.selectbox(key="self_unit").set_value("省总宣传部").run()
    labels = at.selectbox(key="entry_activity").options
    at.selectbox(key="entry_activity").set_value(next(o for o in labels if o.startswith("2. "))).run()
    at.number_input(key="p_percent").set_value(80)
    at.date_input(key="p_day").set_value(dt.date(2022, 9, 27))
    at.button(key="FormSubmitter:form-progress-提交").click().run()
    assert "已保存" in successes(at), errors(at)
    row = at.dataframe[0].value.set_index("序号").loc[2]
    assert row["进度(%)"] == 80 and row["状态"] == "正常"  # it lagged (35 %) and was 预警 before


def test_a_forged_unit_in_the_link_does_not_let_an_editor_write_for_it(monkeypatch, demo_copy, editor):
    at = open_app(monkeypatch, demo_copy, "content/selfcheck.py", editor, {"as_of": AS_OF, "self_unit": "西宁市总工会"})
    assert at.selectbox(key="self_unit").value == "海东市总工会"
    assert at.selectbox(key="entry_unit").options == ["海东市总工会"]
    at.text_input(key="pa_people").set_value("12")
    at.date_input(key="pa_day").set_value(dt.date(2022, 5, 18))
    at.button(key="FormSubmitter:form-participation-提交").click().run()
    assert last_event(demo_copy).unit == "海东市总工会"


def test_auth_refuses_a_unit_the_editor_is_not_bound_to(editor):
    from dashboard.access.auth import can_write

    row = {"lead_units": ["省总宣传部"], "partner_units": ["各市（州）总工会"]}
    groups = {"各市（州）总工会": ["西宁市总工会", "海东市总工会"]}
    assert can_write(editor, row, "海东市总工会", groups)
    refused = can_write(editor, row, "西宁市总工会", groups)
    assert not refused and refused.reason


def test_editor_sees_only_activities_where_its_unit_has_a_role(monkeypatch, demo_copy, tmp_path):
    women = account(tmp_path, "women", "editor", ("省总女职工委员会办公室",))
    at = open_page(monkeypatch, demo_copy, women)
    options = at.selectbox(key="entry_activity").options
    # 10 as lead; 9 as a member of 省总各部室, which activity 9 names among its partners
    assert [o.split(".")[0] for o in options] == ["9", "10"]


def test_bulk_upload_all_or_nothing(monkeypatch, demo_copy, editor):
    good = "活动序号,单位,日期,参与人数,场次,地点,备注\n" + "\n".join(
        f"4,海东市总工会,2022-05-{1 + i % 28:02d},{10 + i},1,职工之家,第{i}行" for i in range(500))
    bad = good + "\n4,海东市总工会,2022-05-03,abc,1,职工之家,坏行"
    at = open_page(monkeypatch, demo_copy, editor)
    before = head(demo_copy)
    at.file_uploader(key="bulk_file").upload("bad.csv", bad.encode("utf-8-sig"), "text/csv").run() \
        if hasattr(at, "file_uploader") else pytest.skip("this Streamlit's AppTest cannot upload files")
    assert "501 行中有 1 行有误" in errors(at)
    assert head(demo_copy) == before
    at.file_uploader(key="bulk_file").upload("good.csv", good.encode("utf-8-sig"), "text/csv").run()
    at.button(key="bulk_submit").click().run()
    assert "已保存 500 条" in successes(at), errors(at)
    assert head(demo_copy) == before + 500


def test_a_partner_cannot_complete_an_activity_and_the_board_keeps_the_leads_numbers(monkeypatch, demo_copy, editor):
    """海东市总工会 partners activity 3 (through 各市（州）总工会): 完成 is refused in Chinese, nothing written."""
    at = open_page(monkeypatch, demo_copy, editor, as_of="2022-09-28")
    labels = at.selectbox(key="entry_activity").options
    at.selectbox(key="entry_activity").set_value(next(o for o in labels if o.startswith("3. "))).run()
    before = head(demo_copy)
    at.checkbox(key="c_sure").check()
    at.button(key="FormSubmitter:form-complete-提交").click().run()
    assert not at.exception
    assert "只有牵头单位或管理员可以确认活动完成" in errors(at)
    assert head(demo_copy) == before


def test_every_entry_date_defaults_to_the_date_the_board_shows(monkeypatch, demo_copy, editor):
    at = open_page(monkeypatch, demo_copy, editor, as_of="2022-09-28")
    for key in ("p_day", "pa_day", "c_day", "r_day"):
        assert at.date_input(key=key).value == dt.date(2022, 9, 28), key


def test_the_progress_field_shows_the_value_of_the_activity_chosen(monkeypatch, demo_copy, tmp_path):
    """A lead sees each activity's own percent when switching; the previous choice's value never stays."""
    lead = account(tmp_path, "jingji", "editor", ("省总经济技术部",))
    at = open_page(monkeypatch, demo_copy, lead, as_of="2022-09-28")
    from store.log import EventStore
    from store.reading.projections import Projector

    store = EventStore(demo_copy)
    projector = Projector(store)
    projector.catch_up()
    percents = projector.activities(dt.date(2022, 9, 28)).set_index("seq")["percent"]
    store.close()
    labels = at.selectbox(key="entry_activity").options
    seen = []
    for label in labels:
        at.selectbox(key="entry_activity").set_value(label).run()
        seq = int(label.split(".")[0])
        assert at.number_input(key="p_percent").value == int(percents[seq]), label
        seen.append(int(percents[seq]))
    assert len(set(seen)) > 1   # the switch was between different values


def test_a_reminder_shows_on_the_units_self_check_until_it_reports(monkeypatch, demo_copy):
    from store.domain.events import reminder_stream
    from store.log import EventStore, NewEvent

    store = EventStore(demo_copy)
    unit, seq = "海南州总工会", 1
    store.append(NewEvent("ReminderIssued", reminder_stream("2022-27"), {
        "plan_id": "2022-27", "unit": unit, "cycle_start": "2022-09-01", "due": "2022-09-25",
        "activities": [seq], "message": "<b>请尽快报送</b>第1项"}, occurred_on=dt.date(2022, 9, 26), actor="督查室"))
    at = open_page(monkeypatch, demo_copy, as_of="2022-09-28")
    at.selectbox(key="self_unit").set_value(unit).run()
    assert any(s.value.startswith("收到的催办") for s in at.subheader)
    table = next(d.value for d in at.dataframe if "催办内容" in d.value.columns)
    assert table.iloc[0]["催办内容"] == "<b>请尽快报送</b>第1项"   # shown as text, in a table cell
    store.append(NewEvent("ParticipationRecorded", f"activity/2022-27/{seq}", {
        "unit": unit, "date": "2022-09-27", "participants": 30}, occurred_on=dt.date(2022, 9, 27), unit=unit))
    store.close()
    at = open_page(monkeypatch, demo_copy, as_of="2022-09-28")
    at.selectbox(key="self_unit").set_value(unit).run()
    assert not any(s.value.startswith("收到的催办") for s in at.subheader)


def test_days_left_reads_as_words_and_is_blank_for_done(monkeypatch, store_files):
    """海东市总工会 partners two done activities (7, 8) and one overdue (3) on 2022-09-28."""
    at = open_page(monkeypatch, f"sqlite:///{store_files['demo']}", as_of="2022-09-28")
    at.selectbox(key="self_unit").set_value("海东市总工会").run()
    table = at.dataframe[0].value.set_index("序号")
    assert table.loc[7, "状态"] == "已完成" and table.loc[7, "剩余天数"] == ""
    assert table.loc[3, "剩余天数"] == "逾期 120 天"
    assert table.loc[1, "剩余天数"] == "94 天"
    cells = {str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()}
    assert not cells & {"None", "nan", "NaN", "NaT", "<NA>", "True", "False"}


def test_bulk_preview_lists_the_rows_and_every_fault_of_a_row(monkeypatch, demo_copy, editor):
    at = open_page(monkeypatch, demo_copy, editor)
    three_faults = "活动序号,单位,日期,参与人数,场次,地点,备注\n99,火星工会,昨天,abc,1,,\n"
    at.file_uploader(key="bulk_file").upload("bad.csv", three_faults.encode("utf-8-sig"), "text/csv").run()
    reasons = next(d.value for d in at.dataframe if "原因" in d.value.columns or "reason" in d.value.columns)
    reason = str(reasons.iloc[0].iloc[-1])
    for fault in ("没有序号为 99 的活动", "未登记的单位「火星工会」", "日期「昨天」无法识别", "参与人数须为整数"):
        assert fault in reason, reason
    good = "活动序号,单位,日期,参与人数,场次,地点,备注\n4,海东市总工会,2022-05-03,120,2,职工之家,宣讲\n" \
           "4,海东市总工会,2022-05-04,80,1,文化宫,\n"
    at.file_uploader(key="bulk_file").upload("good.csv", good.encode("utf-8-sig"), "text/csv").run()
    preview = next(d.value for d in at.dataframe if "参与人数" in d.value.columns and "地点" in d.value.columns)
    assert list(preview["参与人数"]) == [120, 80] and list(preview["地点"]) == ["职工之家", "文化宫"]
    before = head(demo_copy)
    at.button(key="bulk_submit").click().run()
    assert "已保存 2 条" in successes(at), errors(at)
    assert head(demo_copy) == before + 2
    at.button(key="bulk_submit").click().run()
    assert head(demo_copy) == before + 2
    assert "已保存 2 条" not in successes(at)
    assert "此前已经保存过，本次没有新增记录" in "\n".join(i.value for i in at.info)


def test_text_fields_state_their_limits_and_selects_speak_chinese(monkeypatch, demo_copy, editor):
    at = open_page(monkeypatch, demo_copy, editor)
    for key in ("p_note", "pa_note", "r_note", "c_note"):
        assert at.text_area(key=key).max_chars == 2000, key
    assert at.text_input(key="pa_place").max_chars == 200
    assert at.text_input(key="pa_people").max_chars == 12
    for box in at.selectbox:
        assert box.proto.placeholder in ("请选择", "没有可选项"), box.label


def test_a_note_longer_than_its_shown_limit_is_cut_at_the_limit(monkeypatch, demo_copy, editor):
    """The field shows 2000 while typing and takes no more; a million characters sent past the
    browser are cut by the field, so the store never receives them."""
    at = open_page(monkeypatch, demo_copy, editor)
    at.text_area(key="p_note").set_value("长" * 1_000_000)
    at.button(key="FormSubmitter:form-progress-提交").click().run()
    assert last_event(demo_copy).payload["note"] == "长" * 2000
