"""What every page test does: open the app on a store, as someone, on a page; read the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from store.log import EventStore, StoredEvent

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
# Test accounts hash fast; the product uses argon2's default parameters.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def open_app(monkeypatch: Any, url: str, page: str | None = None, account: Any = None,
             params: dict[str, str | list[str]] | None = None) -> AppTest:
    """Run the app on the store at ``url`` (logged in as ``account``), then switch to ``page``."""
    monkeypatch.setenv("DUBAN_DB", url)
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if account is not None:
        at.session_state["duban_account"] = account
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def head(url: str) -> int:
    store = EventStore(url)
    try:
        return store.head()[0]
    finally:
        store.close()


def last_event(url: str) -> StoredEvent:
    store = EventStore(url)
    try:
        return list(store.read(after=store.head()[0] - 1))[0]
    finally:
        store.close()


def shown(markdown_text: str) -> str:
    """What a reader sees of an element's markdown: text from users is escaped (``\\_`` shows ``_``)."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown_text)
