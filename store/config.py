"""Settings of the store in one place: where the log lives and the thresholds of the status rules."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

DEFAULT_DB_URL = "sqlite:///data/events.db"
DB_ENV = "DUBAN_DB"

# Payload limits: a note is a sentence or a paragraph, never a pasted document.
MAX_NOTE_CHARS = 2_000
MAX_TEXT_CHARS = 20_000
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)

# Status rules (DESIGN.md): 预警 when the end is this close, or progress lags elapsed time by this much.
AT_RISK_DAYS_BEFORE_END = 14
AT_RISK_LAG_PERCENT = 25

# SQLite waits this long for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# PostgreSQL waits this long for the append lock before giving up.
PG_LOCK_TIMEOUT = "30s"

DISPLAY_TZ = "Asia/Shanghai"

# A running board saves its folded state (store.reading.snapshots) in the background once this many events
# were folded since its last snapshot, so a restart folds only what came after. 0 turns it off.
SNAPSHOT_EVERY_ENV = "DUBAN_SNAPSHOT_EVERY"
SNAPSHOT_EVERY_DEFAULT = 10_000


def snapshot_every() -> int:
    """Events folded between two snapshots of a running board (env DUBAN_SNAPSHOT_EVERY)."""
    raw = os.environ.get(SNAPSHOT_EVERY_ENV, "").strip()
    if not raw:
        return SNAPSHOT_EVERY_DEFAULT
    if not raw.isdigit():
        raise ValueError(f"{SNAPSHOT_EVERY_ENV} 须为整数（事件条数），现为 {raw!r}")
    return int(raw)

# How SQLite syncs a commit (WAL mode). FULL: a commit is on disk when append returns, whatever
# happens next. NORMAL: a commit survives the program crashing, and the file is never corrupted,
# but a power cut or OS crash can lose the last commits; appends are about twice as fast.
SQLITE_SYNC_ENV = "DUBAN_SQLITE_SYNCHRONOUS"
SQLITE_SYNC_CHOICES = ("FULL", "NORMAL")


def database_url(explicit: str | None = None) -> str:
    """The URL given on the command line wins, then DUBAN_DB, then the embedded SQLite file."""
    return explicit or os.environ.get(DB_ENV) or DEFAULT_DB_URL


def sqlite_synchronous(explicit: str | None = None) -> str:
    """The SQLite sync level: the one given, then DUBAN_SQLITE_SYNCHRONOUS, then FULL."""
    value = (explicit or os.environ.get(SQLITE_SYNC_ENV) or "FULL").strip().upper()
    if value not in SQLITE_SYNC_CHOICES:
        raise ValueError(f"{SQLITE_SYNC_ENV} 只能是 {' 或 '.join(SQLITE_SYNC_CHOICES)}，现为 {value!r}")
    return value


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file on first use, so `make run` needs no set-up step."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        path = Path(url[len(prefix):].split("?", 1)[0])
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
