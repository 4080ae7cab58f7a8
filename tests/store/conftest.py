"""Fixtures of the store suite: the test plan on both backends, or on one where a test needs it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store.log import EventStore
from tests.factories import small_plan


def _opened(url: str) -> Iterator[EventStore]:
    s = EventStore(url)
    s.init()
    small_plan(s)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def sqlite_planned(sqlite_url: str) -> Iterator[EventStore]:
    """The test plan on SQLite only, for what only SQLite has (INSERT OR REPLACE, the -wal file)."""
    yield from _opened(sqlite_url)


@pytest.fixture
def postgres_planned(postgres_url: str) -> Iterator[EventStore]:
    """The test plan on PostgreSQL only, for what only PostgreSQL has (TRUNCATE, upserts)."""
    yield from _opened(postgres_url)


@pytest.fixture
def planned(store: EventStore) -> EventStore:
    """The store holding the small test plan: a plan and three activities (positions 1..4)."""
    small_plan(store)
    return store


@pytest.fixture
def twin(db_url: str, tmp_path) -> Iterator[EventStore]:
    """A second, empty, initialised store on the same backend as ``store``."""
    from tests.store.helpers import twin_url

    with twin_url(db_url, tmp_path) as url:
        s = EventStore(url)
        s.init()
        try:
            yield s
        finally:
            s.close()
