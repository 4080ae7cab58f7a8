"""The notice's reporting cycle becomes the plan's setting on import (PlanSettingsChanged), in the one
weekday convention of the board (0 = Monday), so the 催办 cycles are due on the day the notice says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seed.importer import import_plan, reporting_settings
from seed.parser import parse_document
from store.log import EventStore
from store.supervision import Supervision, cycle_of

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
