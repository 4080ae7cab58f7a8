"""Benchmarks of the event store at up to a million events, side by side with a floor and a peer.

``python -m bench`` measures appends, bulk import, projection rebuild, the overview page's warm
rerun and peak memory, each against what plain sqlite3 / one SELECT (the floor) and the
``eventsourcing`` library's SQLite recorder (the peer) do with the same rows on the same machine.
``python -m bench fill`` fills a store with the same generated events for manual trials.

Nothing here is imported by the app; it only reads the store through its public API.
"""
