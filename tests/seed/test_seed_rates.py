"""Percentage targets (网办率达到90%, 增长6.2%左右): stored as targets with unit "%" and ``rate``,
shown on the overview, never summed into the targets chart or advanced (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from seed.importer import import_plan
from seed.parser import parse_document
from store.domain.events import ActivityPlanned
from store.log import EventStore
from store.reading.projections import Projector

DISTRICT = Path(__file__).parent / "docs" / "offices" / "district-2024-business-environment.md"


def test_rates_are_stored_and_kept_out_of_the_totals(store: EventStore) -> None:
    parsed = parse_document(DISTRICT)
    parsed["activities"][5]["targets"] = [{"label": "营业收入增长", "quantity": 6.2, "unit": "%", "rate": True}]
    import_plan(store, parsed, source=DISTRICT.name, sha256="d1")
    planned = {e.payload["seq"]: e.payload["targets"] for e in store.read(types=["ActivityPlanned"])}
    assert planned[2] == [{"key": "全程网办率", "label": "全程网办率", "quantity": 90, "unit": "%", "rate": True}]
    assert planned[6] == [{"key": "营业收入增长", "label": "营业收入增长", "quantity": 6.2, "unit": "%", "rate": True}]
    assert planned[1] == [{"key": "集成服务事项", "label": "集成服务事项", "quantity": 30, "unit": "项"}]

    projector = Projector(store)
    projector.catch_up()
    day = dt.date(2024, 6, 1)
    counted = projector.targets(day)
    assert "%" not in set(counted["unit"]) and "集成服务事项" in set(counted["label"])
    rates = projector.rates(day)
    assert list(zip(rates["seq"], rates["label"], rates["quantity"])) == [(2, "全程网办率", 90.0),
                                                                          (6, "营业收入增长", 6.2)]


def test_only_a_rate_may_be_fractional() -> None:
    base = {"plan_id": "p", "seq": 1, "title": "甲", "body": "", "window_text": ""}
    ActivityPlanned(**base, targets=[{"key": "r", "label": "增长", "quantity": 6.2, "unit": "%", "rate": True}])
    with pytest.raises(ValueError, match="whole number"):
        ActivityPlanned(**base, targets=[{"key": "n", "label": "人数", "quantity": 6.2, "unit": "人"}])


def test_the_overview_lists_rates_apart(monkeypatch, tmp_path) -> None:
    from tests.dashboard.apptest import open_app, shown

    url = f"sqlite:///{tmp_path / 'district.db'}"
    store = EventStore(url)
    store.init()
    import_plan(store, parse_document(DISTRICT), source=DISTRICT.name, sha256="d1")
    store.close()
    at = open_app(monkeypatch, url, params={"as_of": "2024-06-01"})
    captions = [shown(c.value) for c in at.caption if "比率目标" in c.value]
    assert captions and "2. 全程网办率 90%" in captions[0] and "6. 差评整改率 100%" in captions[0]
