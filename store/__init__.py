"""The append-only event log of 督办看板 and everything derived from it (no Streamlit in here)."""

from store.log import EventStore  # noqa: F401
from store.recording.envelope import (  # noqa: F401
    ConcurrencyError,
    ImportFileError,
    NewEvent,
    PayloadError,
    StoredEvent,
    StoreError,
    StreamRuleError,
)
