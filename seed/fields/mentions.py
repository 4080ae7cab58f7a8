"""A 牵头/配合 field -> the units it names (registered names made canonical, others kept as written)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from seed.units import Registry, normalise_name

__all__ = ["UnitMention", "split_names", "split_units"]



@dataclass(frozen=True)
class UnitMention:
    """One unit named in a field: canonical ``name`` if registered, else as ``written``."""

    written: str
    name: str
    known: bool
    lead: bool = False  # marked （牵头） inside a list of responsible units


_EMPTY_VALUES = {"", "无", "暂无", "—", "-", "/", "／", "——", "无。"}
_UNIT_SUFFIX = re.compile(r"(?:会|部|厅|局|委|室|办|校|宫|院|所|站|中心|公司|集团|政府|处|队|团|馆|社)$")
_LEAD_MARK = re.compile(r"[（(](牵头|主责|负责)[）)]$|牵头$")
_CONJUNCTIONS = "和及与"


# 各县、市、区人民政府 is one group: the 、 between single-character places does not list units.
_GROUP_LIST = re.compile(r"各[县市区乡镇州旗盟](?:、[县市区乡镇州旗盟])+")
_KEEP = "\x01"


def _split_top_level(text: str) -> list[str]:
    """Split on list punctuation outside brackets (a bracket may hold （部门） or （州）)."""
    text = _GROUP_LIST.sub(lambda m: m.group(0).replace("、", _KEEP), text)
    pieces, depth, current = [], 0, []
    for ch in text:
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;/／\n":
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    pieces = [p.replace(_KEEP, "、") for p in pieces]
    return [p.strip(" \t\u3000。.：:") for p in pieces if p.strip(" \t\u3000。.：:")]


def _plausible(name: str, registry: Registry) -> bool:
    """Known, or shaped like a whole unit name (ends in 会/部/厅/局/… and is not a bare suffix)."""
    return registry.canonical(name) is not None or (
        len(name) >= 3 and bool(_UNIT_SUFFIX.search(name))
    )


def _split_conjunction(name: str, registry: Registry) -> list[str] | None:
    """Split 'A和B' only if both sides are units: 省总网络和社会工作部 must stay whole."""
    for i, ch in enumerate(name):
        if ch not in _CONJUNCTIONS or i == 0 or i == len(name) - 1:
            continue
        left, right = name[:i], name[i + 1 :]
        if not _plausible(left, registry):
            continue
        rest = [right] if _plausible(right, registry) else _split_conjunction(right, registry)
        if rest:
            return [left, *rest]
    return None


def _resolve_piece(piece: str, registry: Registry) -> list[str]:
    """One list item -> the unit spellings in it (usually one)."""
    key = normalise_name(piece)
    if registry.canonical(key) is not None:
        return [key]
    words = piece.split()
    if len(words) > 1 and all(registry.canonical(w) for w in words):
        return [normalise_name(w) for w in words]
    return _split_conjunction(key, registry) or [key]


def split_units(text: str | None, registry: Registry) -> list[UnitMention]:
    """Split a lead/partner field on 、，,；; (and 和 between two units) and resolve each name.

    Order is kept and repeats are dropped; group names stay as written (canonical spelling).
    """
    mentions: list[UnitMention] = []
    seen: set[str] = set()
    for piece in _split_top_level((text or "").strip()):
        if piece in _EMPTY_VALUES:
            continue
        piece = re.sub(r"(?:等(?:单位|部门)?|等有关单位|等相关单位)$", "", piece)
        lead = bool(_LEAD_MARK.search(piece)) and registry.canonical(piece) is None
        if lead:
            piece = _LEAD_MARK.sub("", piece)
        for written in _resolve_piece(piece, registry):
            canonical = registry.canonical(written)
            name = canonical or written
            if not written or name in seen:
                continue
            seen.add(name)
            mentions.append(UnitMention(written, name, canonical is not None, lead))
    return mentions



# How plans name a group of units: 各街道, 各县（市、区）, 区直各部门, 各有关单位, 全市各级工会.
_GROUP_NAME = re.compile(r"^(?:各|全[省市县区州])|[直属]各|各(?:有关|相关|级|成员)")


def looks_like_group(name: str) -> bool:
    """True when a name is written as a group (各…, …直各部门) rather than one unit: an unregistered
    group cannot be expanded to its members, so the review names it apart."""
    return bool(_GROUP_NAME.search(name))


def split_names(text: str | None) -> list[str]:
    """'A、各县（市、区）总工会、各县、市、区人民政府' -> the names as written (the review table's
    unit cells are read back this way, so what the parser joined splits the same)."""
    return _split_top_level((text or "").strip())
