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
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEFAULT_REGISTRY_PATH", "Registry", "RegistryError", "Unit",
    "load_registry", "normalise_name", "registry_from_dict",
]

DEFAULT_REGISTRY_PATH = Path(__file__).with_name("units.toml")
KINDS = ("city", "department", "industry", "direct", "federation", "other")


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
