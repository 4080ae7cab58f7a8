"""Tampering the chain alone cannot show: a log cut short, a table dropped and re-created, a chain
rewritten consistently, a forged event appended with a correct hash. ``verify`` names the position.

Each attack is done as an attacker would: through a raw connection, dropping the guards first.
"""

from __future__ import annotations

import pytest

from store.log import EventStore
from tests.factories import fact
from tests.store.helpers import (
    cli,
    drop_guards,
    plant,
    raw_connection,
    rewrite_consistently,
)

KEY = "k3y-for-tests-only-0123456789"


@pytest.fixture
def seen(planned: EventStore) -> EventStore:
    """A store this installation has verified once, at position 6."""
    planned.append_many([fact(1, "ProgressReported", {"percent": 30}, "2022-04-01"),
                         fact(2, "ProgressReported", {"percent": 10}, "2022-04-20")])
    assert planned.verify().ok
    return planned


def test_a_log_cut_short_is_refused(seen: EventStore) -> None:
    drop_guards(seen.url)
    with raw_connection(seen.url) as conn:
        conn.execute("DELETE FROM events WHERE position > 4")
    result = seen.verify()
    assert result.bad_position == 6 and "ends at position 4" in result.reason


def test_a_dropped_table_is_refused_and_not_recreated_by_verify(seen: EventStore) -> None:
    with raw_connection(seen.url) as conn:
        conn.execute("DROP TABLE events")

    done = cli("--db", seen.url, "verify")

    assert done.returncode == 1, done.stderr
    assert "no events table" in done.stdout
    # and once something re-created it empty (the board opening the store does), the watermark refuses it
    seen.init()
    result = seen.verify()
    assert not result.ok and result.bad_position == 6 and "ends at position 0" in result.reason


def test_a_consistently_rewritten_chain_is_refused_at_the_head_seen(seen: EventStore) -> None:
    rewrite_consistently(seen.url, 5, 95)

    result = seen.verify()

    assert not result.ok and result.bad_position == 6 and "rewritten" in result.reason


def test_an_anchor_names_the_position_that_no_longer_holds(seen: EventStore, tmp_path) -> None:
    position, digest = 5, [e.hash for e in seen.read()][4]
    assert cli("--db", seen.url, "verify", "--anchor", f"{position}:{digest}").returncode == 0

    rewrite_consistently(seen.url, 5, 95)
    done = cli("--db", seen.url, "verify", "--anchor", f"{position}:{digest}")

    assert done.returncode == 1
    assert done.stdout.startswith("broken at position 5: ") and "the anchor given" in done.stdout
    bad = cli("--db", seen.url, "verify", "--anchor", "5:nothex")
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1
    assert "--anchor" in bad.stderr and "位置:哈希" in bad.stderr and "5:nothex" in bad.stderr


def test_with_a_signing_key_a_forged_event_is_named(planned: EventStore, monkeypatch) -> None:
    monkeypatch.setenv("DUBAN_SIGNING_KEY", KEY)
    signed = EventStore(planned.url)
    try:
        assert signed.seal_all() == 4
        signed.append(fact(1, "ProgressReported", {"percent": 30}, "2022-04-01"))
        assert signed.verify().ok
        forged = plant(planned.url, event_id="forged")   # the next position, a correct hash, no key

        result = signed.verify()
        assert not result.ok and result.bad_position == forged and "seal" in result.reason
        done = cli("--db", planned.url, "verify")     # the key comes from the environment
        assert done.returncode == 1 and f"broken at position {forged}" in done.stdout
    finally:
        signed.close()


def test_with_a_signing_key_a_rewrite_is_named_even_without_a_watermark(planned: EventStore, monkeypatch,
                                                                         tmp_path) -> None:
    monkeypatch.setenv("DUBAN_SIGNING_KEY", KEY)
    signed = EventStore(planned.url)
    try:
        signed.seal_all()
        signed.append_many([fact(1, "ProgressReported", {"percent": 30}, "2022-04-01"),
                            fact(2, "ProgressReported", {"percent": 10}, "2022-04-20")])
        monkeypatch.setenv("DUBAN_STATE_DIR", str(tmp_path / "another-installation"))
        rewrite_consistently(planned.url, 5, 95)

        result = signed.verify()

        assert not result.ok and result.bad_position == 5 and "seal" in result.reason
    finally:
        signed.close()
