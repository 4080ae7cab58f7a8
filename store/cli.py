"""`python -m store [--db URL] COMMAND`: the log from the shell, for scripts, checks and tests.

Every refusal prints one line on stderr and exits 2; ``verify`` exits 1 when the chain breaks.
A user's mistake (a bad argument, a missing file, an unknown plan) is said in Chinese, and so is
what the store itself refuses (its refusals carry a Chinese ``zh``; the English goes to the log). The guard and the argparse are those of every
command line of the project (``store/command.py``); the store's own helpers for them live here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from store.command import CommandParser, run_command
from store.log import EventStore, NewEvent
from store.reading.projections import Projector, status_table
from store.recording.integrity import Anchor

log = logging.getLogger("store")


class UsageError(Exception):
    """A user's mistake (an argument, a file, a plan): one Chinese line, exit 2."""


def require_events(store: EventStore) -> None:
    """A command that only reads refuses a store without the events table (nothing to read, nothing made)."""
    if not store.recorder.is_initialised():
        raise UsageError(f"{store.recorder.where} 没有事件表（请先运行 python -m store init）")


def choose_plan(known: Iterable[str], plan: str | None) -> str:
    """The plan named by --plan, or the only one there is; else a refusal listing the plans."""
    known = sorted(known)
    plans = "、".join(known) or "无"
    if plan is None:
        if len(known) != 1:
            raise UsageError(f"请用 --plan 指定方案（现有方案：{plans}）")
        return known[0]
    if plan not in known:
        raise UsageError(f"没有方案 {plan!r}（现有方案：{plans}）")
    return plan


def add_db_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--db is accepted before and after the command; the one after wins."""
    parser.add_argument("--db", metavar="URL", default=None if top else argparse.SUPPRESS,
                        help="database URL (default: env DUBAN_DB, else sqlite:///data/events.db)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是 YYYY-MM-DD 格式的日期：{text!r}") from None


def _anchor(text: str) -> Anchor:
    try:
        return Anchor.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog="python -m store", description="督办看板 event store")
    add_db_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        add_db_option(p, top=False)
        return p

    command("init", "create the schema (idempotent)")
    command("stats", "events per type, head position and hash").add_argument("--json", action="store_true")
    verify = command("verify", "recompute the hash chain, against anchors, the last head seen and the seals")
    verify.add_argument("--anchor", action="append", default=[], type=_anchor, metavar="POSITION:HASH",
                        help="a position and hash kept outside the database (a bulletin's foot); repeatable")
    command("seal", "seal every event not sealed yet with the configured signing key")
    command("export", "JSON Lines, one envelope per line").add_argument("--out", metavar="FILE")
    command("import", "append an export, all or nothing").add_argument("file", metavar="FILE")
    status = command("status", "every activity's status as of a date")
    status.add_argument("--as-of", type=_date, required=True)
    status.add_argument("--plan")
    status.add_argument("--json", action="store_true")
    reports = command("reports", "reports owed in the cycle of a date: on time, late, missing")
    reports.add_argument("--as-of", type=_date, required=True)
    reports.add_argument("--plan")
    reports.add_argument("--json", action="store_true")
    scores = command("scores", "考评: units scored over a period, ranked")
    scores.add_argument("--from", dest="first", type=_date, required=True)
    scores.add_argument("--to", dest="last", type=_date, required=True)
    scores.add_argument("--plan")
    scores.add_argument("--json", action="store_true")
    command("snapshot", "save the folded state now, so a restarted board folds only what comes after")
    append = command("append", "append one event")
    append.add_argument("--type", required=True)
    append.add_argument("--stream", required=True)
    append.add_argument("--payload", required=True, help="JSON object")
    append.add_argument("--occurred-on", type=_date)
    append.add_argument("--event-id")
    append.add_argument("--actor", default="cli")
    append.add_argument("--unit", default="")
    append.add_argument("--expected-version", type=int)
    return parser


def cmd_init(store: EventStore, _args: argparse.Namespace) -> int:
    store.init()
    print(f"ok {store.url}")
    return 0


def cmd_stats(store: EventStore, args: argparse.Namespace) -> int:
    stats = store.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print(f"head_position {stats['head_position']}")
    print(f"head_hash     {stats['head_hash']}")
    print(f"occurred_on   {stats['first_occurred_on']} .. {stats['last_occurred_on']}")
    for event_type, count in stats["by_type"].items():
        print(f"  {event_type:<24}{count:>10}")
    return 0


def cmd_verify(store: EventStore, args: argparse.Namespace) -> int:
    result = store.verify(args.anchor)
    if result.ok:
        print(f"ok {result.count} events, head_hash {result.head_hash}")
        return 0
    if result.set_aside:
        for position, reason in result.set_aside:
            print(f"set aside at position {position}: {reason}")
        print(f"chain whole, {result.count} events, head_hash {result.head_hash}; "
              f"{len(result.set_aside)} set aside by the board")
        return 1
    print(f"broken at position {result.bad_position}: {result.reason}")
    return 1


def cmd_seal(store: EventStore, _args: argparse.Namespace) -> int:
    print(f"sealed {store.seal_all()} events")
    return 0


def cmd_export(store: EventStore, args: argparse.Namespace) -> int:
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        count = 0
        for line in store.export():
            out.write(line + "\n")
            count += 1
    finally:
        if args.out:
            out.close()
    if args.out:
        position, head_hash = store.head()
        print(f"exported {count} events to {args.out}, head_hash {head_hash}", file=sys.stderr)
    return 0


def cmd_import(store: EventStore, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"找不到文件：{path}")
    try:
        with path.open(encoding="utf-8") as handle:
            count = store.import_lines(handle)
    except UnicodeDecodeError:
        raise UsageError(f"{path} 不是 UTF-8 编码的 JSON Lines 文件") from None
    position, head_hash = store.head()
    print(f"imported {count} events, head_position {position}, head_hash {head_hash}")
    return 0


def cmd_status(store: EventStore, args: argparse.Namespace) -> int:
    projector = Projector(store)
    projector.catch_up()
    rows = status_table(projector, args.as_of, args.plan)
    if args.plan and not rows:
        raise UsageError(f"方案 {args.plan!r} 没有活动")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        targets = ", ".join(f"{t['label']} {t['achieved']}/{t['planned']}{t['unit']}" for t in r["targets"])
        pending = "  (completion awaits review)" if r["review_pending"] else ""
        print(f"{r['seq']:>3}  {r['status']:<11} {r['percent']:>5.0f}%  {r['start'] or '?'}..{r['end'] or '?'}  "
              f"{r['title']}{'  [' + targets + ']' if targets else ''}{pending}")
    return 0


def _loop(store: EventStore, plan: str | None) -> tuple[Projector, Any, str, dict[str, list[str]]]:
    """The folded log, the loop's facts, the plan asked for (the only one when not named) and the groups."""
    from seed.units import (
        registry_of,  # the unit registry: group members owe reports too
    )
    from store.reading.supervision import Supervision

    projector = Projector(store)
    projector.catch_up()
    loop = Supervision(store)
    loop.catch_up()
    return projector, loop, choose_plan(projector.plans, plan), registry_of(store).groups


def cmd_reports(store: EventStore, args: argparse.Namespace) -> int:
    from store.reading.supervision import cycle_of, report_json, report_rows

    projector, loop, plan, groups = _loop(store, args.plan)
    cycle = cycle_of(loop.settings(plan).reporting, args.as_of)
    rows = report_json(report_rows(projector, loop, plan, cycle, args.as_of, groups))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"cycle {cycle.start}..{cycle.end}, due {cycle.due}")
    for r in rows:
        print(f"{r['unit']:<20} {r['seq']:>3}  {r['state']:<8} {r['reported_on'] or ''}")
    return 0


def cmd_scores(store: EventStore, args: argparse.Namespace) -> int:
    from store.reading.supervision import score_json, scores

    projector, loop, plan, groups = _loop(store, args.plan)
    rows = score_json(scores(projector, loop, plan, args.first, args.last, groups))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        change = "" if r["change"] is None else f" ({r['change']:+d})"
        print(f"{r['rank']:>3}  {r['score']:>4}{change:<7} {r['band']:<6} {r['unit']}  "
              f"due {r['reports_due']} on_time {r['on_time']} late {r['late']} missing {r['missing']} "
              f"overdue {r['overdue']} reminders {r['reminders']}")
    return 0


def cmd_snapshot(store: EventStore, _args: argparse.Namespace) -> int:
    from store.reading import snapshots

    snapshots.init(store)
    projector = Projector(store)
    snapshots.restore(store, projector)
    projector.catch_up()
    if not snapshots.take(store, projector):
        raise UsageError("日志为空：没有可保存的快照")
    print(f"ok snapshot at position {projector.position}")
    return 0


def cmd_append(store: EventStore, args: argparse.Namespace) -> int:
    try:
        payload = json.loads(args.payload)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--payload 不是 JSON：{exc.msg}") from None
    stored = store.append(NewEvent(
        type=args.type, stream=args.stream, payload=payload, occurred_on=args.occurred_on,
        event_id=args.event_id, actor=args.actor, unit=args.unit, expected_version=args.expected_version))
    print(json.dumps({"position": stored.position, "event_id": stored.event_id, "version": stored.version,
                      "hash": stored.hash}))
    return 0


COMMANDS: dict[str, Callable[[EventStore, argparse.Namespace], int]] = {
    "init": cmd_init, "stats": cmd_stats, "verify": cmd_verify, "seal": cmd_seal, "export": cmd_export,
    "import": cmd_import, "status": cmd_status, "append": cmd_append,
    "reports": cmd_reports, "scores": cmd_scores,
    "snapshot": cmd_snapshot,
}


# Commands that only read open the database read-only: they work on a copy nobody may write.
READING = frozenset({"stats", "verify", "export", "status"})


def _dispatch(store: EventStore, args: argparse.Namespace) -> int:
    """The command on a store with its table: a reading command refuses a store without one, the others make it."""
    if not store.recorder.is_initialised():
        if args.command == "verify":  # the log is gone: it cannot be vouched for, exit 1 like a broken chain
            print(f"broken: {store.recorder.where} has no events table: the log is gone "
                  "(dropped, or this is not the store you meant)")
            return 1
        if args.command in READING:
            require_events(store)
        store.init()
    return COMMANDS[args.command](store, args)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: EventStore(args.db, read_only=args.command in READING),
                       lambda store: _dispatch(store, args), log)


def run(argv: list[str] | None = None) -> Any:
    sys.exit(main(argv))
