"""``parse FILE [--year Y] [--json] [--units PATH]``: show what a plan document would import.

Touches no store.  Errors are one Chinese line on stderr and exit code 2 — never a traceback —
because the people running this are office staff checking a notice, not developers.
``seed/__main__.py`` owns the top-level command line and calls ``add_parse_arguments`` /
``run_parse``; ``main`` here exists so the subcommand can be tried on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from typing import TextIO

from seed.parser import PlanParseError, parse_document
from seed.units import RegistryError, load_registry
from store.command import CommandParser

__all__ = ["add_parse_arguments", "format_table", "main", "run_parse"]


def add_parse_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the ``parse`` subcommand (FILE, --year, --json, --units)."""
    parser.add_argument("file", help="方案文件：.md / .txt（UTF-8 或 GBK）或 .docx")
    parser.add_argument("--year", type=int, default=None, help="文件中没有写年份时使用的年份")
    parser.add_argument("--json", action="store_true", help="输出 JSON（供程序读取）")
    parser.add_argument("--units", default=None, help="单位登记表（默认 seed/units.toml）")


def _write(stream: TextIO, text: str) -> None:
    """Write text even to a console whose encoding cannot show Chinese (fall back to UTF-8)."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.flush()
        stream.buffer.write(text.encode("utf-8"))
        stream.buffer.flush()


def _fail(message: str) -> int:
    _write(sys.stderr, f"error: {message}\n")
    return 2


def run_parse(args: argparse.Namespace) -> int:
    """Parse ``args.file`` and print JSON or a table; return the exit code (0, or 2 on error)."""
    year = getattr(args, "year", None)
    if year is not None and not 1900 <= year <= 2100:
        return _fail(f"年份 {year} 不合理，请写四位年份，如 --year 2022")
    try:
        registry = load_registry(getattr(args, "units", None))
        result = parse_document(args.file, year=year, registry=registry)
    except (PlanParseError, RegistryError) as exc:
        return _fail(str(exc))
    except Exception as exc:  # never show a traceback to the office; DUBAN_DEBUG=1 shows it
        if os.environ.get("DUBAN_DEBUG"):
            raise
        return _fail(f"解析时出现意外问题（{type(exc).__name__}: {exc}），请把文件发给维护人员")
    if getattr(args, "json", False):
        _write(sys.stdout, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        _write(sys.stdout, format_table(result))
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(result: dict) -> str:
    """The readable form: plan line, one row per activity, then the warnings."""
    plan = result["plan"]
    lines = [
        plan["title"] or "（无标题）",
        f"发文单位：{plan['issuer'] or '—'}  文号：{plan['doc_no'] or '—'}  年份：{plan['year']}  "
        f"起止：{plan['start']} 至 {plan['end']}",
        "",
    ]
    rows = [["序号", "完成时限", "起止日期", "牵头单位", "配合单位", "目标"]]
    for act in result["activities"]:
        dates = f"{act['start'] or '?'} 至 {act['end'] or '?'}" if act["end"] else "（未识别）"
        targets = "；".join(f"{t['label']} {t['quantity']}{t['unit']}" for t in act["targets"])
        rows.append([
            str(act["seq"]),
            act["window_text"] or "—",
            dates,
            "、".join(act["lead_units"]) or "—",
            "、".join(act["partner_units"]) or "—",
            targets or "—",
        ])
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines.append(f"共 {len(result['activities'])} 项活动")
    if result["warnings"]:
        lines.append(f"警告（{len(result['warnings'])}）：")
        lines.extend(f"  - {w}" for w in result["warnings"])
    return "\n".join(lines) + "\n"


class _ArgumentParser(CommandParser):
    """The shared one-line Chinese refusal of a usage mistake (exit 2), written even to a console
    that cannot show Chinese."""

    def _print_message(self, message: str, file: TextIO | None = None) -> None:
        if message:
            _write(file or sys.stderr, message)


def main(argv: list[str] | None = None) -> int:
    """``parse FILE [--year Y] [--json] [--units PATH]`` -> exit code."""
    parser = _ArgumentParser(prog="python -m seed", description="督办看板：方案文件解析")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_ArgumentParser)
    add_parse_arguments(commands.add_parser("parse", help="解析方案文件并显示将导入的活动"))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    return run_parse(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
