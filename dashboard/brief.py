"""`python -m dashboard.brief [--db URL] --since D --as-of D [--plan ID] [--issue N] [--office TEXT]
[--next TEXT] --out FILE.docx`: the 通报 (progress bulletin) of a period, as a Word document.

The numbers come from the projections ``store status`` prints (``Projector.activities`` and
``targets`` as of the date) and the reports owed (``store.reading.supervision.report_rows``) in the last
reporting cycle whose due day has passed; the foot carries the log position the projector was
folded to and the hash the log holds there, so the paper anchors the chain
(``python -m store verify --anchor POSITION:HASH``). The 通报 page builds the same document through
``gather`` and ``render``; the Word part is ``dashboard.render.bulletin``.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.render import bulletin, charts, export
from dashboard.render.labels import ui
from store.reading.projections import Projector
from store.reading.supervision import (
    Cycle,
    Supervision,
    cycles_due_between,
    report_rows,
)

log = logging.getLogger(__name__)

_PLAN_SUFFIXES = ("任务分解方案", "任务分解表", "实施方案", "工作方案", "方案")


@dataclass(frozen=True)
class Sources:
    """What a bulletin is made of, read from the folded log at one position."""

    plan: Mapping[str, Any]
    activities: pd.DataFrame
    targets: pd.DataFrame
    milestones: pd.DataFrame
    cycle: Cycle | None
    reports: pd.DataFrame
    position: int
    head_hash: str


def short_name(title: str, issuer: str = "") -> str:
    """The plan's short name for a heading: 青海省总工会喜迎…系列活动方案 → 喜迎…系列活动."""
    name = title.strip()
    if issuer and name.startswith(issuer) and len(name) > len(issuer):
        name = name[len(issuer):]
    name = name.removeprefix("关于").removesuffix("的通知")
    for suffix in _PLAN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name.strip() or title


def default_office(issuer: str) -> str:
    """The office that issues a bulletin: the plan's issuer's 办公室 (青海省总工会 → 青海省总工会办公室)."""
    suffix = ui("brief_office_suffix")
    return issuer if issuer.endswith(suffix) else f"{issuer}{suffix}"


def judged_cycle(loop: Supervision, plan_id: str, start: dt.date, as_of: dt.date) -> Cycle | None:
    """The last reporting cycle whose due day is on or before ``as_of``: only there is "did not report" known."""
    due = cycles_due_between(loop.settings(plan_id).reporting, start, as_of)
    return due[-1] if due else None


def sources(projector: Projector, loop: Supervision, plan_id: str, as_of: dt.date,
            groups: Mapping[str, Sequence[str]]) -> Sources:
    """Read a plan's bulletin sources from a folded projector (the CLI's own, or the board's under its lock)."""
    plan = projector.plans[plan_id]

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["plan_id"] == plan_id]

    start = dt.date.fromisoformat(str(plan["start"]))
    cycle = judged_cycle(loop, plan_id, start, as_of)
    reports = report_rows(projector, loop, plan_id, cycle, as_of, groups) if cycle else pd.DataFrame(
        columns=["unit", "seq", "state"])
    position = projector.position
    return Sources(plan=plan, activities=mine(projector.activities(as_of)), targets=mine(projector.targets(as_of)),
                   milestones=mine(projector.milestones(as_of)), cycle=cycle, reports=reports, position=position,
                   head_hash=projector.store.hash_at(position) or "")


def _day(value: Any) -> dt.date | None:
    return None if pd.isna(value) else value.date()


def _item(a: Any) -> bulletin.Item:
    day = _day
    return bulletin.Item(seq=int(a.seq), title=str(a.title), leads=tuple(a.lead_units or ()), status=a.status,
                         reason=a.reason or None, percent=float(a.percent), end=day(a.end), done_on=day(a.done_on))


def silent_units(reports: pd.DataFrame) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Units with a report missing, most missing first: (unit, the activities it did not report on)."""
    missing = reports[reports["state"] == "missing"]
    by_unit = {u: tuple(sorted(int(s) for s in g["seq"])) for u, g in missing.groupby("unit")}
    return tuple(sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def gantt_png(src: Sources, as_of: dt.date) -> bytes | None:
    """The Gantt of the whole plan as of the date, as the 甘特图 page draws it (March–December)."""
    if src.activities.empty:
        return None
    chart = charts.gantt(src.activities, src.milestones, as_of, charts.default_domain(int(src.plan["year"])), "seq",
                         width=bulletin.GANTT_WIDTH)
    return export.png_bytes(chart)


def gather(src: Sources, since: dt.date, as_of: dt.date, *, issue: int = 1, office: str | None = None,
           next_steps: str = "", with_gantt: bool = True) -> bulletin.Bulletin:
    """The bulletin's content: counts as ``store status`` gives them, completions in ``since..as_of``."""
    if since > as_of:
        raise ValueError(ui("brief_cli_since_after").format(since=since, as_of=as_of))
    acts = src.activities.sort_values("seq")
    counts = acts["status"].value_counts().to_dict()
    at_risk = acts[acts["status"] == "at_risk"]
    completed = acts[acts["done_on"].notna() & (acts["done_on"] >= pd.Timestamp(since))
                     & (acts["done_on"] <= pd.Timestamp(as_of))]
    attention = pd.concat([acts[acts["status"] == "overdue"], at_risk])
    targets = tuple(bulletin.TargetLine(int(t.seq), str(t.label), str(t.unit), int(t.planned), int(t.achieved))
                    for t in src.targets.sort_values(["seq"], kind="stable").itertuples())
    return bulletin.Bulletin(
        title=short_name(str(src.plan["title"]), str(src.plan.get("issuer") or "")) + ui("brief_title_suffix"),
        issue=issue, office=office or default_office(str(src.plan.get("issuer") or "")), since=since, as_of=as_of,
        counts={k: int(v) for k, v in counts.items()}, reasons={k: int(v) for k, v in at_risk["reason"].value_counts().items()},
        completed=tuple(_item(a) for a in completed.itertuples()), attention=tuple(_item(a) for a in attention.itertuples()),
        cycle_due=src.cycle.due if src.cycle else None, silent=silent_units(src.reports), targets=targets,
        gantt_png=gantt_png(src, as_of) if with_gantt else None, next_steps=next_steps,
        head_position=src.position, head_hash=src.head_hash)


def main(argv: list[str] | None = None) -> int:
    from seed.units import load_registry
    from store.cli import _date, add_db_option, choose_plan, require_events
    from store.command import CommandParser, run_command
    from store.log import EventStore

    parser = CommandParser(prog="python -m dashboard.brief", description="the 通报 of a period as a Word document")
    add_db_option(parser, top=True)
    parser.add_argument("--since", type=_date, required=True)
    parser.add_argument("--as-of", type=_date, required=True)
    parser.add_argument("--plan")
    parser.add_argument("--issue", type=int, default=1)
    parser.add_argument("--office")
    parser.add_argument("--next", dest="next_steps", default="", help="下一步工作要求 (lines become paragraphs)")
    parser.add_argument("--out", required=True, metavar="FILE.docx")
    args = parser.parse_args(argv)
    out = Path(args.out)

    def opened() -> EventStore:
        """The arguments are checked first, so a mistake in them is named even where the store is out of reach."""
        if args.issue < 1:
            raise ValueError(ui("brief_cli_issue").format(issue=args.issue))
        if out.suffix.lower() != ".docx":
            raise ValueError(ui("brief_cli_docx").format(name=out.name))
        if not out.parent.is_dir():
            raise ValueError(ui("brief_cli_no_folder").format(folder=out.parent))
        return EventStore(args.db, read_only=True)

    def act(store: EventStore) -> int:
        require_events(store)
        projector, loop = Projector(store), Supervision(store)
        projector.catch_up()
        loop.catch_up()
        plan = choose_plan(projector.plans, args.plan)
        src = sources(projector, loop, plan, args.as_of, load_registry().groups)
        made = gather(src, args.since, args.as_of, issue=args.issue, office=args.office, next_steps=args.next_steps)
        out.write_bytes(bulletin.docx_bytes(made))
        print(f"wrote {out}: {made.title} 第{made.issue}期, head_position {made.head_position}, "
              f"head_hash {made.head_hash}")
        return 0

    return run_command(opened, act, log)


if __name__ == "__main__":
    sys.exit(main())
