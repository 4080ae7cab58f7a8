"""A crafted export is held to what an append would be held to: one bad line refuses the whole file,
the refusal names the line and the field, and nothing is written.

Each file below has a whole hash chain (a careful forger rechains after editing), so only the
checks of the events themselves can refuse it. All of these were once accepted and left every page
of the board showing a traceback, for good, since the log is append-only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from store.log import EventStore, ImportFileError, NewEvent
from store.recording.chain import GENESIS_HASH
from store.recording.envelope import EventIdConflict
from tests.factories import fact
from tests.store.test_export_import import course, envelopes, rechain

Edit = Callable[[list[dict[str, Any]]], None]


def _retract_in_other_stream(items: list[dict[str, Any]]) -> None:
    # position 9 retracts position 8 (activity 2); move the retraction to activity 1's stream
    items[8]["stream"] = items[4]["stream"]


def _second_plan_of_activity(items: list[dict[str, Any]]) -> None:
    items.append({**items[2], "event_id": "again", "position": len(items) + 1})


def _fact_on_unplanned_stream(items: list[dict[str, Any]]) -> None:
    items[4]["stream"] = "activity/t2022/77"


# case: (edit, the line it names, words of the refusal)
CRAFTED: dict[str, tuple[Edit, int, str]] = {
    "participation date as a number": (lambda e: e[5]["payload"].update(date=1650412800), 6, "payload.date"),
    "activity planned without body": (lambda e: e[1]["payload"].pop("body"), 2, "payload.body"),
    "recorded_at garbage": (lambda e: e[4].update(recorded_at="garbage"), 5, "recorded_at"),
    "event_id a number": (lambda e: e[4].update(event_id=12345), 5, "event_id"),
    "retraction in another stream": (_retract_in_other_stream, 9, "stream of its event"),
    "retraction of no event": (lambda e: e[8]["payload"].update(retracted_event_id="nobody"), 9, "no event with id"),
    "second ActivityPlanned": (_second_plan_of_activity, 10, "already planned"),
    "fact on an unplanned stream": (_fact_on_unplanned_stream, 5, "has not been planned"),
    "PlanImported in an activity stream": (lambda e: e[0].update(stream="activity/t2022/9"), 1, "plan/ stream"),
    "occurred_on 1900": (lambda e: e[4].update(occurred_on="1900-01-01"), 5, "occurred_on"),
    "occurred_on garbage": (lambda e: e[4].update(occurred_on="soon"), 5, "occurred_on"),
    "500-character actor": (lambda e: e[4].update(actor="甲" * 500), 5, "actor"),
    "schema_version 0": (lambda e: e[5].update(schema_version=0), 6, "schema_version"),
    "percent as text": (lambda e: e[4]["payload"].update(percent="30"), 5, "payload.percent"),
    "unknown type": (lambda e: e[4].update(type="ProgressGuessed"), 5, "type"),
    "payload not an object": (lambda e: e[4].update(payload=[1, 2]), 5, "payload"),
}


@pytest.fixture
def source(planned: EventStore) -> EventStore:
    course(planned)
    return planned


@pytest.mark.parametrize("case", list(CRAFTED), ids=list(CRAFTED))
def test_a_crafted_event_refuses_the_file_naming_line_and_field(source: EventStore, twin: EventStore,
                                                               case: str) -> None:
    edit, line, words = CRAFTED[case]
    items = envelopes(source)
    edit(items)

    with pytest.raises(ImportFileError) as refused:
        twin.import_lines(rechain(items))

    message = str(refused.value)
    assert message.startswith(f"line {line}: "), message
    assert words in message, message
    assert "\n" not in message
    zh = refused.value.zh   # what the command line prints: the same line, in Chinese
    assert zh.startswith(f"第 {line} 行：") and re.search(r"[\u4e00-\u9fff]", zh[len(f"第 {line} 行："):]), zh
    assert "\n" not in zh
    assert twin.head() == (0, GENESIS_HASH)


def test_the_same_crafted_file_refused_by_a_store_that_holds_the_plan(source: EventStore, twin: EventStore) -> None:
    """All or nothing also when the good lines before the bad one would be new to the store."""
    twin.import_lines(list(source.export())[:4])
    before = twin.head()
    items = envelopes(source)
    items[5]["payload"]["date"] = 1650412800

    with pytest.raises(ImportFileError, match="line 6: payload.date"):
        twin.import_lines(rechain(items))

    assert twin.head() == before


def test_an_import_whose_known_event_id_says_something_else_is_refused(source: EventStore,
                                                                       twin: EventStore) -> None:
    """An event_id the store has, with other content: importing it would drop the file's fact unseen."""
    twin.import_lines(source.export())
    before = twin.head()
    items = envelopes(source)
    items[4]["payload"]["percent"] = 31

    with pytest.raises(ImportFileError, match="line 5: event_id .* another payload") as refused:
        twin.import_lines(rechain(items))

    assert refused.value.zh.startswith("第 5 行：event_id ") and "payload 不同" in refused.value.zh

    assert twin.head() == before


def test_an_append_reusing_an_event_id_with_other_content_is_a_conflict(planned: EventStore) -> None:
    first = planned.append(fact(1, "ProgressReported", {"percent": 30}, "2022-04-01", event_id="form-1"))
    head = planned.head()

    assert planned.append(fact(1, "ProgressReported", {"percent": 30}, "2022-04-01", event_id="form-1")) == first
    for other in (fact(1, "ProgressReported", {"percent": 40}, "2022-04-01", event_id="form-1"),
                  fact(2, "ProgressReported", {"percent": 30}, "2022-04-01", event_id="form-1"),
                  NewEvent("RiskFlagged", first.stream, {"note": "x"}, event_id="form-1")):
        with pytest.raises(EventIdConflict, match="form-1"):
            planned.append(other)

    assert planned.head() == head
