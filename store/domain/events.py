"""Event types of the log and their payload schemas.

Every payload is validated here before anything is written, so a bad form, a bad import line
or a bad script fails with a message naming the field instead of leaving a wrong fact behind.
Payloads that were written under an older schema are upcast on read (see ``UPCASTERS``), so the
log never needs rewriting when a schema grows.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Callable, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from store.config import EARLIEST_DATE, LATEST_DATE, MAX_NOTE_CHARS, MAX_TEXT_CHARS
from store.domain.refusal import PayloadError

Note = Annotated[str, Field(default="", max_length=MAX_NOTE_CHARS)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(default="", max_length=MAX_TEXT_CHARS)]


def check_date(value: dt.date | None) -> dt.date | None:
    """Dates outside the years a plan can cover are typing mistakes (1900, 2202), not facts."""
    if value is not None and not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise ValueError(f"date {value} is outside {EARLIEST_DATE}..{LATEST_DATE}")
    return value


class Payload(BaseModel):
    """Base of every payload: unknown keys are refused so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

    demo: bool = False

    @field_validator("*", mode="after")
    @classmethod
    def _dates_in_range(cls, value: Any) -> Any:
        if isinstance(value, dt.date):
            check_date(value)
        return value


class Target(BaseModel):
    """A numeric target. A rate (增长6.2%左右, 网办率达到90%: ``rate``, unit "%") is kept to be shown,
    never summed into totals or advanced; only a rate may have a fractional quantity."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

    key: Name
    label: Name
    quantity: int | float = Field(ge=0, le=10_000_000)
    unit: Annotated[str, Field(default="", max_length=20)]
    rate: bool = False

    @model_validator(mode="after")
    def _whole_unless_rate(self) -> Target:
        if not self.rate and not isinstance(self.quantity, int):
            raise ValueError("quantity must be a whole number unless the target is a rate")
        return self

    @model_serializer(mode="wrap")
    def _without_default_rate(self, handler: Any) -> dict[str, Any]:
        """A count is stored as it always was (no ``rate`` key), so older payloads stay in the stored form."""
        out = handler(self)
        if not out.get("rate"):
            out.pop("rate", None)
        return out


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

    key: Name
    title: Name
    due: dt.date | None = None

    _due = field_validator("due")(classmethod(lambda cls, v: check_date(v)))


def _unique_keys(items: list[Any], what: str) -> list[Any]:
    keys = [item.key for item in items]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate {what} keys: {keys}")
    return items


class PlanImported(Payload):
    """A plan document was taken into the log; the plan's frame (year, period) and its source."""

    plan_id: Name
    title: Name
    issuer: Text
    doc_no: Text
    year: int = Field(ge=EARLIEST_DATE.year, le=LATEST_DATE.year)
    start: dt.date
    end: dt.date
    source: Text
    source_sha256: Text
    # A reviewed import (导入 page, or ``seed import plan.json``): who reviewed the parse and which
    # fields a person changed before it was appended, as "<seq>.<field>" (e.g. "3.end").
    reviewed_by: Text = ""
    edited: list[Name] = Field(default_factory=list, max_length=5_000)
    reporting: dict[str, Any] | None = None  # the notice's reporting cycle, see seed.fields.reporting

    @model_validator(mode="after")
    def _ordered(self) -> PlanImported:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class ActivityPlanned(Payload):
    """One activity of the plan as written: the window, the units and the numeric targets."""

    plan_id: Name
    seq: int = Field(ge=1, le=10_000)
    title: Name
    body: Text
    window_text: Text
    start: dt.date | None = None
    end: dt.date | None = None
    lead_units: list[Name] = Field(default_factory=list, max_length=100)
    partner_units: list[Name] = Field(default_factory=list, max_length=200)
    targets: list[Target] = Field(default_factory=list, max_length=100)
    # 长期坚持 / 持续推进 / 常态化: the window is the plan's whole period and the calendar never makes
    # the activity overdue or 临近截止 (store/domain/status.py); only its reports say how it goes.
    ongoing: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> ActivityPlanned:
        if self.start and self.end and self.end < self.start:
            raise ValueError("end is before start")
        _unique_keys(self.targets, "target")
        return self


class ActivityRevised(Payload):
    """A change to the plan (window, units, targets, wording), always with the reason for it."""

    reason: Name
    title: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    body: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    window_text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    start: dt.date | None = None
    end: dt.date | None = None
    lead_units: list[Name] | None = None
    partner_units: list[Name] | None = None
    targets: list[Target] | None = None
    # The sha256 of the plan document this revision was imported from; None when made in the app.
    # A re-import compares with the last imported version, not with what the app changed since.
    source_sha256: str | None = Field(default=None, max_length=64)
    # The ExtensionRequested this revision approves (schema 2); None for any other revision.
    extension_request_id: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _something_changes(self) -> ActivityRevised:
        changed = self.model_dump(exclude={"reason", "demo", "source_sha256", "extension_request_id"},
                                  exclude_none=True)
        if not changed:
            raise ValueError("a revision must change at least one field")
        if self.start and self.end and self.end < self.start:
            raise ValueError("end is before start")
        if self.targets is not None:
            _unique_keys(self.targets, "target")
        return self


class MilestonePlanned(Payload):
    key: Name
    title: Name
    due: dt.date | None = None
    note: Note


class MilestoneReached(Payload):
    key: Name
    note: Note


class ProgressReported(Payload):
    percent: int = Field(ge=0, le=100)
    note: Note


class ParticipationRecorded(Payload):
    """Participation reported by a unit. Schema 2 split ``people`` into participants and sessions."""

    unit: Name
    date: dt.date
    participants: int = Field(ge=0, le=10_000_000)
    sessions: int = Field(default=0, ge=0, le=100_000)
    place: Annotated[str, Field(default="", max_length=200)]
    note: Note


class TargetAdvanced(Payload):
    target: Name
    amount: int = Field(ge=1, le=10_000_000)
    note: Note


class RiskFlagged(Payload):
    note: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


class RiskResolved(Payload):
    note: Note


class ActivityCompleted(Payload):
    """The activity is done. Schema 2 names the CompletionRequested it confirms (None: the office
    or, where the plan asks no review, a lead closed it directly)."""

    note: Note
    request_event_id: str | None = Field(default=None, max_length=64)


# -- Reviewed completion and extensions (办结审核, 延期申请) --------------------------------------


class CompletionRequested(Payload):
    """A lead asks the office to confirm the activity done, with a note of the evidence."""

    note: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


class CompletionReturned(Payload):
    """The office sends a completion request back, with the reason (the lead sees it on 部门自查)."""

    request_event_id: Name
    reason: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


class ExtensionRequested(Payload):
    """A lead asks for a new end, with the reason; the office approves (ActivityRevised) or refuses."""

    end: dt.date
    reason: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


class ExtensionRefused(Payload):
    """The office refuses an extension request, with the reason."""

    request_event_id: Name
    reason: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


REVIEW_TYPES = (CompletionRequested, CompletionReturned, ExtensionRequested, ExtensionRefused)


class EventRetracted(Payload):
    """A correction: the earlier event stays in the log, projections skip it."""

    retracted_event_id: Name
    reason: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


# -- The 督办 loop: plan settings and reminders (loopa) ------------------------------------------


class ReportingCycle(BaseModel):
    """How often units report: monthly by a day of the month, or weekly by a weekday (0 = Monday)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    kind: Literal["monthly", "weekly"]
    day: int | None = Field(default=None, ge=1, le=28)
    weekday: int | None = Field(default=None, ge=0, le=6)

    @model_validator(mode="after")
    def _one_anchor(self) -> ReportingCycle:
        if self.kind == "monthly" and (self.day is None or self.weekday is not None):
            raise ValueError("a monthly cycle names its day (1-28) and no weekday")
        if self.kind == "weekly" and (self.weekday is None or self.day is not None):
            raise ValueError("a weekly cycle names its weekday (0=Monday .. 6=Sunday) and no day")
        return self


class ScoreBands(BaseModel):
    """红 below ``red_below``, 黄 below ``yellow_below``, 绿 otherwise."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    red_below: int = Field(default=60, ge=0, le=10_000)
    yellow_below: int = Field(default=80, ge=0, le=10_000)

    @model_validator(mode="after")
    def _ordered(self) -> ScoreBands:
        if self.red_below > self.yellow_below:
            raise ValueError("red_below is above yellow_below")
        return self


class ScoringRule(BaseModel):
    """考评: start at ``start``, take off points per missing/late report and per overdue lead activity."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    start: int = Field(default=100, ge=0, le=10_000)
    missing: int = Field(default=5, ge=0, le=1_000)
    late: int = Field(default=2, ge=0, le=1_000)
    overdue: int = Field(default=10, ge=0, le=1_000)
    floor: int = Field(default=0, ge=0, le=10_000)
    bands: ScoreBands = Field(default_factory=ScoreBands)


class PlanSettingsChanged(Payload):
    """A plan's setting changed; only the fields named change, the rest keep their last value.

    A setting is a fact in the log (not a config file) so every instance of the board agrees and
    the history shows who changed it and when.
    """

    reporting: ReportingCycle | None = None
    review_required: bool | None = None
    scoring: ScoringRule | None = None
    note: Note

    @model_validator(mode="after")
    def _something_changes(self) -> PlanSettingsChanged:
        if self.reporting is None and self.review_required is None and self.scoring is None:
            raise ValueError("a settings change must name reporting, review_required or scoring")
        return self


class Delivery(BaseModel):
    """What one channel did with a reminder; ``channel`` is a label, never the secret URL."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

    channel: Annotated[str, Field(min_length=1, max_length=60)]
    ok: bool
    detail: Annotated[str, Field(default="", max_length=MAX_NOTE_CHARS)]


class ReminderIssued(Payload):
    """催办: the office reminded a unit of the reports it owes for a cycle."""

    plan_id: Name
    unit: Name
    cycle_start: dt.date
    due: dt.date
    activities: list[int] = Field(min_length=1, max_length=10_000)
    message: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


class ReminderDelivered(Payload):
    """The outcome of sending a reminder through the configured channels (each one, ok or failed)."""

    reminder_event_id: Name
    deliveries: list[Delivery] = Field(min_length=1, max_length=20)


UNIT_KINDS = ("city", "department", "industry", "direct", "federation", "other")
UNITS_STREAM = "units"


class UnitRegistered(Payload):
    """A unit the office registered in the app (导入 page): a new unit, or, with ``alias_of``, another
    spelling of a registered unit or group. Kept in the log (stream ``units``) and merged over
    seed/units.toml wherever the registry is read, so every instance of the board sees the same one."""

    name: Name
    alias_of: Name | None = None
    kind: Literal["city", "department", "industry", "direct", "federation", "other"] = "other"


LOOP_SETTING_TYPES = (PlanSettingsChanged,)
LOOP_REMINDER_TYPES = (ReminderIssued, ReminderDelivered)


EVENT_TYPES: dict[str, type[Payload]] = {
    cls.__name__: cls
    for cls in (
        PlanImported,
        ActivityPlanned,
        ActivityRevised,
        MilestonePlanned,
        MilestoneReached,
        ProgressReported,
        ParticipationRecorded,
        TargetAdvanced,
        RiskFlagged,
        RiskResolved,
        ActivityCompleted,
        EventRetracted,
        *LOOP_SETTING_TYPES,
        *LOOP_REMINDER_TYPES,
        *REVIEW_TYPES,
        UnitRegistered,
    )
}

# Current schema version per type; a type absent here is at version 1.
SCHEMA_VERSIONS: dict[str, int] = {"ParticipationRecorded": 2, "ActivityPlanned": 2, "ActivityCompleted": 2,
                                   "ActivityRevised": 2}


def _participation_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 recorded one head count as ``people`` and knew no sessions."""
    upcast = {k: v for k, v in payload.items() if k != "people"}
    upcast["participants"] = payload.get("people", 0)
    upcast.setdefault("sessions", 0)
    return upcast


def _named_none(field: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Version 1 of a type that later learnt to name a request: it named none."""
    return lambda payload: {**payload, field: payload.get(field)}


def _planned_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 knew no ongoing windows: every activity it planned had a deadline."""
    return {**payload, "ongoing": False}


UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("ParticipationRecorded", 1): _participation_v1_to_v2,
    ("ActivityCompleted", 1): _named_none("request_event_id"),
    ("ActivityRevised", 1): _named_none("extension_request_id"),
    ("ActivityPlanned", 1): _planned_v1_to_v2,
}

# Streams each type may be written to; activity facts need an activity that was planned.
PLAN_TYPES = frozenset({"PlanImported"})
# Facts about a plan that was imported: its stream must already hold the PlanImported.
PLAN_FACT_TYPES = frozenset({"PlanSettingsChanged"})
ACTIVITY_OPENING_TYPES = frozenset({"ActivityPlanned"})
# The registry's own facts live in one stream, so a reader folds them alone.
UNIT_TYPES = frozenset({"UnitRegistered"})


def schema_version(event_type: str) -> int:
    return SCHEMA_VERSIONS.get(event_type, 1)


def upcast(event_type: str, version: int, payload: dict[str, Any]) -> dict[str, Any]:
    """Bring a stored payload up to the current schema, one version step at a time."""
    current = schema_version(event_type)
    while version < current:
        payload = UPCASTERS[(event_type, version)](payload)
        version += 1
    return payload


def validate(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Validate a payload and return it normalised to JSON-ready values (dates as ISO strings)."""
    model = EVENT_TYPES.get(event_type)
    if model is None:
        raise PayloadError(event_type, "type", f"unknown event type (known: {', '.join(EVENT_TYPES)})",
                           zh=f"未知的事件类型 type={event_type}（现有：{'、'.join(EVENT_TYPES)}）")
    if not isinstance(payload, dict):
        raise PayloadError(event_type, "payload", "must be a JSON object",
                           zh=f"{event_type} 事件的 payload 须为 JSON 对象")
    try:
        parsed = model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "payload"
        raise PayloadError(event_type, field, first["msg"]) from None
    return parsed.model_dump(mode="json", exclude_defaults=False)


def first_difference(expected: dict[str, Any], given: dict[str, Any]) -> str | None:
    """The first key (sorted) whose value differs from the normalised form, or that one side lacks:
    a payload that validates may still not be in the form an append stores (a date as a number, a
    field left out), and the board folds stored payloads as they are."""
    def text(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    for key in sorted(set(expected) | set(given)):
        if key not in given or key not in expected or text(expected[key]) != text(given[key]):
            return key
    return None


def activity_stream(plan_id: str, seq: int) -> str:
    return f"activity/{plan_id}/{seq}"


def plan_stream(plan_id: str) -> str:
    return f"plan/{plan_id}"


def reminder_stream(plan_id: str) -> str:
    """Reminders of a plan live apart from its activities: one stream per plan."""
    return f"reminders/{plan_id}"


Kind = Literal["plan", "activity", "other"]


def stream_kind(stream: str) -> Kind:
    if stream.startswith("plan/"):
        return "plan"
    if stream.startswith("activity/"):
        return "activity"
    return "other"
