"""``EventStore.hash_at``: the hash the log holds at a position, on both backends — what a bulletin made
from a board folded to that position prints at its foot, however far the log moved on since."""

from __future__ import annotations

from store.log import EventStore
from store.recording.integrity import Anchor
from tests.factories import fact


def test_the_hash_at_a_position_stays_that_positions_hash_as_the_log_grows(planned: EventStore) -> None:
    position, head_hash = planned.head()
    assert planned.hash_at(position) == head_hash

    planned.append(fact(1, "ProgressReported", {"percent": 30}, "2022-04-01"))

    assert planned.hash_at(position) == head_hash != planned.head()[1]
    assert planned.hash_at(position + 1) == planned.head()[1]
    assert [planned.hash_at(p) for p in (0, position + 2)] == [None, None]
    assert planned.verify([Anchor.parse(f"{position}:{planned.hash_at(position)}")]).ok
