"""A throw-away PostgreSQL server on loopback, for the test suite and the bench alike.

Both need the same thing: the machine's own PostgreSQL binaries started in a temporary folder on
127.0.0.1 and a free port, and fresh empty databases on it. PostgreSQL refuses to run as root, so
as root pg_ctl runs through ``runuser`` as the ``postgres`` system user, in a folder owned by it.
Nothing here is used by the board itself; it lives in store/ because the suite and the bench both
import it and store/ is the package both already depend on.
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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# pytest-postgresql starts the server with fsync off (fine for tests); the bench measures a durable one.
DURABLE = "-c fsync=on"


class NoPostgres(RuntimeError):
    """This machine cannot start a PostgreSQL server; the message says why."""


def find_pg_ctl() -> str | None:
    """pg_ctl on PATH, else the newest Debian-packaged one."""
    found = shutil.which("pg_ctl")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return candidates[-1] if candidates else None


def _executable(pg_ctl: str, base: Path) -> str:
    """pg_ctl itself, or (as root) a wrapper running it as the postgres user in a folder it owns."""
    if os.geteuid() != 0:
        return pg_ctl
    try:
        owner = pwd.getpwnam("postgres")
    except KeyError:
        raise NoPostgres("running as root and there is no 'postgres' user to run the server as") from None
    os.chown(base, owner.pw_uid, owner.pw_gid)
    wrapper = base / "pg_ctl_as_postgres"
    wrapper.write_text(f'#!/bin/sh\ncd /\nexec runuser -u postgres -- "{pg_ctl}" "$@"\n')
    wrapper.chmod(stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return str(wrapper)


@contextmanager
def postgres_server(options: str = "") -> Iterator[Any]:
    """A running server (pytest-postgresql's executor: ``.port``, ``.host``) until the block ends.

    ``options`` are extra server settings as ``postgres -c`` flags (e.g. ``-c fsync=on``).
    Raises NoPostgres when there are no binaries or no user to run them as.
    """
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        raise NoPostgres("no pg_ctl found (install Debian's postgresql package)")
    from port_for import get_port
    from pytest_postgresql.executors import PostgreSQLExecutor

    base = Path(tempfile.mkdtemp(prefix="duban-pg-"))
    base.chmod(0o755)
    try:
        executor = PostgreSQLExecutor(
            executable=_executable(pg_ctl, base), host="127.0.0.1", port=get_port(None),
            datadir=str(base / "data"), unixsocketdir=str(base), logfile=str(base / "postgresql.log"),
            startparams="-w", dbname="duban", user="postgres", postgres_options=options,
        )
        executor.start()
        try:
            yield executor
        finally:
            executor.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)


def create_database(server: Any, prefix: str = "t") -> str:
    """A fresh, empty database on ``server``; returns its SQLAlchemy URL."""
    from pytest_postgresql.janitor import DatabaseJanitor

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    DatabaseJanitor(user="postgres", host="127.0.0.1", port=server.port, dbname=name, password=None).init()
    return database_url(server.port, name)


def drop_database(server: Any, url: str) -> None:
    from pytest_postgresql.janitor import DatabaseJanitor

    name = url.rsplit("/", 1)[1]
    DatabaseJanitor(user="postgres", host="127.0.0.1", port=server.port, dbname=name, password=None).drop()


def database_url(port: int, name: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"
