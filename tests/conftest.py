"""Shared fixtures: a real SQLite file per test and a real PostgreSQL server per session.

The PostgreSQL server is store.pgserver's (the machine's own binaries on loopback, as the bench
starts its own).
Without PostgreSQL binaries the PostgreSQL cases are skipped with the reason, unless
DUBAN_REQUIRE_POSTGRES=1, in which case they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import pgserver
from store.log import EventStore

REQUIRE_POSTGRES = os.environ.get("DUBAN_REQUIRE_POSTGRES") == "1"


def _no_postgres(reason: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL is required (DUBAN_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(autouse=True)
def _own_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test keeps the heads this installation saw (verify's watermark) in its own folder, and
    runs without a signing key unless it sets one: nothing reads or writes the machine's ~/.config."""
    monkeypatch.setenv("DUBAN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("DUBAN_SIGNING_KEY", raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """A PostgreSQL server on 127.0.0.1 and a free port, for the whole session (store.pgserver)."""
    try:
        with pgserver.postgres_server() as executor:
            yield executor
    except pgserver.NoPostgres as exc:
        _no_postgres(str(exc))


@pytest.fixture
def postgres_url(postgres_server: object) -> Iterator[str]:
    """A fresh, empty database on the session's server."""
    url = pgserver.create_database(postgres_server)
    try:
        yield url
    finally:
        pgserver.drop_database(postgres_server, url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'events.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(db_url: str) -> Iterator[EventStore]:
    s = EventStore(db_url)
    s.init()
    try:
        yield s
    finally:
        s.close()


# Stores of the 2022 plan for page and browser tests (built once per session).
from tests.stores import demo_copy, store_files  # noqa: E402,F401
