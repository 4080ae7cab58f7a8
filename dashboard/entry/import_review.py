"""The review step of 导入: a parse as an editable table, and the edited table back into a parse.

Pure (no Streamlit): the 导入 page shows ``review_frame`` in ``st.data_editor`` and hands the
edited frame to ``reviewed_parse``, which checks it with ``seed.review`` (the same checks as
``seed import plan.json``) and records which fields the person changed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from dashboard.render.labels import column_label, ui
from seed.fields.mentions import looks_like_group, split_names
from seed.review import check_reviewed, edited_fields

__all__ = ["EDITABLE", "NOTE", "review_frame", "reviewed_parse"]

EDITABLE = ("title", "window_text", "start", "end", "lead_units", "partner_units", "targets")
NOTE = "review_note"
_TARGET = re.compile(r"^(?P<label>.*?)\s*(?P<quantity>\d+(?:\.\d+)?)\s*(?P<unit>\S{0,6})$")


def _label(column: str) -> str:
    return ui("import_col_targets") if column == "targets" else ui("import_col_note") if column == NOTE \
        else column_label(column)


def _targets_text(targets: list[dict]) -> str:
    return "；".join(f"{t['label']} {t['quantity']}{t.get('unit', '')}" for t in targets)


def _notes(parsed: dict, registry: Any | None) -> dict[int, list[str]]:
    """Each activity's warnings, and its unregistered units with the closest registered name."""
    notes: dict[int, list[str]] = {}
    for act in parsed.get("activities", []):
        lines = [w for w in parsed.get("warnings", []) if w.startswith(f"活动{act['seq']}「")]
        if registry is not None:
            for name in [*act.get("lead_units", []), *act.get("partner_units", [])]:
                if registry.canonical(name) is None and looks_like_group(name):
                    lines.append(ui("import_unregistered_group").format(name=name))
                elif registry.canonical(name) is None:
                    near = registry.closest(name)
                    lines.append(ui("import_unknown_unit").format(name=name, near=near or ui("import_none")))
        notes[act["seq"]] = lines
    return notes


def review_frame(parsed: dict, registry: Any | None = None) -> pd.DataFrame:
    """One row per activity with Chinese headers: what the parser read, and what to check."""
    notes = _notes(parsed, registry)
    rows = []
    for act in parsed.get("activities", []):
        rows.append({
            "seq": act["seq"], "title": act.get("title", ""), "window_text": act.get("window_text") or "",
            "start": dt.date.fromisoformat(act["start"]) if act.get("start") else None,
            "end": dt.date.fromisoformat(act["end"]) if act.get("end") else None,
            "lead_units": "、".join(act.get("lead_units", [])),
            "partner_units": "、".join(act.get("partner_units", [])),
            "targets": _targets_text(act.get("targets", [])), NOTE: "；".join(notes.get(act["seq"], [])),
        })
    frame = pd.DataFrame(rows, columns=["seq", *EDITABLE, NOTE])
    return frame.rename(columns={c: _label(c) for c in frame.columns})


def _parse_targets(text: str, before: list[dict]) -> list[dict]:
    """'奖状 10个；增长 6.2%' -> targets; a rate keeps its flag, a reading that fails is an error."""
    rates = {t["label"] for t in before if t.get("rate")}
    out = []
    for piece in re.split(r"[；;\n]", text or ""):
        piece = piece.strip()
        if not piece:
            continue
        m = _TARGET.match(piece)
        if not m or not m["label"].strip():
            raise ValueError(ui("import_bad_target").format(text=piece))
        number = float(m["quantity"])
        target = {"label": m["label"].strip(), "quantity": int(number) if number.is_integer() else number,
                  "unit": m["unit"]}
        if target["label"] in rates or target["unit"] == "%":
            target["rate"] = True
        out.append(target)
    return out


def _day(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value).isoformat()
    return pd.Timestamp(value).date().isoformat()


def reviewed_parse(parsed: dict, edited: pd.DataFrame, reviewer: str) -> dict:
    """The parse as the person corrected it, checked, with ``review`` = who and which fields.

    Raises ``seed.errors.PlanParseError`` (or ValueError for a target) with a Chinese message.
    """
    back = edited.rename(columns={_label(c): c for c in ["seq", *EDITABLE, NOTE]})
    by_seq = {int(row["seq"]): row for row in back.to_dict("records")}
    activities = []
    for act in parsed["activities"]:
        row = by_seq.get(act["seq"])
        if row is None:
            continue
        activities.append({
            **act, "title": str(row["title"] or "").strip(), "window_text": str(row["window_text"] or ""),
            "start": _day(row["start"]), "end": _day(row["end"]),
            "lead_units": split_names(str(row["lead_units"] or "")),
            "partner_units": split_names(str(row["partner_units"] or "")),
            "targets": _parse_targets(str(row["targets"] or ""), act.get("targets", [])),
        })
    reviewed = check_reviewed({**parsed, "activities": activities})
    reviewed["review"] = {"by": reviewer, "edited": edited_fields(parsed, reviewed)}
    return reviewed
