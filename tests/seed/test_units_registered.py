"""Units registered in the app (UnitRegistered, stream ``units``) merged over seed/units.toml,
on SQLite and PostgreSQL: every store reader sees the same registry, and the parse names units by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from seed.cli import main as seed_main
from seed.parser import parse_document
from seed.units import RegistryError, load_registry, registration, registry_of
from store.domain.events import UNITS_STREAM
from store.log import EventStore, NewEvent, StreamRuleError
from store.recording.envelope import PayloadError

DOC = Path(__file__).parent / "docs" / "offices" / "city-2024-practical-matters.txt"


def test_a_new_unit_and_an_alias_are_seen_by_every_instance(store: EventStore, db_url: str) -> None:
    base = registry_of(store)
    assert base.canonical("市教育局") is None and base.canonical("省总办公厅") is None
    store.append(registration(base, "市教育局", kind="department", actor="boss"))
    store.append(registration(registry_of(store), "海东市总工会办公室", alias_of="海东市总", actor="boss"))

    other = EventStore(db_url)   # another instance of the board over the same store
    try:
        registry = registry_of(other)
    finally:
        other.close()
    assert registry.canonical("市教育局") == "市教育局" and registry.kind("市教育局") == "department"
    assert registry.canonical("海东市总工会办公室") == "海东市总工会"
    assert registry.groups == load_registry().groups  # the groups stay those of units.toml


def test_the_parse_names_units_by_the_merged_registry(store: EventStore) -> None:
    store.append(registration(registry_of(store), "市教育局", actor="boss"))
    result = parse_document(DOC, registry=registry_of(store))
    assert not any("「市教育局」" in w for w in result["warnings"])
    assert any("「市财政局」" in w for w in result["warnings"])  # still unregistered


def test_registering_twice_appends_once_and_clashes_are_refused(store: EventStore) -> None:
    registry = registry_of(store)
    first = store.append(registration(registry, "县住建局", actor="boss"))
    again = store.append(registration(registry, "县住建局", actor="other"))  # a double click, another office
    assert again.position == first.position and store.head()[0] == first.position
    with pytest.raises(RegistryError, match="已登记"):
        registration(registry_of(store), "县住建局")
    with pytest.raises(RegistryError, match="已登记"):
        registration(registry_of(store), "省总", alias_of="海东市总工会")  # 省总 is 青海省总工会's
    with pytest.raises(RegistryError, match="没有登记"):
        registration(registry_of(store), "县住房和城乡建设局", alias_of="县住房局")


def test_registrations_are_validated_and_kept_in_their_stream(store: EventStore) -> None:
    with pytest.raises(PayloadError, match="kind"):
        store.append(NewEvent("UnitRegistered", UNITS_STREAM, {"name": "甲", "kind": "planet"}))
    with pytest.raises(PayloadError, match="name"):
        store.append(NewEvent("UnitRegistered", UNITS_STREAM, {"name": ""}))
    with pytest.raises(StreamRuleError, match="units"):
        store.append(NewEvent("UnitRegistered", "plan/x", {"name": "甲"}))
    assert store.head()[0] == 0


def test_a_retracted_registration_no_longer_names_a_unit(store: EventStore) -> None:
    stored = store.append(registration(registry_of(store), "市教育局", actor="boss"))
    store.retract(stored.event_id, "登记错了", actor="boss", unit="", retraction_id="r-1")
    assert registry_of(store).canonical("市教育局") is None


def test_seed_import_reads_the_same_registry(store: EventStore, db_url: str, capsys) -> None:
    store.append(registration(registry_of(store), "市教育局", actor="boss"))
    assert seed_main(["--db", db_url, "import", str(DOC)]) == 0
    warnings = capsys.readouterr().err
    assert "「市教育局」" not in warnings and "「市财政局」" in warnings
