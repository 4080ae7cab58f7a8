"""`python -m dashboard.remind [--db URL] [--as-of D] [--plan ID] [--dry-run]`: 催办 from cron.

For every plan (or the one named), the units with reports missing in the cycle of the date get a
ReminderIssued (the activities, a message) and the configured channels (see dashboard.channels);
what each channel did is kept as a ReminderDelivered. One line per unit. A unit is reminded at most
once per cycle by this command: the event id is derived from plan, unit and cycle, and a unit
already reminded in the cycle (here or on the 催办 page) is skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import uuid
from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard.channels import Channels, load_channels, send_reminder
from store.domain.events import reminder_stream
from store.log import EventStore, NewEvent, business_today
from store.reading.projections import Projector
from store.reading.supervision import Cycle, Supervision, cycle_of, report_rows

log = logging.getLogger(__name__)
ACTOR = "催办:定时"
_NAMESPACE = uuid.UUID("6f1c4a52-0d8e-4c1e-9a57-2a3b1c0d9e11")


def reminder_text(plan_title: str, cycle: Cycle, seqs: Sequence[int]) -> str:
    items = "、".join(f"第{s}项" for s in seqs)
    return (f"《{plan_title}》{cycle.start.month}月报送（截止{cycle.due.month}月{cycle.due.day}日）："
            f"贵单位{items}活动尚未报送进展，请尽快报送。")


def issue(store: EventStore, plan_id: str, plan_title: str, unit: str, cycle: Cycle, seqs: Sequence[int],
          channels: Channels, *, on: dt.date, actor: str, message: str | None = None,
          event_id: str | None = None) -> tuple[str, list[dict]]:
    """Record one reminder, then send it; the reminder stands whatever the channels do."""
    text = message or reminder_text(plan_title, cycle, seqs)
    stored = store.append(NewEvent("ReminderIssued", reminder_stream(plan_id), {
        "plan_id": plan_id, "unit": unit, "cycle_start": cycle.start.isoformat(), "due": cycle.due.isoformat(),
        "activities": sorted(set(seqs)), "message": text}, occurred_on=on, actor=actor, event_id=event_id))
    deliveries = send_reminder(channels, unit, f"督办提醒：{plan_title}", text)
    if deliveries:
        store.append(NewEvent("ReminderDelivered", reminder_stream(plan_id), {
            "reminder_event_id": stored.event_id, "deliveries": deliveries},
            occurred_on=on, actor=actor, event_id=str(uuid.uuid5(_NAMESPACE, "delivered/" + stored.event_id))))
    return stored.event_id, deliveries


def reminder_id(plan_id: str, unit: str, cycle: Cycle) -> str:
    """The one id of a unit's reminder in a cycle: the command and the 催办 page derive the same one,
    so a unit is reminded once per cycle whoever asks first."""
    return str(uuid.uuid5(_NAMESPACE, f"{plan_id}/{unit}/{cycle.start.isoformat()}"))


def reminded_units(loop: Supervision, plan_id: str, cycle: Cycle) -> set[str]:
    """Units already reminded in ``cycle`` (by the command or the page)."""
    reminded = loop.reminders_of(plan_id)
    return set(reminded[reminded["cycle_start"] == pd.Timestamp(cycle.start)]["unit"])


def delivery_lines(deliveries: Sequence[Mapping]) -> list[tuple[bool, str]]:
    """(ok, "channel ok" / "channel failed: detail") per channel, the words the command prints."""
    return [(bool(d["ok"]), f"{d['channel']} {'ok' if d['ok'] else 'failed: ' + d['detail']}") for d in deliveries]


def missing_by_unit(rows) -> dict[str, list[int]]:  # noqa: ANN001 - a report_rows frame
    out: dict[str, list[int]] = {}
    for r in rows[rows["state"] == "missing"].itertuples():
        out.setdefault(r.unit, []).append(int(r.seq))
    return out


def run(store: EventStore, as_of: dt.date, groups: Mapping[str, Sequence[str]], channels: Channels, *,
        plan: str | None = None, dry_run: bool = False) -> list[str]:
    projector, loop = Projector(store), Supervision(store)
    projector.catch_up()
    loop.catch_up()
    lines = []
    for plan_id, info in sorted(projector.plans.items()):
        if plan is not None and plan_id != plan:
            continue
        cycle = cycle_of(loop.settings(plan_id).reporting, as_of)
        already = reminded_units(loop, plan_id, cycle)
        for unit, seqs in sorted(missing_by_unit(report_rows(projector, loop, plan_id, cycle, as_of, groups)).items()):
            label = f"{plan_id} {unit}: 第{'、'.join(map(str, seqs))}项"
            if unit in already:
                lines.append(f"{label} skipped (already reminded this cycle)")
            elif dry_run:
                lines.append(f"{label} would remind")
            else:
                _, sent = issue(store, plan_id, info["title"], unit, cycle, seqs, channels, on=as_of, actor=ACTOR,
                                event_id=reminder_id(plan_id, unit, cycle))
                outcome = ", ".join(text for _, text in delivery_lines(sent))
                lines.append(f"{label} reminded{' — ' + outcome if outcome else ''}")
    return lines


def main(argv: list[str] | None = None) -> int:
    from seed.units import load_registry
    from store.cli import _date, add_db_option, choose_plan
    from store.command import CommandParser, run_command

    parser = CommandParser(prog="python -m dashboard.remind", description="remind units with missing reports")
    add_db_option(parser, top=True)
    parser.add_argument("--as-of", type=_date, default=None)
    parser.add_argument("--plan")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    def act(store: EventStore) -> int:
        store.init()
        if args.plan:   # named: it must be one of the log's plans (unnamed: every plan)
            choose_plan({e.payload["plan_id"] for e in store.read(types=["PlanImported"])}, args.plan)
        for line in run(store, args.as_of or business_today(), load_registry().groups, load_channels(),
                        plan=args.plan, dry_run=args.dry_run):
            print(line)
        return 0

    return run_command(lambda: EventStore(args.db), act, log)


if __name__ == "__main__":
    sys.exit(main())
