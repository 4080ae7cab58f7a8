"""The notice's reporting cycle becomes the plan's setting on import (PlanSettingsChanged), in the one
weekday convention of the board (0 = Monday), so the 催办 cycles are due on the day the notice says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seed.importer import import_plan, reporting_settings
from seed.parser import parse_document
from store.log import EventStore
from store.reading.supervision import Supervision, cycle_of

DOCS = Path(__file__).resolve().parent / "docs" / "offices"


def _import(db_url: str, tmp_path: Path, replace: tuple[str, str] | None) -> tuple[EventStore, str]:
    text = (DOCS / "city-2024-practical-matters.txt").read_text(encoding="utf-8")
    path = tmp_path / "notice.txt"
    path.write_text(text.replace(*replace) if replace else text, encoding="utf-8")
    store = EventStore(db_url)
    store.init()
    result = import_plan(store, parse_document(path), source=path.name, sha256="sha-" + str(replace))
    return store, result.plan_id


def test_a_weekly_notice_makes_the_cycle_due_on_friday(db_url: str, tmp_path: Path) -> None:
    store, plan_id = _import(db_url, tmp_path, ("每月25日前", "每周五前"))
    loop = Supervision(store)
    loop.catch_up()
    rule = loop.settings(plan_id).reporting
    assert (rule.kind, rule.weekday) == ("weekly", 4)
    assert cycle_of(rule, dt.date(2024, 5, 7)).due == dt.date(2024, 5, 10)   # a Friday
    assert dt.date(2024, 5, 10).weekday() == rule.weekday
    again = import_plan(store, parse_document(tmp_path / "notice.txt"), source="notice.txt",
                        sha256="sha-" + str(("每月25日前", "每周五前")))
    assert again.appended == 0   # re-importing the same document appends no second setting
    assert store.stats()["by_type"]["PlanSettingsChanged"] == 1 and store.verify().ok


def test_a_monthly_notice_keeps_its_day_and_a_notice_without_a_cycle_the_default(db_url: str, tmp_path: Path) -> None:
    store, plan_id = _import(db_url, tmp_path, ("每月25日前", "每月10日前"))
    loop = Supervision(store)
    loop.catch_up()
    assert loop.settings(plan_id).reporting.day == 10


def test_cycles_the_board_cannot_hold_keep_the_default() -> None:
    assert reporting_settings(None) is None
    assert reporting_settings({"kind": "quarterly", "day": None}) is None
    assert reporting_settings({"kind": "monthly", "day": None}) is None   # 每月底
    assert reporting_settings({"kind": "monthly", "day": 30})["reporting"] == {"kind": "monthly", "day": 28}


def _settings(store: EventStore, plan_id: str):
    loop = Supervision(store)
    loop.catch_up()
    return loop.settings(plan_id).reporting


def _reimport(store: EventStore, tmp_path: Path, replace: tuple[str, str] | None, sha: str):
    text = (DOCS / "city-2024-practical-matters.txt").read_text(encoding="utf-8")
    path = tmp_path / "notice.txt"
    path.write_text(text.replace(*replace) if replace else text, encoding="utf-8")
    return import_plan(store, parse_document(path), source="修订版.txt", sha256=sha)


def _office_sets(store: EventStore, plan_id: str, day: int) -> None:
    from store.domain.events import plan_stream
    from store.log import NewEvent

    store.append(NewEvent("PlanSettingsChanged", plan_stream(plan_id),
                          {"reporting": {"kind": "monthly", "day": day}, "note": "办公室调整"}, actor="admin"))


def test_a_revised_notice_with_another_cycle_changes_the_plans_cycle(db_url: str, tmp_path: Path) -> None:
    """每月25日前 in the first notice, 每周五前 in the revised one: the 催办 cycles follow the revision."""
    store, plan_id = _import(db_url, tmp_path, None)
    assert _settings(store, plan_id).day == 25
    revised = _reimport(store, tmp_path, ("每月25日前", "每周五前"), "sha-v2")
    assert revised.reporting == "每周五" and not revised.warnings   # (activity 6 quotes the date: revised too)
    assert (_settings(store, plan_id).kind, _settings(store, plan_id).weekday) == ("weekly", 4)
    back = _reimport(store, tmp_path, None, "sha-v1-again")   # v1 → v2 → v1: three documents, three settings
    assert back.reporting == "每月25日" and _settings(store, plan_id).day == 25
    assert store.stats()["by_type"]["PlanSettingsChanged"] == 3 and store.verify().ok


def test_a_revision_that_keeps_the_cycle_leaves_the_offices_own_setting(db_url: str, tmp_path: Path) -> None:
    store, plan_id = _import(db_url, tmp_path, None)
    _office_sets(store, plan_id, 10)
    same_cycle = _reimport(store, tmp_path, ("2024年", "2024年 "), "sha-v2")   # another document, same 每月25日前
    assert same_cycle.reporting == "" and _settings(store, plan_id).day == 10


def test_a_revision_that_changes_the_cycle_overrides_the_office_and_says_so(db_url: str, tmp_path: Path,
                                                                           capsys) -> None:
    from seed.cli import main

    store, plan_id = _import(db_url, tmp_path, None)
    _office_sets(store, plan_id, 10)
    notice = tmp_path / "revised.txt"
    notice.write_text((DOCS / "city-2024-practical-matters.txt").read_text(encoding="utf-8")
                      .replace("每月25日前", "每周五前"), encoding="utf-8")
    assert main(["import", "--db", db_url, str(notice)]) == 0
    out, err = capsys.readouterr()
    assert "报送周期改为每周五" in out
    assert "警告：报送周期在看板中已调整为“每月10日”，文档改为“每周五”：以文档为准" in err
    assert _settings(store, plan_id).weekday == 4
