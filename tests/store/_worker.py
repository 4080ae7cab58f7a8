"""A writer process for the concurrency tests: ``python _worker.py GO_FILE URL MODE ...``.

It connects, prints ``ready``, waits for GO_FILE to exist (so every worker starts at once), then
appends through ``EventStore.append`` — one transaction per event — and prints one JSON line per
appended event: ``{"event_id": ..., "position": ..., "version": ...}``.

Modes:
  many WORKER N     append N ProgressReported events round-robin over the test plan's activities
  same ID[,ID...]   append one ProgressReported event per given event_id (racing other workers)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from store.log import EventStore
from tests.factories import fact


def main() -> None:
    go_file, url, mode, *rest = sys.argv[1:]
    store = EventStore(url)
    store.head()  # connect before the start signal
    print("ready", flush=True)
    go = Path(go_file)
    while not go.exists():
        time.sleep(0.002)
    if mode == "many":
        worker, n = rest[0], int(rest[1])
        events = [fact(1 + i % 3, "ProgressReported", {"percent": i % 101, "note": f"{worker}-{i}"},
                       "2022-05-01", event_id=f"{worker}-{i:05d}", actor=worker) for i in range(n)]
    elif mode == "same":
        events = [fact(2, "ProgressReported", {"percent": 50, "note": "the same submission"}, "2022-05-01",
                       event_id=event_id) for event_id in rest[0].split(",")]
    else:
        raise SystemExit(f"unknown mode {mode}")
    out = []
    for new in events:
        stored = store.append(new)
        out.append(json.dumps({"event_id": stored.event_id, "position": stored.position, "version": stored.version}))
    store.close()
    print("\n".join(out), flush=True)


if __name__ == "__main__":
    main()
