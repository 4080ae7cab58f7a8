"""A parsed plan document -> plan events; a changed version -> revisions of what changed.

Event ids are derived from the plan, the activity and the document's content, so importing the
same document twice, or two people importing it at once, appends it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from seed.fields.reporting import cycle_text
from seed.labels import FIELD_NAMES
from store.config import LATEST_DATE
from store.domain.events import ReportingCycle, activity_stream, plan_stream
from store.log import EventStore, NewEvent, business_today
from store.reading.cells import REVISABLE
from store.reading.projections import Projector
from store.reading.supervision import Supervision

_NAMESPACE = uuid.UUID("8f4d2a7e-55c1-4c52-9a4e-3c1d0f6b2e11")


@dataclass
class ImportResult:
    plan_id: str
    appended: int
    planned: int = 0
    revised: list[int] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    reporting: str = ""   # the new reporting cycle a revised document brought ("每周五"), else ""


def derive_plan_id(plan: dict[str, Any]) -> str:
    """A short id for URLs: the year and the notice number (2022-27), else a hash of the title."""
    number = re.search(r"(\d+)\s*号", plan.get("doc_no") or "")
    if number:
        return f"{plan['year']}-{number.group(1)}"
    digest = hashlib.sha1(f"{plan.get('issuer')}|{plan.get('title')}".encode()).hexdigest()[:6]
    return f"{plan['year']}-{digest}"


def event_id(*parts: Any) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(str(p) for p in parts)))


def target_entries(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Targets keyed by their label (numbered when a label repeats), as the store expects.

    Rates (增长6.2%) are stored with ``rate`` and unit "%": shown, never advanced or summed."""
    seen: dict[str, int] = {}
    entries = []
    for t in targets:
        seen[t["label"]] = seen.get(t["label"], 0) + 1
        key = t["label"] if seen[t["label"]] == 1 else f"{t['label']}#{seen[t['label']]}"
        if t.get("rate"):
            quantity = float(t["quantity"])
            entries.append({"key": key, "label": t["label"], "quantity": int(quantity) if quantity.is_integer()
                            else quantity, "unit": "%", "rate": True})
        else:
            entries.append({"key": key, "label": t["label"], "quantity": int(t["quantity"]),
                            "unit": t.get("unit", "")})
    return entries


def activity_payload(plan_id: str, a: dict[str, Any]) -> dict[str, Any]:
    return {
        "plan_id": plan_id, "seq": a["seq"], "title": a["title"], "body": a.get("body", ""),
        "window_text": a.get("window_text", ""), "start": a.get("start"), "end": a.get("end"),
        "lead_units": list(a.get("lead_units", [])), "partner_units": list(a.get("partner_units", [])),
        "targets": target_entries(a.get("targets", [])), "ongoing": bool(a.get("ongoing")),
    }


def _comparable(value: Any) -> Any:
    """Dates compare as ISO text, whichever side parsed them."""
    return value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else value


def _imported_versions(store: EventStore, plan_id: str) -> tuple[dict[str, dict[str, Any]], dict[str, set[str]]]:
    """Per activity stream: its fields as the documents last imported said them (the planned
    payload overlaid with the revisions imported since), and the fields revised in the app.

    A re-import compares with the former, so what the app revised is never put back by a
    document that did not change it; ``_imports`` counts the imported revisions, so the id of
    the next one differs from every earlier one (v1 → v2 → v1 → v2 appends four, not a clash)."""
    imported: dict[str, dict[str, Any]] = {}
    app_revised: dict[str, set[str]] = {}
    for e in store.read(types=["ActivityPlanned", "ActivityRevised"]):
        if not e.stream.startswith(f"activity/{plan_id}/"):
            continue
        if e.type == "ActivityPlanned":
            imported[e.stream] = {**e.payload, "_imports": 0}
        elif e.payload.get("source_sha256"):
            last = imported.setdefault(e.stream, {"_imports": 0})
            last.update({k: e.payload[k] for k in REVISABLE if e.payload.get(k) is not None})
            last["_imports"] += 1
        else:
            app_revised.setdefault(e.stream, set()).update(k for k in REVISABLE if e.payload.get(k) is not None)
    return imported, app_revised


def _shown(value: Any) -> str:
    """A field's value in a warning line: units joined, targets as label+quantity, dates as ISO."""
    if isinstance(value, list):
        return "、".join(f"{v['label']}{v['quantity']}{v.get('unit', '')}" if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else str(_comparable(value))


@dataclass(frozen=True)
class Override:
    """A field the new document changes that was also revised in the app: the import overrides it."""

    seq: int
    field: str
    app_value: str
    doc_value: str

    def line(self) -> str:
        """The warning line (``python -m seed import`` prints it after 警告：; the 导入 page shows both values)."""
        return (f"活动{self.seq}的{FIELD_NAMES.get(self.field, self.field)}在看板中已调整为“{self.app_value}”，"
                f"文档改为“{self.doc_value}”：以文档为准")


def _changed(last: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The fields the document changed since its last import (never what the app revised)."""
    return {k: new[k] for k in REVISABLE if _comparable(last.get(k)) != _comparable(new[k])}


def _field_overrides(seq: int, changes: dict[str, Any], app_fields: set[str], now: dict[str, Any]) -> list[Override]:
    return [Override(seq, k, _shown(now.get(k)), _shown(changes[k]))
            for k in sorted(changes.keys() & app_fields, key=REVISABLE.index)]


def overrides(store: EventStore, parsed: dict[str, Any], plan_id: str | None = None) -> list[Override]:
    """What importing ``parsed`` would override of the app's revisions (nothing for a new plan), so
    the 导入 page can show both values before the person confirms. The same comparison as ``import_plan``."""
    plan_id = plan_id or derive_plan_id(parsed["plan"])
    projector = Projector(store)
    projector.catch_up()
    if plan_id not in projector.plans:
        return []
    current = projector.plan_of_activities(LATEST_DATE)
    imported, app_revised = _imported_versions(store, plan_id)
    found: list[Override] = []
    for a in parsed["activities"]:
        stream = activity_stream(plan_id, a["seq"])
        if stream not in current or stream not in app_revised:
            continue
        new, last = activity_payload(plan_id, a), imported.get(stream, {})
        changes = _changed(last, new)
        found += _field_overrides(a["seq"], changes, app_revised[stream], current[stream])
    return found


def plan_events(parsed: dict[str, Any], *, plan_id: str, source: str, sha256: str,
                actor: str, occurred_on: dt.date) -> list[NewEvent]:
    """The events of a first import: the plan, its activities and the milestones the text names.

    A reviewed parse carries ``review`` ({"by": account, "edited": ["3.end", …]}): kept on the
    PlanImported event, so the log says who changed what the parser read."""
    plan = parsed["plan"]
    review = parsed.get("review") or {}
    batch = [NewEvent("PlanImported", plan_stream(plan_id), {
        "plan_id": plan_id, "title": plan["title"], "issuer": plan.get("issuer") or "",
        "doc_no": plan.get("doc_no") or "", "year": plan["year"], "start": plan["start"], "end": plan["end"],
        "source": source, "source_sha256": sha256, "reviewed_by": review.get("by") or "",
        "edited": list(review.get("edited") or []), "reporting": plan.get("reporting"),
    }, occurred_on=occurred_on, event_id=event_id(plan_id, "plan"), actor=actor)]
    settings = reporting_settings(plan.get("reporting"))
    if settings is not None:
        batch.append(NewEvent("PlanSettingsChanged", plan_stream(plan_id), settings, occurred_on=occurred_on,
                              event_id=event_id(plan_id, "settings", sha256), actor=actor))
    for a in parsed["activities"]:
        batch.append(_planned(plan_id, a, actor, occurred_on))
        batch += _milestones(plan_id, a, actor, occurred_on)
    return batch


def reporting_settings(reporting: dict[str, Any] | None) -> dict[str, Any] | None:
    """The notice's reporting cycle (seed/fields/reporting.py) as a PlanSettingsChanged payload, or
    None where the board's cycles cannot hold it (quarterly, 每月底) and the default stands. Both
    sides count weekdays from 0 = Monday, so nothing is converted; a monthly day past the 28th is
    taken as the 28th, which every month has."""
    if not reporting:
        return None
    if reporting.get("kind") == "weekly" and reporting.get("weekday") is not None:
        cycle = {"kind": "weekly", "weekday": int(reporting["weekday"])}
    elif reporting.get("kind") == "monthly" and reporting.get("day"):
        cycle = {"kind": "monthly", "day": min(int(reporting["day"]), 28)}
    else:
        return None
    return {"reporting": cycle, "note": IMPORTED_CYCLE_NOTE}


IMPORTED_CYCLE_NOTE = "导入方案：通知规定的报送周期"   # marks the settings a document set, not the office


def _reporting_revision(store: EventStore, plan_id: str, plan: dict[str, Any], sha256: str, actor: str,
                        occurred_on: dt.date) -> tuple[list[NewEvent], str, list[str]]:
    """The settings change a revised document brings to the reporting cycle, its text, and a warning
    when it overrides a cycle the office set in the app.

    As for an activity's fields: only a cycle the document changed since its last import is
    applied, so a revised notice that says the same does not undo the office's 方案设置; the
    count of the document's earlier cycles goes into the event id (v1 → v2 → v1 appends three)."""
    wanted = reporting_settings(plan.get("reporting"))
    if wanted is None:
        return [], "", []   # a notice without a cycle the board can hold leaves the current one
    loop = Supervision(store)
    loop.catch_up()
    documents = 0
    document_cycle: dict[str, Any] | None = None
    current: dict[str, Any] | None = None   # None: no change named a cycle, the default stands
    for change in loop.standing_changes(plan_id):
        if not change.get("reporting"):
            continue
        current = change["reporting"]
        if change.get("note") == IMPORTED_CYCLE_NOTE:
            documents += 1
            document_cycle = current

    def same(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
        return (a and ReportingCycle(**a)) == (b and ReportingCycle(**b))

    if same(wanted["reporting"], document_cycle):
        return [], "", []
    warnings = []
    if not same(current, document_cycle) and not same(current, wanted["reporting"]):
        warnings.append(f"报送周期在看板中已调整为“{cycle_text(current)}”，文档改为“{cycle_text(wanted['reporting'])}”"
                        "：以文档为准")
    event = NewEvent("PlanSettingsChanged", plan_stream(plan_id), wanted, occurred_on=occurred_on,
                     event_id=event_id(plan_id, "settings", sha256, documents), actor=actor)
    return [event], cycle_text(wanted["reporting"]), warnings


def _planned(plan_id: str, a: dict[str, Any], actor: str, occurred_on: dt.date) -> NewEvent:
    return NewEvent("ActivityPlanned", activity_stream(plan_id, a["seq"]), activity_payload(plan_id, a),
                    occurred_on=occurred_on, event_id=event_id(plan_id, a["seq"], "planned"), actor=actor)


def _milestones(plan_id: str, a: dict[str, Any], actor: str, occurred_on: dt.date) -> list[NewEvent]:
    return [
        NewEvent("MilestonePlanned", activity_stream(plan_id, a["seq"]),
                 {"key": m["title"], "title": m["title"], "due": m.get("due")},
                 occurred_on=occurred_on, event_id=event_id(plan_id, a["seq"], "milestone", m["title"]), actor=actor)
        for m in a.get("milestones", [])
    ]


def import_plan(store: EventStore, parsed: dict[str, Any], *, source: str, sha256: str,
                plan_id: str | None = None, actor: str = "importer",
                effective: dt.date | None = None) -> ImportResult:
    """Append a plan, or the revisions a changed version of it brings. Nothing when unchanged."""
    plan_id = plan_id or derive_plan_id(parsed["plan"])
    projector = Projector(store)
    projector.catch_up()
    plan_start = dt.date.fromisoformat(parsed["plan"]["start"])
    if plan_id not in projector.plans:
        occurred = min(plan_start, business_today())
        batch = plan_events(parsed, plan_id=plan_id, source=source, sha256=sha256, actor=actor, occurred_on=occurred)
        stored = store.append_many(batch)
        appended = sum(1 for s in stored if s.position > projector.position)
        return ImportResult(plan_id, appended, planned=len(parsed["activities"]))

    occurred = effective or business_today()
    current = projector.plan_of_activities(LATEST_DATE)
    result = ImportResult(plan_id, 0)
    batch: list[NewEvent] = []
    seen = set()
    imported, app_revised = _imported_versions(store, plan_id)
    for a in parsed["activities"]:
        stream = activity_stream(plan_id, a["seq"])
        seen.add(stream)
        if stream not in current:
            batch.append(_planned(plan_id, a, actor, occurred))
            batch += _milestones(plan_id, a, actor, occurred)
            result.planned += 1
            continue
        new = activity_payload(plan_id, a)
        last = imported.get(stream, {})
        changes = _changed(last, new)
        if not changes:
            result.unchanged += 1
            continue
        result.revised.append(a["seq"])
        result.warnings += [o.line() for o in _field_overrides(a["seq"], changes, app_revised.get(stream, set()),
                                                               current[stream])]
        batch.append(NewEvent("ActivityRevised", stream,
                              {**changes, "reason": f"方案修订：{source}", "source_sha256": sha256},
                              occurred_on=occurred,
                              event_id=event_id(plan_id, a["seq"], "revised", sha256, last.get("_imports", 0)),
                              actor=actor))
    for stream, old in current.items():
        if old["plan_id"] == plan_id and stream not in seen:
            result.warnings.append(f"活动{old['seq']}（{old['title']}）不在新版本中，已保留原计划")
    settings, result.reporting, overridden = _reporting_revision(store, plan_id, parsed["plan"], sha256, actor, occurred)
    batch += settings
    result.warnings += overridden
    stored = store.append_many(batch) if batch else []
    result.appended = sum(1 for s in stored if s.position > projector.position)
    return result
