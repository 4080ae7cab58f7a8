"""Fill a store with the 2022 plan and a generated course: the bench's set-up and its bulk-import figure.

Events go in through ``EventStore.append_many`` in batches (one transaction each), the way a
bulk writer uses the store: every payload validated, every hash chained. Only the time inside
``append_many`` is counted, not the generator's, so (b) is the store's own rate.
``import_lines`` is not used for (b): it takes the whole file in one transaction and holds every
envelope in memory, so at a million events it measures the machine's memory, not the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from bench.generator import Course, planned_activities
from bench.plan import import_2022_plan
from store.log import EventStore, NewEvent

DEFAULT_BATCH = 5_000


@dataclass(frozen=True)
class FillResult:
    plan_id: str
    plan_source: str
    events: int
    appended: int
    seconds: float
    batch: int
    cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.appended / self.seconds if self.seconds else 0.0


def batches(events: Iterable[NewEvent], size: int) -> Iterator[list[NewEvent]]:
    it = iter(events)
    while chunk := list(islice(it, size)):
        yield chunk


def fill(url: str, events: int, *, seed: int = 2022, batch: int = DEFAULT_BATCH,
         progress: Callable[[int], None] | None = None) -> FillResult:
    """Make ``url`` hold exactly ``events`` events: the plan import, then the generated course."""
    store = EventStore(url)
    try:
        store.init()
        if store.head()[0]:
            raise SystemExit(f"{url} is not empty ({store.head()[0]} events): fill needs an empty store")
        plan_id, source = import_2022_plan(store)
        planned = store.head()[0]
        course = Course(planned_activities(store, plan_id), plan_id, count=max(0, events - planned), seed=seed)
        spent = cpu = 0.0
        for chunk in batches(course, batch):
            started, cpu_started = time.perf_counter(), time.process_time()
            store.append_many(chunk)
            spent += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
            if progress:
                progress(store.head()[0])
        return FillResult(plan_id, source, store.head()[0], store.head()[0] - planned, spent, batch, cpu)
    finally:
        store.close()
