"""导入: an admin uploads a plan document, checks the parse, and imports it (or its new version).

Parsing touches no store; only the 导入 button appends, through ``seed.importer.import_plan``,
whose event ids come from the plan and the document, so a second import of the same file appends
nothing and a changed version appends only its revisions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandas as pd
import streamlit as st

from dashboard.access import auth, session
from dashboard.board import data, views
from dashboard.entry import values as entry
from dashboard.entry.import_review import review_frame, reviewed_parse
from dashboard.entry.register_units import register_form
from dashboard.render import components
from dashboard.render.labels import column_label, date_label, ui
from seed.importer import derive_plan_id, import_plan, overrides
from seed.labels import FIELD_NAMES
from seed.parser import PlanParseError, parse_document
from seed.structure.tables import ROLE_NAMES
from seed.units import Registry

MAX_MB = 2
MAX_BYTES = MAX_MB * 1024 * 1024
FLASH_KEY = "duban_import_flash"


@st.cache_data(show_spinner=False, max_entries=16)
def _parse(content: bytes, filename: str, year: int | None, columns: str, _registry: Registry,
           registry_at: int) -> dict:
    """The parse of a document (pure, so kept per content, name, year, chosen columns and the
    registry's log position: a unit registered on this page names units in the next parse)."""
    return parse_document(content, year=year, filename=filename, columns=json.loads(columns) if columns else None,
                          registry=_registry)


def _chosen_columns(parsed: dict) -> str:
    """Select boxes over the header of each table whose columns could not be told apart."""
    unknown = [t for t in parsed.get("tables", []) if t.get("unknown")]
    if not unknown:
        return ""
    st.warning(ui("import_columns_help"))
    chosen: list[dict[str, int] | None] = []
    for index, table in enumerate(parsed["tables"]):
        if not table.get("unknown"):
            chosen.append(None)
            continue
        options = [None, *range(len(table["header"]))]
        cols = st.columns(4)
        picked = {}
        for col, role in zip(cols, ("task", "lead", "partner", "window")):
            value = col.selectbox(ROLE_NAMES[role], options, key=f"import_col_{index}_{role}",
                                  placeholder=ui("choose"),
                                  format_func=lambda i, h=table["header"]: ui("import_column_none") if i is None
                                  else f"{i + 1}：{h[i]}")
            if value is not None:
                picked[role] = value
        chosen.append(picked if "task" in picked else None)
    return json.dumps(chosen) if any(chosen) else ""


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {components.plain(line)}" for line in lines)


def _overrides(parsed: dict, edited: object, plan_id: str) -> None:
    """Before the person confirms: each field the document changes that was also revised in the app,
    the document's new value beside the app's current one (the import will take the document's)."""
    try:
        candidate = reviewed_parse(parsed, edited, "")
    except (PlanParseError, ValueError):   # the review table is refused at the button, with its reason
        candidate = parsed
    found = overrides(data.store(), candidate, plan_id)
    if not found:
        return
    st.warning(ui("import_overrides").format(count=len(found)))
    components.table(pd.DataFrame([{"seq": o.seq, "field": FIELD_NAMES.get(o.field, o.field),
                                    "doc_value": o.doc_value, "app_value": o.app_value} for o in found]),
                     "import-overrides")


st.title(ui("import_title"))
account = session.current()
allowed = auth.can_admin(account)
if not allowed:
    st.warning(components.plain(allowed.reason))
    st.stop()

st.caption(ui("import_help").format(limit=MAX_MB))
left, right = st.columns([3, 1])
with left:
    uploaded = components.file_uploader(ui("import_file"), ["md", "txt", "docx"], "import_file", MAX_MB)
year = right.number_input(ui("import_year"), min_value=2000, max_value=2099, value=None, step=1,
                          key="import_year")
if uploaded is None:
    st.info(ui("import_waiting"))
    st.stop()

content = uploaded.getvalue()
if len(content) > MAX_BYTES:
    st.error(ui("import_too_large").format(limit=MAX_MB))
    st.stop()
plan_year = int(year) if year is not None else None
registry, registry_at = data.registry(), data.board().projector.position
try:
    parsed = _parse(content, uploaded.name, plan_year, "", registry, registry_at)
    columns = _chosen_columns(parsed)
    if columns:
        parsed = _parse(content, uploaded.name, plan_year, columns, registry, registry_at)
except PlanParseError as exc:
    st.error(ui("import_unreadable").format(reason=components.plain(str(exc))))
    st.stop()
except Exception:  # a file the parser did not foresee: say so, write nothing
    st.error(ui("import_unreadable_generic"))
    st.stop()
if not parsed["activities"]:
    st.stop()

sha256 = hashlib.sha256(content).hexdigest()
plan = parsed["plan"]
plan_id = derive_plan_id(plan)
existed = plan_id in {p.plan_id for p in data.plans()}

st.subheader(ui("import_preview"))
facts = [
    (ui("import_plan_title"), plan.get("title")),
    (ui("import_issuer"), plan.get("issuer")),
    (ui("import_doc_no"), plan.get("doc_no")),
    (ui("import_year_label"), plan.get("year")),
    (ui("import_period"), " — ".join(date_label(_day(plan.get(end)), with_year=True) for end in ("start", "end"))),
    (ui("import_plan_id"), plan_id),
]
st.markdown("\n".join(f"- **{name}**：{components.plain(str(value)) if value not in (None, '') else ui('import_none')}"
                      for name, value in facts))
flashes = st.session_state.pop(FLASH_KEY, [])  # what the last import did: shown next to its button
if not flashes:
    st.caption(ui("import_exists").format(plan_id=plan_id) if existed else ui("import_is_new"))

frame = review_frame(parsed, registry)
st.markdown(f"**{ui('import_activity_count').format(count=len(frame))}**")
st.caption(ui("import_review_help"))
locked = [column_label("seq"), ui("import_col_note")]
edited = st.data_editor(
    frame, hide_index=True, width="stretch", num_rows="fixed", disabled=locked, key="import_review",
    column_config={column_label("start"): st.column_config.DateColumn(format="YYYY-MM-DD"),
                   column_label("end"): st.column_config.DateColumn(format="YYYY-MM-DD")},
)

register_form(parsed, registry, auth.actor_of(account))
warnings = list(parsed.get("warnings") or [])
if warnings:
    st.warning(ui("import_warnings").format(count=len(warnings)) + "\n\n" + _bullets(warnings))
else:
    st.caption(ui("import_no_warnings"))

if existed:
    _overrides(parsed, edited, plan_id)
clicked = st.button(ui("import_button"), type="primary", key="import_submit")
for kind, message in flashes:
    (st.success if kind == "success" else st.warning)(message)
if clicked:
    try:
        reviewed = reviewed_parse(parsed, edited, auth.actor_of(account))
    except (PlanParseError, ValueError) as exc:
        st.error(ui("import_review_invalid").format(reason=components.plain(str(exc))))
        st.stop()
    try:
        result = import_plan(data.store(), reviewed, source=uploaded.name, sha256=sha256, actor=auth.actor_of(account))
    except Exception as exc:  # the store's refusal, in the user's words; the batch is all or nothing
        st.error(components.plain(entry.explain(exc).message))
        st.stop()
    data.board().refresh()
    outcome = views.import_outcome(result, existed)
    if outcome == "new":
        message = ui("import_done_new").format(plan_id=result.plan_id, count=result.planned, appended=result.appended)
    elif outcome == "revised":
        message = ui("import_done_revised").format(
            plan_id=result.plan_id, seqs="、".join(map(str, result.revised)) or ui("import_none"),
            planned=result.planned, appended=result.appended)
        if result.reporting:
            message += ui("import_cycle_changed").format(cycle=result.reporting)
    else:
        message = ui("import_done_same").format(plan_id=result.plan_id)
    done = [("success", message)]
    if result.warnings:
        done.append(("warning", _bullets(result.warnings)))
    st.session_state[FLASH_KEY] = done
    st.rerun()  # the frame draws the plan selector again, now with the new plan
