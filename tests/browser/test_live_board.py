"""A live board in real Chromium: two app instances on one PostgreSQL store; an event appended
elsewhere (here the command line, as a script or the other instance would) appears on both open
overviews within 10 s, with no reload and nobody touching them."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest

from seed.cli import DEFAULT_PLAN, read_and_parse
from seed.importer import import_plan
from store.log import EventStore, NewEvent
from store.reading.projections import Projector
from tests.browser.conftest import Server, wait_ready
from tests.store.helpers import cli


def _done_count(tab) -> int | None:
    for text in tab.locator('[data-testid="stMetric"]').all_inner_texts():
        found = re.match(r"\s*已完成\s+(\d+)", text)
        if found:
            return int(found.group(1))
    return None


@pytest.fixture
def planned_pg(postgres_url: str) -> tuple[str, str, str]:
    store = EventStore(postgres_url)
    store.init()
    parsed, sha = read_and_parse(DEFAULT_PLAN, None)
    import_plan(store, parsed, source=DEFAULT_PLAN.name, sha256=sha)
    projector = Projector(store)
    projector.catch_up()
    activities = projector.activities(dt.date(2022, 12, 31))
    first, other = activities[activities["start"] <= "2022-05-01"].iloc[:2].itertuples()
    # A report on 30 June: a plan that is over opens at its last fact, so the board shows 2022-06-30.
    store.append(NewEvent("ProgressReported", other.stream, {"percent": 50}, occurred_on=dt.date(2022, 6, 30),
                          unit=other.lead_units[0], actor="setup"))
    store.close()
    return postgres_url, first.stream, first.lead_units[0]


@pytest.mark.parametrize("mode", ["", "?present=1"], ids=["normal", "projector"])
def test_a_new_event_appears_on_both_instances_open_overviews_without_a_reload(
        browser, planned_pg, mode, tmp_path) -> None:
    url, stream, lead = planned_pg
    servers = [Server(url, env={"DUBAN_LIVE_SECONDS": "2"}, log=tmp_path / f"app{i}.log") for i in range(2)]
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    try:
        tabs = [context.new_page() for _ in servers]
        for tab, server in zip(tabs, servers):
            tab.goto(server.base + "/" + mode)
            wait_ready(tab)
            tab.wait_for_function(   # drawn, and nothing done yet (a loaded machine may still be drawing)
                """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                         .some(m => /已完成\\s+0\\b/.test(m.innerText))""", timeout=60_000)
            assert _done_count(tab) == 0
        # The lead asks and the office confirms (办结需审核): the confirmation is what the boards must show.
        asked = cli("--db", url, "append", "--type", "CompletionRequested", "--stream", stream,
                    "--payload", json.dumps({"note": "已办结"}), "--occurred-on", "2022-06-01",
                    "--unit", lead, "--actor", "script")
        assert asked.returncode == 0, asked.stderr
        request_id = json.loads(asked.stdout)["event_id"]
        appended = cli("--db", url, "append", "--type", "ActivityCompleted", "--stream", stream,
                       "--payload", json.dumps({"note": "确认", "request_event_id": request_id}),
                       "--occurred-on", "2022-06-01", "--actor", "script")
        assert appended.returncode == 0, appended.stderr
        started = time.monotonic()
        for tab in tabs:
            tab.wait_for_function(
                """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                         .some(m => /已完成\\s+1\\b/.test(m.innerText))""",
                timeout=max(1, 10 - (time.monotonic() - started)) * 1000)
            assert _done_count(tab) == 1
        assert time.monotonic() - started <= 10
    finally:
        context.close()
        for server in servers:
            server.stop()
