"""Plan documents (方案, 任务分解表) -> a plain dict of the plan and its activities.

Two shapes of notice are read:
- prose: numbered items （一）（二）… under the content chapter (二、活动内容 / 主要任务 …), each
  followed by field lines (牵头部门：… 配合单位：… 完成时限：…) or an inline （牵头单位：…）;
  the 工作要求 / 保障措施 chapters are numbered the same way and are never read as activities;
  when the （一） items are only headings over numbered tasks 1. 2. that carry the fields, the
  tasks are the activities and the heading becomes their ``category``;
- task tables (| 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |) in markdown, plain text (tab
  or 2+ spaces between columns) or .docx tables.  A document with a task table is read from
  the table.

The result is pure data (``parse_document``): nothing here touches a store.  Fatal problems
raise ``PlanParseError`` with one Chinese sentence; everything else becomes a warning.

The stages live in their own packages: ``seed.reading`` (bytes -> blocks), ``seed.structure``
(blocks -> raw activities and the header) and ``seed.fields`` (windows, units, targets).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from seed.errors import PlanParseError
from seed.fields.mentions import looks_like_group, split_units
from seed.fields.reporting import plan_reporting
from seed.fields.targets import extract_milestones, extract_targets
from seed.fields.windows import Window, parse_window
from seed.reading import Para, Table, read_blocks, read_source
from seed.structure import RawActivity, extract_activities
from seed.structure.header import UNTITLED, decide_year, read_header
from seed.units import Registry, load_registry

__all__ = ["Para", "PlanParseError", "Table", "parse_document", "read_blocks"]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def parse_document(
    source: str | Path | bytes,
    *,
    year: int | None = None,
    registry: Registry | None = None,
    filename: str | None = None,
    columns: list[dict[str, int] | None] | None = None,
) -> dict:
    """Parse a plan file (path or bytes) into the JSON-ready dict of ``parse --json``.

    ``filename`` names bytes (its suffix tells .docx from text); ``year`` is used when the
    document states none; ``registry`` defaults to ``seed/units.toml``; ``columns[i]`` (role ->
    column index) says which column of task table ``i`` is which, where a person chose it.
    """
    registry = registry if registry is not None else load_registry()
    data, name = read_source(source, filename)
    blocks = read_blocks(data, name)
    header = read_header(blocks, name)
    raws, warnings, tables = extract_activities(blocks, columns)
    if not header.title:
        header.title = UNTITLED
        warnings.insert(0, f"没有找到方案标题，暂用“{UNTITLED}”")
    if not raws and not any(t["unknown"] for t in tables):
        raise PlanParseError(
            "文件中没有找到活动：既没有“活动内容/主要任务”等章节下的（一）（二）编号条目，也没有任务表"
        )
    plan_year, year_warnings = decide_year(header, blocks, year)
    warnings = year_warnings + warnings

    windows = [parse_window(r.window_text, plan_year) for r in raws]
    windows, (plan_start, plan_end) = _fill_deadlines(windows, plan_year)
    unknown: dict[str, list[int]] = {}
    activities = []
    for seq, (raw, window) in enumerate(zip(raws, windows), start=1):
        activities.append(_activity(seq, raw, window, registry, unknown, warnings))
    for written, seqs in unknown.items():
        where = "、".join(str(s) for s in seqs)
        if looks_like_group(written):
            warnings.append(f"未登记的分组「{written}」（活动{where}），看板无法把它展开到成员单位："
                            "请在单位登记表中登记该分组及其成员")
            continue
        near = registry.closest(written)
        hint = f"最接近的已登记单位：{near}" if near else "登记表中没有相近的单位"
        warnings.append(f"未登记的单位「{written}」（活动{where}），{hint}")

    return {
        "plan": {
            "title": header.title,
            "issuer": header.issuer,
            "doc_no": header.doc_no,
            "year": plan_year,
            "start": _iso(plan_start),
            "end": _iso(plan_end),
            "reporting": plan_reporting([b.text for b in blocks if isinstance(b, Para)]
                                        + [c for b in blocks if isinstance(b, Table) for r in b.rows for c in r]),
        },
        "activities": activities,
        "warnings": warnings,
        "tables": tables,
    }


def _fill_deadlines(windows: list[Window], year: int) -> tuple[list[Window], tuple[date, date]]:
    """Deadlines start with the plan (earliest dated start, else Jan 1; Jan 1 if that is later);
    ongoing and recurring activities run over the plan's whole period, which is returned too."""
    fixed = [w for w in windows if not (w.ongoing or w.recurring)]
    dated = [w.start for w in fixed if w.start and not w.open_start and w.start.year <= year]
    plan_start = min(dated) if dated else date(year, 1, 1)
    ends = [w.end for w in fixed if w.end]
    plan_end = max(ends) if ends else date(year, 12, 31)
    out = []
    for w in windows:
        if w.open_start and w.end is not None:
            start = plan_start if plan_start <= w.end else date(year, 1, 1)
            if start > w.end:
                start = date(w.end.year, 1, 1)
            w = replace(w, start=start)
        elif w.ongoing or w.recurring:
            w = replace(w, start=plan_start, end=plan_end)
        out.append(w)
    starts = [w.start for w in out if w.start]
    return out, (min(starts + [plan_start]), max([w.end for w in out if w.end] + [plan_end]))


def _activity(
    seq: int,
    raw: RawActivity,
    window: Window,
    registry: Registry,
    unknown: dict[str, list[int]],
    warnings: list[str],
) -> dict:
    label = f"活动{seq}「{raw.title}」"
    if raw.window_text is None:
        warnings.append(f"{label}没有写完成时限，未设起止日期")
    elif window.problem:
        warnings.append(f"{label}的完成时限「{raw.window_text}」{window.problem}，已按原文保留，未设起止日期")
    lead_text, partner_text = raw.unit_texts()
    lead = split_units(lead_text, registry)
    partners = split_units(partner_text, registry)
    marked = [m for m in partners if m.lead]
    if marked:
        lead = lead + [m for m in marked if m.name not in {x.name for x in lead}]
        partners = [m for m in partners if not m.lead]
    if any(m.lead for m in lead) and not all(m.lead for m in lead):
        # one 责任单位 column: 省总经济技术部（牵头）、各市（州）总工会 — the unmarked ones partner
        partners = [m for m in lead if not m.lead] + partners
        lead = [m for m in lead if m.lead]
    if not lead:
        warnings.append(f"{label}没有写牵头单位")
    for mention in lead + partners:
        if not mention.known:
            seqs = unknown.setdefault(mention.written, [])
            if seq not in seqs:
                seqs.append(seq)
    lead_names = [m.name for m in lead]
    return {
        "seq": seq,
        "number": raw.number,
        "title": raw.title,
        "body": raw.body,
        "category": raw.category,
        "window_text": raw.window_text,
        "start": _iso(window.start),
        "end": _iso(window.end),
        "deadline": window.open_start,
        "ongoing": window.ongoing,
        "recurring": window.recurring,
        "lead_units": lead_names,
        "partner_units": [m.name for m in partners if m.name not in lead_names],
        "targets": [t.as_dict() for t in extract_targets(raw.body)],
        "milestones": [{"title": text, "due": due.isoformat()} for text, due in window.milestones]
        + [{"title": t, "due": None} for t in extract_milestones(raw.body)],
    }
