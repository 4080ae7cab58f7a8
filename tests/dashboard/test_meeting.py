"""上次会议以来的变化 against what the meeting saw (the store's known_at replay), the facts reported
late, and the projector's own changes screen. AppTest over a real SQLite copy of the demo whose
facts are re-stamped as recorded on the day they happened (the demo itself is recorded in one go)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.board.meeting import end_of_day
from store.log import EventStore, NewEvent
from store.reading.projections import Projector
from store.recording.chain import GENESIS_HASH, envelope_hash
from tests.dashboard.apptest import open_app

AS_OF, SINCE = "2022-09-28", "2022-09-14"
ACTIVITY_2 = "activity/2022-27/2"


def _restamped(lines: list[str]) -> list[str]:
    """Each event recorded at 10:00 (Asia/Shanghai) of the day it happened, as if reported on time."""
    out, prev = [], GENESIS_HASH
    for line in lines:
        envelope = json.loads(line)
        day = dt.date.fromisoformat(envelope["occurred_on"])
        envelope["recorded_at"] = f"{day.isoformat()}T02:00:00.000000Z"
        envelope["prev_hash"] = prev
        envelope["hash"] = prev = envelope_hash(envelope)
        out.append(json.dumps(envelope, ensure_ascii=False))
    return out


@pytest.fixture
def timed_store(store_files, tmp_path: Path) -> str:
    """The demo recorded day by day, then one report sent in after the meeting for a day before it."""
    source = EventStore(f"sqlite:///{store_files['demo']}")
    lines = list(source.export())
    source.close()
    url = f"sqlite:///{tmp_path / 'timed.db'}"
    store = EventStore(url)
    store.init()
    store.import_lines(_restamped(lines))
    store.append(NewEvent("ProgressReported", ACTIVITY_2, {"percent": 33, "note": "会后补报九月十日进度"},
                          occurred_on=dt.date(2022, 9, 10), actor="xuanchuan", unit="省总宣传部"))
    store.close()
    return url


def percent_then(url: str, as_seen: bool) -> float:
    store = EventStore(url)
    projector = Projector(store)
    projector.catch_up()
    day = dt.date.fromisoformat(SINCE)
    frame = projector.activities(day, end_of_day(day) if as_seen else None).set_index("seq")
    store.close()
    return float(frame.loc[2, "percent"])


def tables(at) -> dict[str, pd.DataFrame]:
    return {t.value.columns[-1]: t.value for t in at.dataframe}


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_late_report_is_listed_apart_and_as_seen_compares_with_what_the_meeting_saw(monkeypatch, timed_store):
    seen, known = percent_then(timed_store, True), percent_then(timed_store, False)
    assert known == 33 and seen != known    # the late report changed what we now know of that day

    at = open_app(monkeypatch, timed_store, params={"as_of": AS_OF, "since": SINCE})
    late = next(t.value for t in at.dataframe if "记录时间" in t.value.columns and "发生日期" in t.value.columns)
    assert list(late["单位"]) == ["省总宣传部"] and list(late["序号"]) == [2]
    assert str(late["发生日期"].iloc[0])[:10] == "2022-09-10"
    assert "会后补报" in texts(at)
    assert "会议当日（按现在所知）" in texts(at)
    progress = tables(at)["现进度(%)"].set_index("序号")
    assert progress.loc[2, "原进度(%)"] == 33

    at.toggle(key="as_seen").set_value(True).run()
    assert not at.exception
    assert "会议当时所见：" in texts(at)
    progress = tables(at)["现进度(%)"].set_index("序号")
    assert progress.loc[2, "原进度(%)"] == seen   # from what the meeting was shown, not the late 33


def test_as_seen_link_opens_the_switch_on(monkeypatch, timed_store):
    at = open_app(monkeypatch, timed_store, params={"as_of": AS_OF, "since": SINCE, "as_seen": "true"})
    assert at.toggle(key="as_seen").value is True
    assert "会议当时所见：" in texts(at)


def test_projector_shows_the_changes_compactly_on_their_own_screen(monkeypatch, timed_store):
    params = {"as_of": AS_OF, "since": SINCE, "present": "1"}
    first = open_app(monkeypatch, timed_store, params=params)
    assert "上次会议以来的变化" not in "\n".join(s.value for s in first.subheader)
    at = open_app(monkeypatch, timed_store, params={**params, "screen": "3"})
    heads = "\n".join(s.value for s in at.subheader)
    assert "上次会议以来的变化" in heads and "会议日期 2022年9月14日" in heads
    compact = at.table[0].value
    kinds = dict(zip(compact["变化"], compact["项数"]))
    assert kinds["会后补报"] == 1
    assert kinds["进度变化"] >= 1
    assert "全部活动" not in heads and "需要关注" not in heads


def test_plan_import_and_demo_facts_are_not_late_reports(monkeypatch, store_files):
    """The demo store is recorded in one go, years after its dates: neither its plan nor its facts were reported late."""
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"as_of": AS_OF, "since": "2022-07-01"})
    assert "会后补报" not in texts(at)
    assert not any("记录时间" in t.value.columns for t in at.dataframe)
    assert tables(at)["现进度(%)"].shape[0] >= 1   # the other changes are still there


def test_as_seen_on_a_plan_imported_after_the_meeting_says_so_and_compares_with_what_is_known(monkeypatch,
                                                                                               store_files):
    """The demo's plan was recorded years after 2022: the meeting day's board had no plan at all."""
    url = f"sqlite:///{store_files['demo']}"
    at = open_app(monkeypatch, url, params={"as_of": AS_OF, "since": "2022-07-01", "as_seen": "true"})
    assert any("无法按会议当时所见比较" in i.value for i in at.info)
    assert "会议当日（按现在所知）" in texts(at)
    plain = open_app(monkeypatch, url, params={"as_of": AS_OF, "since": "2022-07-01"})
    assert tables(at)["现进度(%)"].equals(tables(plain)["现进度(%)"])   # not every activity "from 0"
