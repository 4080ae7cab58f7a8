"""The unit registry (单位登记表): canonical names, aliases and groups of units.

Plans spell one unit several ways and name groups of units (各市（州）总工会).  The board must
count work per unit, so names are made canonical — but only through the registry the users edit
(``seed/units.toml``).  A name the registry does not know is kept exactly as written and reported
with the closest known name: silently "correcting" 省总宣传教育 to some department would put a
wrong name on a leader's screen.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.domain.events import UNIT_KINDS, UNITS_STREAM

if TYPE_CHECKING:
    from store.log import EventStore, NewEvent

__all__ = [
    "DEFAULT_REGISTRY_PATH", "Registry", "RegistryError", "Unit",
    "load_registry", "normalise_name", "registration", "registry_from_dict", "registry_of",
]

DEFAULT_REGISTRY_PATH = Path(__file__).with_name("units.toml")
KINDS = UNIT_KINDS
_NAMESPACE = uuid.UUID("5b0e3c1a-7d2f-4e58-9a61-2f4c8d7e9b30")


class RegistryError(ValueError):
    """The registry file is missing or malformed; the message is Chinese and fit for users."""


@dataclass(frozen=True)
class Unit:
    """One registered unit: its canonical name, other spellings and kind."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "other"


def normalise_name(name: str) -> str:
    """The lookup key of a name: no whitespace or quotes, full-width brackets.

    PDF conversion inserts spaces and half-width brackets (各市(州)总工会); neither changes the unit.
    """
    s = re.sub(r"\s+", "", name)
    s = s.replace("(", "（").replace(")", "）")
    return s.strip("“”\"'‘’")


@dataclass
class Registry:
    """Canonical units and groups, with an index of every spelling (normalised)."""

    units: dict[str, Unit] = field(default_factory=dict)
    group_members: dict[str, list[str]] = field(default_factory=dict)
    source: str = ""
    _index: dict[str, str] = field(default_factory=dict, repr=False)

    def _add_key(self, spelling: str, canonical: str) -> None:
        key = normalise_name(spelling)
        if not key:
            raise RegistryError(f"单位登记表 {self.source} 中有空的单位名称")
        owner = self._index.get(key)
        if owner is not None and owner != canonical:
            raise RegistryError(
                f"单位登记表 {self.source} 中的写法「{spelling}」同时属于「{owner}」和「{canonical}」"
            )
        self._index[key] = canonical

    def add_unit(self, unit: Unit) -> None:
        """Register a unit and its aliases; a spelling may belong to one unit only."""
        if unit.name in self.units or unit.name in self.group_members:
            raise RegistryError(f"单位登记表 {self.source} 中「{unit.name}」登记了两次")
        self.units[unit.name] = unit
        for spelling in (unit.name, *unit.aliases):
            self._add_key(spelling, unit.name)

    def add_group(self, name: str, members: list[str], aliases: tuple[str, ...] = ()) -> None:
        """Register a group; every member must already be a registered unit (by any spelling)."""
        if name in self.units or name in self.group_members:
            raise RegistryError(f"单位登记表 {self.source} 中「{name}」登记了两次")
        resolved: list[str] = []
        for member in members:
            canonical = self._index.get(normalise_name(member))
            if canonical is None or canonical not in self.units:
                raise RegistryError(
                    f"单位登记表 {self.source} 中分组「{name}」的成员「{member}」没有登记为单位"
                )
            if canonical not in resolved:
                resolved.append(canonical)
        self.group_members[name] = resolved
        for spelling in (name, *aliases):
            self._add_key(spelling, name)

    @property
    def groups(self) -> dict[str, list[str]]:
        """Group name -> canonical member names (a copy: callers cannot change the registry)."""
        return {name: list(members) for name, members in self.group_members.items()}

    def add_alias(self, spelling: str, canonical: str) -> None:
        """Another spelling of a registered unit or group (registered in the app: UnitRegistered)."""
        self._add_key(spelling, canonical)
        if canonical in self.units:
            unit = self.units[canonical]
            self.units[canonical] = replace(unit, aliases=(*unit.aliases, spelling))

    def canonical(self, name: str) -> str | None:
        """The canonical name of a unit or group spelled ``name``; None if not registered."""
        return self._index.get(normalise_name(name))

    def closest(self, name: str) -> str | None:
        """The canonical name whose spelling is most like ``name`` (for warnings), or None."""
        known = self.canonical(name)
        if known is not None:
            return known
        hits = difflib.get_close_matches(normalise_name(name), list(self._index), n=1, cutoff=0.7)
        return self._index[hits[0]] if hits else None

    def is_group(self, name: str) -> bool:
        """True when ``name`` (any registered spelling) is a group such as 各市（州）总工会."""
        return self.canonical(name) in self.group_members

    def members(self, group: str) -> list[str]:
        """Members of a group (any spelling); [] when ``group`` is not a registered group."""
        return list(self.group_members.get(self.canonical(group) or "", []))

    def expand(self, name: str) -> list[str]:
        """Units behind a name: a group's members, a unit itself, or an unknown name as written."""
        canonical = self.canonical(name)
        if canonical is None:
            return [name]
        return self.members(canonical) if canonical in self.group_members else [canonical]

    def all_units(self) -> list[str]:
        """Canonical names of all registered units (not groups), in file order."""
        return list(self.units)

    def kind(self, name: str) -> str | None:
        """The kind of a registered unit ("city", "department" …), "group", or None."""
        canonical = self.canonical(name)
        if canonical in self.group_members:
            return "group"
        return self.units[canonical].kind if canonical in self.units else None


def _strings(value: object, what: str, source: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegistryError(f"单位登记表 {source} 中的 {what} 必须是字符串列表")
    return tuple(v.strip() for v in value if v.strip())


def registry_from_dict(data: dict, source: str = "") -> Registry:
    """Build a registry from parsed TOML (``[[unit]]`` and ``[[group]]`` tables)."""
    registry = Registry(source=source)
    for entry in data.get("unit", []):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise RegistryError(f"单位登记表 {source} 中有一个 [[unit]] 没有 name")
        kind = entry.get("kind", "other")
        if kind not in KINDS:
            raise RegistryError(
                f"单位登记表 {source} 中「{name}」的 kind「{kind}」无效，应为 {'、'.join(KINDS)} 之一"
            )
        registry.add_unit(Unit(name.strip(), _strings(entry.get("aliases"), "aliases", source), kind))
    for entry in data.get("group", []):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise RegistryError(f"单位登记表 {source} 中有一个 [[group]] 没有 name")
        members = list(_strings(entry.get("members"), "members", source))
        registry.add_group(name.strip(), members, _strings(entry.get("aliases"), "aliases", source))
    return registry


def load_registry(path: str | Path | None = None) -> Registry:
    """Load the registry from ``path`` (default: the ``units.toml`` shipped beside this module)."""
    file = Path(path) if path is not None else DEFAULT_REGISTRY_PATH
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise RegistryError(f"找不到单位登记表：{file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"无法读取单位登记表 {file}：{exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"单位登记表 {file} 格式有误：{exc}") from None
    return registry_from_dict(data, str(file))


def _apply(registry: Registry, payload: Mapping[str, Any]) -> None:
    """One UnitRegistered payload over the registry: a new unit, or an alias of a registered name."""
    alias_of = payload.get("alias_of")
    if alias_of:
        canonical = registry.canonical(alias_of)
        if canonical is None:
            raise RegistryError(f"「{alias_of}」没有登记，不能把「{payload['name']}」登记为它的别名")
        registry.add_alias(payload["name"], canonical)
    else:
        registry.add_unit(Unit(payload["name"], (), payload.get("kind") or "other"))


def registered_units(store: EventStore) -> list[dict[str, Any]]:
    """The UnitRegistered payloads that stand (not retracted), in log order."""
    retracted = {e.payload["retracted_event_id"] for e in store.read(stream=UNITS_STREAM, types=["EventRetracted"])}
    return [e.payload for e in store.read(stream=UNITS_STREAM, types=["UnitRegistered"]) if e.event_id not in retracted]


def merged(registry: Registry, registered: Iterable[Mapping[str, Any]]) -> Registry:
    """The registry with the units registered in the app over it. One that clashes with the file
    (a spelling units.toml gave to another unit since) is left out: the file the users edit wins."""
    for payload in registered:
        try:
            _apply(registry, payload)
        except RegistryError:
            continue
    return registry


def registry_of(store: EventStore | None = None, path: str | Path | None = None) -> Registry:
    """The registry every reader uses: ``units.toml`` merged with the store's UnitRegistered events,
    so every instance of the board over one store sees the same units (and the same groups)."""
    registry = load_registry(path)
    return merged(registry, registered_units(store)) if store is not None else registry


def registration(registry: Registry, name: str, *, alias_of: str | None = None, kind: str = "other",
                 actor: str = "") -> NewEvent:
    """The UnitRegistered event that registers ``name`` (as a new unit, or as an alias of a
    registered one), checked against ``registry``. Its id comes from the name, so a double click
    or a second office registering the same spelling appends once."""
    from store.log import NewEvent, business_today

    name = name.strip()
    if not name:
        raise RegistryError("单位名称不能为空")
    known = registry.canonical(name)
    if known is not None:
        raise RegistryError(f"「{name}」已登记（{known}）")
    payload: dict[str, Any] = {"name": name, "kind": kind}
    if alias_of:
        canonical = registry.canonical(alias_of)
        if canonical is None:
            raise RegistryError(f"「{alias_of}」没有登记，不能把「{name}」登记为它的别名")
        payload = {"name": name, "alias_of": canonical, "kind": registry.units[canonical].kind
                   if canonical in registry.units else "other"}
    elif kind not in KINDS:
        raise RegistryError(f"单位类别「{kind}」无效，应为 {'、'.join(KINDS)} 之一")
    return NewEvent("UnitRegistered", UNITS_STREAM, payload, occurred_on=business_today(),
                    event_id=str(uuid.uuid5(_NAMESPACE, normalise_name(name))), actor=actor)
