"""Shared fixtures: a real SQLite file per test and a real PostgreSQL server per session.

The PostgreSQL server is started by pytest-postgresql's executor from the machine's own binaries
on loopback. PostgreSQL refuses to run as root, so when the suite runs as root (CI, containers)
pg_ctl is run through ``runuser`` as the ``postgres`` system user, in a data folder owned by it.
Without PostgreSQL binaries the PostgreSQL cases are skipped with the reason, unless
DUBAN_REQUIRE_POSTGRES=1, in which case they fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import stat
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.log import EventStore

REQUIRE_POSTGRES = os.environ.get("DUBAN_REQUIRE_POSTGRES") == "1"


def _find_pg_ctl() -> str | None:
    found = shutil.which("pg_ctl")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return candidates[-1] if candidates else None


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
    """A PostgreSQL server on 127.0.0.1 and a free port, for the whole session."""
    from port_for import get_port
    from pytest_postgresql.executors import PostgreSQLExecutor

    pg_ctl = _find_pg_ctl()
    if pg_ctl is None:
        _no_postgres("no pg_ctl found (install Debian's postgresql package)")
    base = Path(tempfile.mkdtemp(prefix="duban-pg-"))
    base.chmod(0o755)
    executable = pg_ctl
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _no_postgres("running as root and there is no 'postgres' user to run the server as")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        executable = str(base / "pg_ctl_as_postgres")
        Path(executable).write_text(f'#!/bin/sh\ncd /\nexec runuser -u postgres -- "{pg_ctl}" "$@"\n')
        Path(executable).chmod(stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    port = get_port(None)
    executor = PostgreSQLExecutor(
        executable=executable, host="127.0.0.1", port=port, datadir=str(base / "data"),
        unixsocketdir=str(base), logfile=str(base / "postgresql.log"), startparams="-w",
        dbname="duban", user="postgres",
    )
    executor.start()
    try:
        yield executor
    finally:
        executor.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: object) -> Iterator[str]:
    """A fresh, empty database on the session's server."""
    from pytest_postgresql.janitor import DatabaseJanitor

    name = f"t_{uuid.uuid4().hex[:12]}"
    janitor = DatabaseJanitor(user="postgres", host="127.0.0.1", port=postgres_server.port,
                              dbname=name, password=None)
    janitor.init()
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{postgres_server.port}/{name}"
    finally:
        janitor.drop()


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
