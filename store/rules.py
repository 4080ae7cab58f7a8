"""Who reports what: the domain rules every writer obeys, checked where events are appended.

DESIGN.md ("Who reports what") in code. The store calls ``check_new`` from ``EventStore.append_many``
(and any other append path can), and the projections call ``unit_role`` / ``counts_for_activity``,
so the pages, the bulk upload, the importer and ``python -m store append --unit …`` all obey one set
of rules and the board computes what they say.

- The envelope's ``unit`` says on whose behalf a fact is recorded. An empty unit (``OFFICE``) is the
  office itself: an admin, a script, the importer. The office stands for the plan's owner, so it
  counts like a lead.
- An activity's percent is the latest progress of a lead unit or of the office; a partner's report
  is kept per unit and never replaces it.
- Only a lead unit or the office records ActivityCompleted (``check_completion``: the one place
  where completion review will grow).
- A fact cannot have happened after today (business date, Asia/Shanghai).

Group units (各市（州）总工会 …) are named in plans and expand to their members. The store does not
know the unit registry (it lives in seed/); the writers that do hand it in once, as the ``groups``
of ``EventStore`` (see ``EventStore.use_groups``). Without groups a member of a group counts only by
its own name: on the command line, a member of a group that the plan names as *lead* counts as a
partner — the cautious reading (no plan so far names a group as lead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

Groups = Mapping[str, Iterable[str]]
Role = Literal["office", "lead", "partner", "other"]

OFFICE = ""   # the envelope's unit of a fact recorded by the office (admin, script, importer)


class RuleError(Exception):
    """A fact the rules refuse. ``str()`` is the English line of the command line; ``zh`` the page's."""

    def __init__(self, message: str, zh: str) -> None:
        super().__init__(message)
        self.zh = zh


def unit_role(unit: str, lead_units: Iterable[str], partner_units: Iterable[str], groups: Groups | None = None) -> Role:
    """The role of ``unit`` in an activity: named (or a member of a group named) as lead, else as partner."""
    if unit == OFFICE:
        return "office"
    groups = groups or {}
    for role, named in (("lead", lead_units), ("partner", partner_units)):
        for name in named or ():
            if name == unit or unit in (groups.get(name) or ()):
                return role  # type: ignore[return-value]
    return "other"


def counts_for_activity(role: Role) -> bool:
    """Whether a report in this role sets the activity's own percent (and may close it)."""
    return role in ("office", "lead")


def check_completion(unit: str, role: Role, activity: str) -> None:
    """Only a lead unit or the office closes an activity. (Completion review grows here.)"""
    if not counts_for_activity(role):
        what = "a partner" if role == "partner" else "not a unit"
        raise RuleError(
            f"{unit} is {what} of {activity}: only a lead unit or an admin may record its completion",
            f"「{unit}」不是该活动的牵头单位，只有牵头单位或管理员可以确认活动完成")


def check_occurred(event_type: str, occurred_on: dt.date, today: dt.date) -> None:
    """A fact cannot have happened after today."""
    if occurred_on > today:
        raise RuleError(f"{event_type}: occurred_on {occurred_on} is after today ({today})",
                        f"发生日期 {occurred_on} 晚于今天（{today}），不能登记尚未发生的事")


def check_new(event_type: str, unit: str, occurred_on: dt.date, today: dt.date,
              units: tuple[list[str], list[str]] | None, activity: str, groups: Groups | None = None) -> None:
    """Every rule for one new fact. ``units`` are the activity's (lead, partner) units, None for no activity."""
    check_occurred(event_type, occurred_on, today)
    if event_type == "ActivityCompleted" and units is not None:
        check_completion(unit, unit_role(unit, units[0], units[1], groups), activity)
