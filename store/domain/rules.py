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
- Only a lead unit or the office records ActivityCompleted (``check_completion``). Where the plan
  asks for review (办结需审核, ``DEFAULT_REVIEW_REQUIRED``), a lead's completion is a
  CompletionRequested; the office confirms it (ActivityCompleted naming it) or returns it
  (CompletionReturned). A lead asks for more time (ExtensionRequested); the office approves (an
  ActivityRevised naming it) or refuses (ExtensionRefused). ``check_review`` holds all of it.
- A fact cannot have happened after today (business date, Asia/Shanghai).

Group units (各市（州）总工会 …) are named in plans and expand to their members. The store does not
know the unit registry (it lives in seed/); the writers that do hand it in once, as the ``groups``
of ``EventStore`` (see ``EventStore.use_groups``). Without groups a member of a group counts only by
its own name: on the command line, a member of a group that the plan names as *lead* counts as a
partner — the cautious reading (no plan so far names a group as lead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Groups = Mapping[str, Iterable[str]]
Role = Literal["office", "lead", "partner", "other"]

OFFICE = ""   # the envelope's unit of a fact recorded by the office (admin, script, importer)
DEFAULT_REVIEW_REQUIRED = True   # 办结需审核 unless the plan's settings say otherwise
# Facts whose admission depends on the activity's open requests (``ReviewState``).
REVIEWED_TYPES = frozenset({"ActivityCompleted", "CompletionRequested", "CompletionReturned",
                            "ExtensionRequested", "ExtensionRefused", "ActivityRevised"})
# The facts the rules look up in one stream (a plan's settings, an activity's plan, its requests and
# answers, retractions): few, in streams that also hold every report, so the store indexes them apart
# (store.recording.schema ``FACTS_INDEX``). store.log reads only these by stream.
STREAM_FACTS = frozenset({"PlanSettingsChanged", "ActivityPlanned", "EventRetracted", *REVIEWED_TYPES})
# Which request an answer names, per answering type.
ANSWER_FIELDS = {"ActivityCompleted": "request_event_id", "CompletionReturned": "request_event_id",
                 "ExtensionRefused": "request_event_id", "ActivityRevised": "extension_request_id"}
REQUEST_KIND = {"CompletionRequested": "completion", "ExtensionRequested": "extension"}
# Facts by which a unit reports on an activity in the 督办 loop (a lead's completion request counts too):
# the unit is the one a participation report names, else the one that recorded the fact.
REPORT_TYPES = ("ProgressReported", "ParticipationRecorded", "ActivityCompleted", "CompletionRequested")


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
    """Only a lead unit or the office closes an activity (or asks to)."""
    if not counts_for_activity(role):
        what = "a partner" if role == "partner" else "not a unit"
        raise RuleError(
            f"{unit} is {what} of {activity}: only a lead unit or an admin may record its completion",
            f"「{unit}」不是该活动的牵头单位，只有牵头单位或管理员可以确认活动完成")


@dataclass(frozen=True)
class ActivityPlan:
    """What an activity's standing plan events say about it at the moment of an append: its units
    and its current end (None: ongoing, or not planned with one)."""

    lead: Sequence[str] = ()
    partner: Sequence[str] = ()
    end: dt.date | None = None


@dataclass(frozen=True)
class ReviewState:
    """What an activity's standing facts say about its requests, at the moment of an append."""

    review_required: bool = DEFAULT_REVIEW_REQUIRED
    done: bool = False
    open: Mapping[str, str] = field(default_factory=dict)   # request kind → the open request's event id

    def open_request(self, kind: str) -> str | None:
        return self.open.get(kind)


def review_required_of(settings: Iterable[Mapping[str, Any]]) -> bool:
    """办结需审核 as the plan's standing PlanSettingsChanged payloads (in log order) leave it."""
    required = DEFAULT_REVIEW_REQUIRED
    for change in settings:
        if change.get("review_required") is not None:
            required = bool(change["review_required"])
    return required


def review_state(facts: Sequence[tuple[str, str, Mapping[str, Any]]], review_required: bool) -> ReviewState:
    """Fold an activity's facts (event_id, type, payload; in log order, retractions included) into
    its open requests: a request is open until an answer naming it stands; a retracted answer opens
    it again, a retracted request is gone."""
    gone = {p["retracted_event_id"] for _, kind, p in facts if kind == "EventRetracted"}
    requests: dict[str, str] = {}
    answered: set[str] = set()
    done = False
    for event_id, kind, payload in facts:
        if event_id in gone or kind == "EventRetracted":
            continue
        if kind in REQUEST_KIND:
            requests[event_id] = REQUEST_KIND[kind]
        elif kind in ANSWER_FIELDS and payload.get(ANSWER_FIELDS[kind]):
            answered.add(payload[ANSWER_FIELDS[kind]])
        done = done or kind == "ActivityCompleted"
    open_ = {kind: eid for eid, kind in requests.items() if eid not in answered}
    return ReviewState(review_required, done, open_)


def check_review(event_type: str, payload: Mapping[str, Any], unit: str, role: Role, state: ReviewState,
                 activity: str, *, reviewed: bool = True, current_end: dt.date | None = None) -> None:
    """Completion review and extensions. ``reviewed`` is False for an ActivityCompleted written under
    schema 1 (before review existed: an imported old export), which closes as it always did.
    ``current_end`` is the activity's end now: an extension asks for a later one."""
    if event_type in ("CompletionRequested", "ExtensionRequested"):
        _check_request(event_type, unit, role, state, activity)
        if event_type == "ExtensionRequested":
            _check_extension_end(payload.get("end"), current_end, activity)
        return
    named = payload.get(ANSWER_FIELDS.get(event_type, ""))
    if event_type == "ActivityCompleted":
        check_completion(unit, role, activity)
        if role == "lead" and state.review_required and reviewed:
            raise RuleError(f"{activity}: the plan asks for review; a lead records CompletionRequested",
                            "本方案办结需审核：牵头单位请提交办结申请，由办公室确认")
        if not named and reviewed and state.open_request("completion"):   # one answer per request, never a bypass
            raise RuleError(f"{activity}: a completion request is open; confirm it (request_event_id) instead",
                            "该活动有待审核的办结申请，请在“审核”页确认或退回")
    if named:
        kind = "extension" if event_type in ("ActivityRevised", "ExtensionRefused") else "completion"
        _check_answer(event_type, named, role, state.open_request(kind), activity)


def _check_request(event_type: str, unit: str, role: Role, state: ReviewState, activity: str) -> None:
    if role != "lead":
        raise RuleError(f"{event_type}: only a lead unit of {activity} asks; the office decides directly",
                        f"只有牵头单位提出申请；「{unit or '办公室'}」可直接办理")
    kind = REQUEST_KIND[event_type]
    if kind == "completion" and state.done:
        raise RuleError(f"{activity} is done already", "该活动已完成，无需再申请办结")
    if state.open_request(kind):
        raise RuleError(f"{activity} has an open {kind} request awaiting the office",
                        "该活动已有一项申请等待办公室处理")


def _check_extension_end(asked: object, current_end: dt.date | None, activity: str) -> None:
    """An extension moves the end later; an earlier or equal end is no extension (the office revises
    the plan for that). Checked here, not only by the form, so no writer can store one."""
    asked_day = dt.date.fromisoformat(asked) if isinstance(asked, str) else asked
    if current_end is not None and isinstance(asked_day, dt.date) and asked_day <= current_end:
        raise RuleError(f"{activity}: an extension asks for an end later than the current one ({current_end})",
                        f"新的截止日期须晚于现在的截止日期（{current_end}）")


def _check_answer(event_type: str, named: str, role: Role, open_id: str | None, activity: str) -> None:
    if role != "office":
        raise RuleError(f"{event_type}: only the office answers a request", "只有办公室（管理员）可以处理申请")
    if named != open_id:
        raise RuleError(f"{event_type}: {named} is not an open request of {activity}",
                        "该申请已处理或已撤回，请刷新后再试")


def check_occurred(event_type: str, occurred_on: dt.date, today: dt.date) -> None:
    """A fact cannot have happened after today."""
    if occurred_on > today:
        raise RuleError(f"{event_type}: occurred_on {occurred_on} is after today ({today})",
                        f"发生日期 {occurred_on} 晚于今天（{today}），不能登记尚未发生的事")


def check_new(event_type: str, unit: str, occurred_on: dt.date, today: dt.date,
              plan: ActivityPlan | None, activity: str, groups: Groups | None = None, *,
              payload: Mapping[str, Any] | None = None, state: ReviewState | None = None,
              reviewed: bool = True) -> None:
    """Every rule for one new fact. ``plan`` is the activity's standing plan (units, end), None for no
    activity; ``state`` its requests, for the reviewed types (None: not looked up)."""
    check_occurred(event_type, occurred_on, today)
    if event_type in REVIEWED_TYPES and plan is not None:
        role = unit_role(unit, plan.lead, plan.partner, groups)
        check_review(event_type, payload or {}, unit, role, state or ReviewState(), activity, reviewed=reviewed,
                     current_end=plan.end)
