"""导入's unit registration: a name the registry does not know, registered from the page as a new
unit or as another spelling of a registered one.

A registration is a UnitRegistered event (``seed.units.registration``), merged over seed/units.toml
wherever the registry is read (``dashboard.board.data.registry``), so every instance of the board
over the store sees it, and the next parse of the document names the unit as registered.
"""

from __future__ import annotations

import streamlit as st

from dashboard.board import data
from dashboard.render import components
from dashboard.render.labels import ui
from seed.units import KINDS, Registry, RegistryError, registration

__all__ = ["register_form", "unknown_units"]

FLASH_KEY = "duban_register_flash"
_HOW = ("unit", "alias")


def unknown_units(parsed: dict, registry: Registry) -> list[str]:
    """The lead and partner names of a parse that the registry does not know, in document order."""
    names: list[str] = []
    for act in parsed.get("activities", []):
        for name in [*act.get("lead_units", []), *act.get("partner_units", [])]:
            if registry.canonical(name) is None and name not in names:
                names.append(name)
    return names


def _register(registry: Registry, name: str, how: str, alias_of: str | None, kind: str, actor: str) -> None:
    try:
        event = registration(registry, name, alias_of=alias_of if how == "alias" else None, kind=kind, actor=actor)
        data.append(event)
    except RegistryError as exc:
        st.error(components.plain(str(exc)))
        return
    done = ui("import_register_done_alias") if how == "alias" else ui("import_register_done_unit")
    st.session_state[FLASH_KEY] = done.format(name=name, alias_of=registry.canonical(alias_of or "") or "")
    st.rerun()


def register_form(parsed: dict, registry: Registry, actor: str) -> None:
    """Select an unregistered name, say what it is, register it (one event)."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(components.plain(flash))
    unknown = unknown_units(parsed, registry)
    if not unknown:
        return
    with st.expander(ui("import_register_title").format(count=len(unknown)), expanded=False):
        st.caption(ui("import_register_help"))
        left, middle, right = st.columns([2, 1, 2])
        name = left.selectbox(ui("import_register_name"), unknown, key="register_name")
        how = middle.radio(ui("import_register_how"), _HOW, key="register_how",
                           format_func=lambda h: ui(f"import_register_as_{h}"))
        alias_of, kind = None, "other"
        if how == "alias":
            known = [*registry.all_units(), *registry.groups]
            near = registry.closest(name)
            alias_of = right.selectbox(ui("import_register_alias_of"), known, key=f"register_alias_of_{name}",
                                       index=known.index(near) if near in known else 0)
        else:
            kind = right.selectbox(ui("import_register_kind"), KINDS, index=KINDS.index("other"),
                                   key="register_kind", format_func=lambda k: ui(f"unit_kind_{k}"))
        if st.button(ui("import_register_button"), key="register_submit"):
            _register(registry, name, how, alias_of, kind, actor)
