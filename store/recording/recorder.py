"""The recorder: reads and writes of the one table of events (store.recording.schema) on SQLite or PostgreSQL.

It knows SQL, locking and the database's own guards; it knows nothing of event types or plans
(that is ``store.log``). Two rules shape it:

* Appends are serialised so positions are handed out in commit order without gaps: SQLite takes
  the write lock up front (``BEGIN IMMEDIATE``; a deferred ``BEGIN`` that reads then writes fails
  with SQLITE_BUSY whatever the busy timeout), PostgreSQL takes a transaction advisory lock with a
  lock timeout (a sequence would hand out positions before commit, and a late commit would be
  skipped by a reader following positions).
* The database refuses UPDATE, DELETE and out-of-order inserts by itself (triggers), so a mistake
  made through a raw connection cannot rewrite history; the hash chain detects deliberate tampering.

On PostgreSQL every statement is a network round trip, so an append is two of them, pipelined
(libpq's pipeline mode): the lock and every read the append will make (``Reads``, asked for up
front by ``store.log``), then the inserts and the COMMIT. Each statement in a pipeline still runs
after the one before it, so the reads see the log as it is once the lock is held.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import (
    Engine,
    create_engine,
    event,
    func,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlmodel import String

from store import config
from store.command import os_reason
from store.domain import rules
from store.recording.chain import GENESIS_HASH
from store.recording.schema import COLUMNS, EVENTS, FACTS_ONLY, SEALS, create

_COLUMN_LIST = ", ".join(COLUMNS)
_INSERT_SQL = f"INSERT INTO events ({_COLUMN_LIST}) VALUES ({', '.join('?' * len(COLUMNS))})"
_HEAD_SQL = "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1"
_VERSION_SQL = "SELECT MAX(version) FROM events WHERE stream = ?"

# Any constant works; it only has to be the same for every writer of this database.
_PG_APPEND_LOCK = 7_340_512


class StoreUnavailable(RuntimeError):
    """The database could not be reached or locked in time. ``str()`` is the log's English (the driver's
    words), ``zh`` the same in Chinese for the command line (store/command.py)."""

    def __init__(self, message: str, zh: str) -> None:
        super().__init__(message)
        self.zh = zh

    @classmethod
    def of(cls, where: str, detail: str) -> StoreUnavailable:
        """The database ``where`` refused with the driver's ``detail``."""
        return cls(f"{where}: {detail}", f"无法使用数据库 {where}：{_driver_zh(detail)}")

    @classmethod
    def not_a_url(cls, where: str) -> StoreUnavailable:
        return cls(f"not a database URL this board can use: {where} "
                   f"(sqlite:///FILE or postgresql+psycopg://USER@HOST/DB)",
                   f"不是看板能用的数据库地址：{where}（应为 sqlite:///文件 或 postgresql+psycopg://用户@主机/库名）")


@dataclass(frozen=True)
class Head:
    position: int
    hash: str


@dataclass(frozen=True)
class Reads:
    """What an append will read under the lock, asked for before it is taken.

    On PostgreSQL they go to the server in the round trip that takes the lock; on SQLite, where a
    read costs no round trip, they are read when asked, as before. A read the append makes that is
    not listed here is still answered (by its own statement): the list decides the cost, never the
    answer.
    """

    event_ids: tuple[str, ...] = ()
    streams: tuple[str, ...] = ()
    stream_rows: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (stream, types)
    retractions: tuple[tuple[str, str], ...] = ()               # (stream, payload fragment)


class AppendTx:
    """What a writer may look at and do while it holds the append lock.

    The statements of an append go straight to the driver's cursor: they are few and fixed, and
    SQLAlchemy's per-statement machinery cost more than SQLite's own work for them. The SQL is
    written once with ``?`` and given the driver's placeholder.
    """

    def __init__(self, cursor: Any, placeholder: str = "?", dates_as_text: bool = True) -> None:
        self.cursor = cursor
        self._placeholder = placeholder
        self._dates_as_text = dates_as_text
        self._versions: dict[str, int] = {}
        self._head: Head | None = None
        self._known: dict[str, dict[str, Any] | None] = {}     # event_id -> stored row, or None: not stored
        self._stream_rows: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
        self._retractions: dict[tuple[str, str], bool] = {}

    def prefetch(self, reads: Reads, sync: Callable[[], None]) -> None:
        """Send every listed read at once and keep the answers (PostgreSQL: one round trip with the lock).

        Each read goes on its own cursor so that all of them are queued before ``sync`` sends them."""
        queued: list[tuple[Any, Callable[[list[tuple]], None]]] = []

        def ask(sql: str, params: Sequence[Any], keep: Callable[[list[tuple]], None]) -> None:
            cursor = self.cursor.connection.cursor()
            cursor.execute(self._sql(sql), tuple(params))
            queued.append((cursor, keep))

        ask(_HEAD_SQL, (), lambda rows: setattr(self, "_head", _head_of(rows)))
        ids = list(dict.fromkeys(reads.event_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            ask(_existing_sql(chunk), chunk, lambda rows, chunk=chunk: self._keep_known(chunk, rows))
        # One MAX per stream, not one GROUP BY for all: the planner answers "MAX(version) WHERE stream = ?"
        # from the end of the (stream, version) index, but a GROUP BY reads every event of the streams.
        for stream in dict.fromkeys(reads.streams):
            if stream not in self._versions:
                ask(_VERSION_SQL, [stream], lambda rows, stream=stream: self._versions.__setitem__(stream, rows[0][0] or 0))
        for stream, types in dict.fromkeys(reads.stream_rows):
            sql, params = _stream_rows_sql(stream, types)
            ask(sql, params, lambda rows, key=(stream, types): self._stream_rows.__setitem__(
                key, [dict(zip(COLUMNS, row)) for row in rows]))
        for stream, fragment in dict.fromkeys(reads.retractions):
            sql, params = _retraction_sql(stream, fragment)
            ask(sql, params, lambda rows, key=(stream, fragment): self._retractions.__setitem__(key, bool(rows)))
        sync()
        for cursor, keep in queued:
            keep(cursor.fetchall())

    def _keep_known(self, ids: Sequence[str], rows: list[tuple]) -> None:
        found = {row[1]: dict(zip(COLUMNS, row)) for row in rows}
        self._known.update({i: found.get(i) for i in ids})

    def _sql(self, sql: str) -> str:
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        self.cursor.execute(self._sql(sql), tuple(params))
        return self.cursor.fetchall()

    def head(self) -> Head:
        if self._head is None:
            self._head = _head_of(self._fetch(_HEAD_SQL))
        return self._head

    def existing(self, event_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        missing = [i for i in event_ids if i not in self._known]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            self._keep_known(chunk, self._fetch(_existing_sql(chunk), chunk))
        return {i: row for i in event_ids if (row := self._known.get(i)) is not None}

    def stream_version(self, stream: str) -> int:
        if stream not in self._versions:
            self._versions[stream] = self._fetch(_VERSION_SQL, [stream])[0][0] or 0
        return self._versions[stream]

    def retraction_of(self, stream: str, payload_fragment: str) -> bool:
        """Whether the stream already holds a retraction whose canonical payload has this fragment."""
        key = (stream, payload_fragment)
        if key not in self._retractions:
            self._retractions[key] = bool(self._fetch(*_retraction_sql(stream, payload_fragment)))
        return self._retractions[key]

    def stream_rows(self, stream: str, types: Sequence[str]) -> list[dict[str, Any]]:
        """The stream's events of these types, in position order (a rule's look at an activity's plan)."""
        key = (stream, tuple(types))
        if key not in self._stream_rows:
            self._stream_rows[key] = [dict(zip(COLUMNS, row)) for row in self._fetch(*_stream_rows_sql(*key))]
        return list(self._stream_rows[key])

    def insert(self, rows: list[dict[str, Any]]) -> None:
        """Insert the rows; the answers read so far stay true of the log before them, which is what the
        caller checked against (it keeps this batch's own rows itself)."""
        if not rows:
            return
        self.cursor.executemany(self._sql(_INSERT_SQL), [tuple(self._value(row, name) for name in COLUMNS) for row in rows])
        for row in rows:
            self._versions[row["stream"]] = row["version"]
        last = rows[-1]
        self._head = Head(last["position"], last["hash"])

    def seal(self, seals: list[tuple[int, str]]) -> None:
        """Store (position, mac) seals in the append's transaction."""
        if seals:
            self.cursor.executemany(self._sql("INSERT INTO event_seals (position, mac) VALUES (?, ?)"), seals)

    def _value(self, row: dict[str, Any], name: str) -> Any:
        value = row[name]
        # SQLite keeps dates as ISO text (what SQLAlchemy's Date type writes there); PostgreSQL takes a date.
        return value.isoformat() if name == "occurred_on" and self._dates_as_text else value


class Recorder:
    """The events table on one database URL.

    ``read_only`` opens a SQLite file for reading only (``mode=ro``; ``immutable`` when its folder
    cannot be written, as on a backup medium), so the reading commands work on a copy nobody may
    write, and cannot change it.
    """

    def __init__(self, url: str, *, synchronous: str | None = None, read_only: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.read_only = read_only and self.is_sqlite
        self.where = _where(url)
        if url.split(":", 1)[0].split("+", 1)[0] not in _SCHEMES:
            raise StoreUnavailable.not_a_url(self.where)
        with _refused(self.where):
            if self.is_sqlite:
                sync = config.sqlite_synchronous(synchronous)
                if self.read_only:
                    self.engine = self.read_engine = self.append_engine = _sqlite_engine(
                        _read_only_url(url), immediate=False, synchronous=sync, wal=False)
                    return
                config.ensure_sqlite_folder(url)
                self.engine = _sqlite_engine(url, immediate=True, synchronous=sync)
                self.read_engine = _sqlite_engine(url, immediate=False, synchronous=sync)
            else:
                self.engine = create_engine(url, pool_pre_ping=True)
                self.read_engine = self.engine
        # Appends skip the pool's ping (a round trip of its own): a connection the server dropped
        # fails the append's first round trip, before anything is written, and the append is retried
        # once on a new one (``_begin_append``).
        self.append_engine = self.engine if self.is_sqlite else _pg_append_engine(url)

    def init(self) -> None:
        """Create the table and its guards; running it again changes nothing."""
        with _refused(self.where), self.engine.begin() as conn:
            create(conn, self.is_sqlite)

    def is_initialised(self) -> bool:
        from sqlalchemy import inspect

        with _refused(self.where), self.read_engine.connect() as conn:
            return inspect(conn).has_table("events")

    @contextmanager
    def appending(self, reads: Reads = Reads()) -> Iterator[AppendTx]:
        """One serialised write transaction: everything inside commits together or not at all.

        It runs on the pooled driver connection itself: an append is a handful of fixed statements,
        and SQLAlchemy's transaction and statement machinery cost more than SQLite's work for them.
        On PostgreSQL it runs in pipeline mode: ``reads`` travel with the lock, and the inserts with
        the COMMIT, so an append costs two round trips.
        """
        dbapi = self.engine.dialect.dbapi
        raw, tx, pipeline = self._begin_append(reads)
        try:
            yield tx
            tx.cursor.execute("COMMIT")
            if pipeline is not None:
                pipeline.close()   # sends the queued inserts and the COMMIT, and waits once
        except dbapi.OperationalError as exc:
            _rollback(raw, self.is_sqlite, pipeline)
            raise StoreUnavailable.of(self.where, _first_line(exc)) from exc
        except dbapi.DatabaseError as exc:
            _rollback(raw, self.is_sqlite, pipeline)
            if isinstance(exc, dbapi.IntegrityError):   # a guard refused the insert: the caller's to report
                raise
            raise StoreUnavailable.of(self.where, _first_line(exc)) from exc
        except BaseException:
            _rollback(raw, self.is_sqlite, pipeline)
            raise
        finally:
            raw.close()   # back to the pool

    def _begin_append(self, reads: Reads) -> tuple[Any, AppendTx, ExitStack | None]:
        """A connection holding the append lock, with ``reads`` answered: (connection, tx, and on
        PostgreSQL what leaves pipeline mode)."""
        dbapi = self.engine.dialect.dbapi
        for attempt in (1, 2):
            try:
                raw = self.append_engine.raw_connection()
            except DBAPIError as exc:
                raise StoreUnavailable.of(self.where, _first_line(exc.orig or exc)) from exc
            pipeline = None
            try:
                cursor = raw.cursor()
                if self.is_sqlite:
                    cursor.execute("BEGIN IMMEDIATE")
                    return raw, AppendTx(cursor), None
                pipeline = ExitStack()
                pipe = pipeline.enter_context(raw.driver_connection.pipeline())
                cursor.execute("BEGIN")
                cursor.execute(f"SET LOCAL lock_timeout = '{config.PG_LOCK_TIMEOUT}'")
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_APPEND_LOCK,))
                tx = AppendTx(cursor, "%s", dates_as_text=False)
                tx.prefetch(reads, pipe.sync)
                return raw, tx, pipeline
            except dbapi.DatabaseError as exc:   # busy, locked, unreachable, no table: nothing was written
                broken = isinstance(exc, dbapi.OperationalError) and not self.is_sqlite and raw.driver_connection.broken
                _rollback(raw, self.is_sqlite, pipeline)
                if broken:
                    raw.invalidate()   # the server dropped it (a restart): nothing was sent that could commit
                raw.close()
                if not broken or attempt == 2:
                    raise StoreUnavailable.of(self.where, _first_line(exc)) from exc
            except BaseException:
                _rollback(raw, self.is_sqlite, pipeline)
                raw.close()
                raise
        raise AssertionError("unreachable")

    def rows(self, *where: Any, after: int = 0, upto: int | None = None, batch: int = 20_000) -> Iterator[tuple]:
        """Rows as tuples in ``COLUMNS`` order and position order, fetched in batches so a million
        events never sit in memory twice. ``occurred_on`` comes as the driver gives it (ISO text on
        SQLite, a date on PostgreSQL): parsing it is the caller's, once, not SQLAlchemy's per row."""
        last = after
        columns = [type_coerce(c, String) if c.name == "occurred_on" else c for c in EVENTS.columns]
        while True:
            query = select(*columns).where(EVENTS.c.position > last, *where)
            if upto is not None:
                query = query.where(EVENTS.c.position <= upto)
            query = query.order_by(EVENTS.c.position).limit(batch)
            with _refused(self.where), self.read_engine.connect() as conn:
                chunk = conn.execute(query).all()
            yield from chunk
            if len(chunk) < batch:
                return
            last = chunk[-1][0]

    def head(self) -> Head:
        with _refused(self.where), self.read_engine.connect() as conn:
            return _head(conn)

    def seals(self) -> dict[int, str]:
        """Every stored seal, position → mac (none where the table is absent: a store from before seals)."""
        with _refused(self.where), self.read_engine.connect() as conn:
            from sqlalchemy import inspect

            if not inspect(conn).has_table("event_seals"):
                return {}
            return dict(conn.execute(select(SEALS.c.position, SEALS.c.mac)).all())

    @property
    def identity(self) -> str:
        """This database, the same however its URL was written: the resolved file, or the server URL."""
        if self.is_sqlite and self.url.startswith("sqlite:///"):
            return "sqlite:///" + str(Path(self.where).resolve())
        return self.where

    def stats(self) -> dict[str, Any]:
        with _refused(self.where), self.read_engine.connect() as conn:
            by_type = dict(conn.execute(select(EVENTS.c.type, func.count()).group_by(EVENTS.c.type)).all())
            first, last = conn.execute(select(func.min(EVENTS.c.occurred_on), func.max(EVENTS.c.occurred_on))).one()
            head = _head(conn)
        return {"by_type": by_type, "head": head, "first": first, "last": last}

    def dispose(self) -> None:
        for engine in {id(e): e for e in (self.engine, self.read_engine, self.append_engine)}.values():
            engine.dispose()


def _head(conn: Connection) -> Head:
    return _head_of(conn.exec_driver_sql(_HEAD_SQL).all())


def _head_of(rows: Sequence[Sequence[Any]]) -> Head:
    return Head(rows[0][0], rows[0][1]) if rows else Head(0, GENESIS_HASH)


def _rollback(raw: Any, is_sqlite: bool, pipeline: ExitStack | None = None) -> None:
    try:
        if pipeline is not None:
            try:
                pipeline.close()   # leave pipeline mode; its aborted results are dropped
            except Exception:  # noqa: BLE001 - the error already raised is the one to report
                pass
        raw.cursor().execute("ROLLBACK") if is_sqlite else raw.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool discards it, nothing was committed
        pass


def _existing_sql(event_ids: Sequence[str]) -> str:
    return f"SELECT {_COLUMN_LIST} FROM events WHERE event_id IN ({', '.join('?' * len(event_ids))})"


def _stream_rows_sql(stream: str, types: Sequence[str]) -> tuple[str, list[Any]]:
    marks = ", ".join("?" * len(types))
    facts = f"{FACTS_ONLY} AND " if set(types) <= rules.STREAM_FACTS else ""
    return (f"SELECT {_COLUMN_LIST} FROM events WHERE {facts}stream = ? AND type IN ({marks}) ORDER BY position",
            [stream, *types])


def _retraction_sql(stream: str, payload_fragment: str) -> tuple[str, list[Any]]:
    pattern = "%" + "".join("!" + c if c in "%_!" else c for c in payload_fragment) + "%"
    return (f"SELECT position FROM events WHERE {FACTS_ONLY} AND stream = ? AND type = 'EventRetracted' "
            "AND payload LIKE ? ESCAPE '!' LIMIT 1", [stream, pattern])


_SCHEMES = ("sqlite", "postgresql")


def _where(url: str) -> str:
    """What a message names: the SQLite file, or the PostgreSQL database without its password."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):].split("?", 1)[0] or url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url[:100]


@contextmanager
def _refused(where: str) -> Iterator[None]:
    """Whatever keeps the database from opening (not a URL, a driver that is not there, a file that is
    no database, a folder that cannot be made) as one StoreUnavailable line naming it."""
    try:
        yield
    except StoreUnavailable:
        raise
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreUnavailable.not_a_url(where) from exc
    except DBAPIError as exc:
        if isinstance(exc, IntegrityError):
            raise
        raise StoreUnavailable.of(where, _first_line(exc.orig or exc)) from exc
    except OSError as exc:
        raise StoreUnavailable(f"{where}: {exc.strerror or exc} ({exc.filename or where})",
                               f"无法使用数据库 {where}：{os_reason(exc)}"
                               f"（{exc.filename or where}）") from exc


# The drivers' usual words for a database that cannot be used, in Chinese (matched in lower case);
# anything else is shown as the driver said it.
_DRIVER_ZH = (
    ("file is not a database", "这不是数据库文件（文件损坏，或不是事件库）"),
    ("database disk image is malformed", "数据库文件已损坏"),
    ("database is locked", "数据库正被其他程序占用，请稍后再试"),
    ("unable to open database file", "无法打开数据库文件（路径不存在或没有权限）"),
    ("readonly database", "数据库是只读的，不能写入"),
    ("connection refused", "连接被拒绝（数据库服务器没有运行，或地址、端口不对）"),
    ("password authentication failed", "用户名或密码不对"),
    ("lock timeout", "等待写入锁超时（有其他程序正在写入），请稍后再试"),
)


def _driver_zh(detail: str) -> str:
    lowered = detail.lower()
    for words, zh in _DRIVER_ZH:
        if words in lowered:
            return zh
    return detail


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _read_only_url(url: str) -> str:
    """The SQLite URL opened read-only; immutable where nobody can be writing (a read-only folder)."""
    path = Path(url[len("sqlite:///"):].split("?", 1)[0])
    if not path.is_file():
        raise StoreUnavailable(f"{path}: no such database file", f"找不到数据库文件：{path}")
    folder_writable = os.access(path.resolve().parent, os.W_OK)
    mode = "mode=ro" if folder_writable else "mode=ro&immutable=1"
    return f"sqlite:///file:{quote(str(path.resolve()))}?{mode}&uri=true"


def _pg_append_engine(url: str) -> Engine:
    """The pool appends use on PostgreSQL: no ping on checkout, and the driver in autocommit mode so
    that BEGIN and COMMIT are statements of the append's pipeline, not round trips of their own
    (psycopg waits for the BEGIN it sends itself, and for an explicit commit's extra sync)."""
    engine = create_engine(url, pool_pre_ping=False)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.autocommit = True

    return engine


def _sqlite_engine(url: str, *, immediate: bool, synchronous: str, wal: bool = True) -> Engine:
    engine = create_engine(url, connect_args={"timeout": config.SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so the BEGIN below is the one that runs.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if wal:   # a read-only connection reads the file in whatever mode it is in
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={config.SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")   # one of config.SQLITE_SYNC_CHOICES
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
