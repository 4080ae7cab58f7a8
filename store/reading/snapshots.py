"""Snapshots of the folded state, so a restart folds only the events after the last one.

Folding a million events takes tens of seconds; a server restart (a deploy, a reboot) would make
the first visitor wait for all of it. A snapshot is the projector's state at one log position, in
its own table beside the log (never in the events table, which stays append-only and is all the
hash chain covers). It is keyed by ``CODE_VERSION``, a digest of the folding code itself: after a
change to how events are folded, old snapshots are simply not found, and the board folds from the
start and takes a new one.

A snapshot is only a cache of what the log already says. One that does not load — bytes that do
not match their digest, a class the loader does not allow, a position whose hash is not the log's
— is ignored with a log line and the board folds from the start. The loader unpickles only the
plain types the state is made of (no arbitrary classes), so a forged row cannot run code.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import logging
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
)

from store.log import EventStore, format_recorded_at
from store.reading.projections import Projector

log = logging.getLogger("duban.snapshots")

# The code a folded state depends on: change any of it and older snapshots no longer apply.
_FOLDING_CODE = ("reading/projections.py", "reading/cells.py", "domain/events.py", "reading/snapshots.py",
                 "domain/soundness.py", "domain/rules.py")
_FORMAT = 1


def _code_version() -> str:
    digest = hashlib.sha256(f"format {_FORMAT}".encode())
    here = Path(__file__).parents[1]   # store/
    for name in _FOLDING_CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()
KEEP = 2   # snapshots kept per code version: the latest, and one before it in case the latest is bad

_METADATA = MetaData()
SNAPSHOTS = Table(
    "projection_snapshots", _METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code_version", String(64), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("state", LargeBinary, nullable=False),
)

# What a folded state is made of; anything else in a pickle is refused.
_ALLOWED = {
    ("builtins", "dict"), ("builtins", "list"), ("builtins", "tuple"), ("builtins", "set"),
    ("builtins", "frozenset"), ("builtins", "int"), ("builtins", "float"), ("builtins", "str"),
    ("builtins", "bool"), ("collections", "Counter"), ("store.reading.cells", "StreamCells"),
    ("datetime", "timezone"), ("datetime", "timedelta"), ("datetime", "datetime"),
    ("pandas._libs.tslibs.timestamps", "_unpickle_timestamp"), ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


class SnapshotError(Exception):
    """A snapshot that cannot be used; the caller folds from the start instead."""


class _StateUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise SnapshotError(f"a snapshot may not hold {module}.{name}")
        return super().find_class(module, name)


def init(store: EventStore) -> None:
    """Create the snapshot table (running it again changes nothing)."""
    _METADATA.create_all(store.recorder.engine, tables=[SNAPSHOTS])


def encode(projector: Projector) -> tuple[int, bytes]:
    """The projector's state as bytes, and the position it stands at. Fast (no compression): the
    caller holds the projector's lock for this part only."""
    return projector.position, pickle.dumps(projector.state(), protocol=pickle.HIGHEST_PROTOCOL)


def save(store: EventStore, position: int, raw: bytes) -> bool:
    """Store a state taken by ``encode`` and drop older ones of this code version beyond ``KEEP`` and
    all of other versions. Returns False when the log has no event at ``position`` (nothing saved)."""
    head_hash = _hash_at(store, position)
    if head_hash is None:
        return False
    state = zlib.compress(raw, 1)
    with store.recorder.engine.begin() as conn:
        conn.execute(insert(SNAPSHOTS).values(
            code_version=CODE_VERSION, position=position, head_hash=head_hash,
            created_at=format_recorded_at(dt.datetime.now(dt.UTC)),
            digest=hashlib.sha256(state).hexdigest(), state=state))
        kept = [r[0] for r in conn.execute(select(SNAPSHOTS.c.id).where(SNAPSHOTS.c.code_version == CODE_VERSION)
                                           .order_by(SNAPSHOTS.c.position.desc(), SNAPSHOTS.c.id.desc())
                                           .limit(KEEP))]
        conn.execute(delete(SNAPSHOTS).where(SNAPSHOTS.c.id.not_in(kept)))
    log.info("snapshot of the folded state at position %d saved (%d bytes)", position, len(state))
    return True


def take(store: EventStore, projector: Projector) -> bool:
    """Encode and save in one go (the command line and tests; the board splits it, see dashboard.data)."""
    position, raw = encode(projector)
    return save(store, position, raw) if position else False


def restore(store: EventStore, projector: Projector) -> int:
    """Load the latest usable snapshot into a fresh projector; returns its position (0: none used).

    Snapshots are tried newest first; each one that fails is named in the log and skipped.
    """
    init(store)
    with store.recorder.read_engine.connect() as conn:
        rows = conn.execute(select(SNAPSHOTS.c.id, SNAPSHOTS.c.code_version, SNAPSHOTS.c.position,
                                   SNAPSHOTS.c.head_hash, SNAPSHOTS.c.digest, SNAPSHOTS.c.state)
                            .order_by(SNAPSHOTS.c.position.desc(), SNAPSHOTS.c.id.desc())).all()
    others = sum(1 for r in rows if r.code_version != CODE_VERSION)
    if others:
        log.info("%d snapshot(s) of other projection code ignored", others)
    for row in (r for r in rows if r.code_version == CODE_VERSION):
        try:
            state = _decode(row.state, row.digest)
            if _hash_at(store, row.position) != row.head_hash:
                raise SnapshotError("the log's hash at its position is not the one it was taken at")
            if state.get("position") != row.position:
                raise SnapshotError("its state stands at another position than the row says")
            projector.load_state(state)
        except Exception as exc:  # noqa: BLE001 - any failure means: fold from the start instead
            log.warning("snapshot %d at position %d ignored: %s", row.id, row.position, exc)
            projector.load_state(Projector(store).state())
            continue
        log.info("folded state restored from the snapshot at position %d", row.position)
        return row.position
    return 0


def _decode(blob: bytes, digest: str) -> dict[str, Any]:
    if hashlib.sha256(blob).hexdigest() != digest:
        raise SnapshotError("its bytes do not match their digest")
    try:
        state = _without_collections(_StateUnpickler(io.BytesIO(zlib.decompress(blob))).load)
    except SnapshotError:
        raise
    except Exception as exc:  # noqa: BLE001 - zlib or pickle: the bytes are not a state
        raise SnapshotError(f"not a readable state ({type(exc).__name__})") from None
    if not isinstance(state, dict):
        raise SnapshotError("not a state")
    return state


def _without_collections(load: Callable[[], Any]) -> Any:
    """``load()`` with the cyclic garbage collector paused: unpickling a million events' state makes
    millions of objects, and the collections their allocations set off walked them again and again
    (a quarter of the restore at 1M events). Nothing it makes is garbage yet."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        return load()
    finally:
        if was_on:
            gc.enable()


def _hash_at(store: EventStore, position: int) -> str | None:
    return store.hash_at(position)
