"""`python -m seed COMMAND`: parse a plan document, import it, add the demo course, bootstrap.

Errors print one clear line (Chinese where a user reads it) and exit 2; nothing is appended then.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import logging
import sys
from pathlib import Path

from seed.demo import DEMO_PLAN_ID, run_demo
from seed.importer import import_plan
from seed.units import Registry
from store.cli import add_db_option
from store.command import CommandParser, run_command
from store.log import EventStore

log = logging.getLogger("seed")
DEFAULT_PLAN = Path(__file__).parent / "plans" / "qinghai-2022-may-day-plan.md"


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog="python -m seed", description="督办看板 plan importer")
    add_db_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("parse", help="parse a plan document and print it (touches no store)", add_help=False)
    imp = sub.add_parser("import", help="append a plan (or its revisions) to the store")
    add_db_option(imp, top=False)
    imp.add_argument("file")
    imp.add_argument("--year", type=int)
    imp.add_argument("--plan-id")
    imp.add_argument("--effective", type=dt.date.fromisoformat, help="date a revised version takes effect")
    demo = sub.add_parser("demo", help="append the demo course of the 2022 plan")
    add_db_option(demo, top=False)
    demo.add_argument("--seed", type=int, default=2022)
    demo.add_argument("--plan-id", default=DEMO_PLAN_ID)
    boot = sub.add_parser("bootstrap", help="initialise the store; on an empty one import the 2022 plan and demo")
    add_db_option(boot, top=False)
    boot.add_argument("--empty", action="store_true", help="only initialise, import nothing")
    return parser


def read_and_parse(path: Path, year: int | None, registry: Registry | None = None) -> tuple[dict, str]:
    from seed.parser import parse_document

    data = path.read_bytes()
    return parse_document(data, year=year, filename=path.name, registry=registry), hashlib.sha256(data).hexdigest()


def cmd_import(store: EventStore, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise FileNotFoundError(f"找不到文件：{path}")
    if path.suffix.lower() == ".json":  # a reviewed parse (parse --json, corrected by a person)
        from seed.review import load_reviewed

        data = path.read_bytes()
        parsed, sha = load_reviewed(data), hashlib.sha256(data).hexdigest()
        review = parsed.get("review") or {}
        parsed["review"] = {"by": review.get("by") or "importer", "edited": list(review.get("edited") or [])}
    else:
        from seed.units import registry_of

        # units registered in the app (UnitRegistered) name units here too
        parsed, sha = read_and_parse(path, args.year, registry_of(store))
    for warning in parsed["warnings"]:
        print(f"警告：{warning}", file=sys.stderr)
    result = import_plan(store, parsed, source=path.name, sha256=sha, plan_id=args.plan_id, effective=args.effective)
    revised = f"，修订活动 {', '.join(map(str, result.revised))}" if result.revised else ""
    cycle = f"，报送周期改为{result.reporting}" if result.reporting else ""
    print(f"方案 {result.plan_id}：新增事件 {result.appended} 条，新计划活动 {result.planned} 项{revised}{cycle}")
    for warning in result.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    return 0


def cmd_demo(store: EventStore, args: argparse.Namespace) -> int:
    added = run_demo(store, args.seed, args.plan_id)
    print(f"演示数据：新增事件 {added} 条")
    return 0


def cmd_bootstrap(store: EventStore, args: argparse.Namespace) -> int:
    store.init()
    if args.empty or store.head()[0] > 0:
        print(f"存储已就绪：{store.url}（{store.head()[0]} 条事件）")
        return 0
    parsed, sha = read_and_parse(DEFAULT_PLAN, None)
    result = import_plan(store, parsed, source=DEFAULT_PLAN.name, sha256=sha)
    added = run_demo(store, plan_id=result.plan_id)
    print(f"已导入 2022 年方案（{result.planned} 项活动）和演示数据（{added} 条事件）：{store.url}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "parse":
        from seed.cli_parse import main as parse_main

        return parse_main(argv)
    args = _parser().parse_args(argv)
    commands = {"import": cmd_import, "demo": cmd_demo, "bootstrap": cmd_bootstrap}

    def act(store: EventStore) -> int:
        from seed.units import registry_of

        store.init()
        store.use_groups(registry_of(store).groups)   # the rules count group members (store/domain/rules.py)
        return commands[args.command](store, args)

    return run_command(lambda: EventStore(args.db), act, log)


def run() -> None:
    sys.exit(main())
