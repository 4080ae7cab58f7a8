"""The append-only event log of 督办看板 and everything derived from it (no Streamlit in here)."""

from store.log import (  # noqa: F401
    ConcurrencyError,
    EventStore,
    ImportFileError,
    NewEvent,
    PayloadError,
    StoredEvent,
    StoreError,
    StreamRuleError,
)
