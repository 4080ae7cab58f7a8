"""Page building blocks: a table with its CSV/Excel downloads, a chart with its PNG download.

Every table and chart of the board goes through these two, so every one of them is exported,
coloured and sized the same way. On the projector (``?present=1``) a table is drawn as a static
HTML table (its type follows the projector's CSS, a canvas grid's does not), without downloads.
"""

from __future__ import annotations

import datetime as dt
import re

import altair as alt
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard.render import chart_cache, export, table_cache
from dashboard.render.labels import (STATUS_COLORS, STATUS_LABELS, STATUS_TEXT_COLORS, column_label, export_name,
                                     export_title, ui)

# Every ASCII punctuation character: CommonMark lets each be escaped, which stops images, links,
# headings and Streamlit's ``:color[…]`` directives.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# GFM's bare-URL and e-mail links are found in the text *after* escapes are read (Chromium showed
# ``http\://…`` still linked), so a zero-width space goes where the pattern needs adjacent characters.
_AUTOLINK = re.compile(r"(?i)(://|www(?=\.)|@)")
ZERO_WIDTH_SPACE = "\u200b"
_STATUS_BY_LABEL = {label: code for code, label in STATUS_LABELS.items()}


def plain(text: object) -> str:
    """Escape markdown so text from a user or a document is shown as written, never rendered:
    no image that makes every viewer's browser fetch an address, no link, no heading."""
    broken = _AUTOLINK.sub(lambda m: m.group(1)[0] + ZERO_WIDTH_SPACE + m.group(1)[1:], str(text))
    return _MD_SPECIAL.sub(r"\\\1", broken)


def _projector() -> bool:
    from dashboard.board import present  # the frame's mode; imported late, present imports this module

    return present.is_on()


def _as_of() -> dt.date:
    from dashboard.board import filters

    return filters.current().as_of


def status_style(value: object) -> str:
    """The CSS of a status cell: the status colour behind, readable text on it (code or label)."""
    label = value.split("（")[0] if isinstance(value, str) else None   # 预警（进度滞后） is 预警
    code = _STATUS_BY_LABEL.get(label, label)
    if code not in STATUS_COLORS:
        return ""
    return f"background-color: {STATUS_COLORS[code]}; color: {STATUS_TEXT_COLORS[code]}; font-weight: bold"


def coloured(display: pd.DataFrame, status_columns: list[str]) -> Styler:
    """The display frame with its status cells in their colours. Only the coloured cells get an
    HTML id (``cell_ids=False``): Streamlit writes a display value back for every cell that has
    one, a column at a time, which was half the cost of drawing a styled table; the other cells'
    display values are their text, as before."""
    return Styler(display, cell_ids=False).map(status_style, subset=status_columns)


def choose_hint(options: object) -> str:
    """A select's placeholder in Chinese: Streamlit's own is "Choose an option" or, with no
    options, "No options to select"; one placeholder replaces both, so it says which applies."""
    return ui("choose") if len(list(options)) else ui("no_choices")


def file_uploader(label: str, types: list[str], key: str, limit_mb: int) -> object:
    """A file field in Chinese: Streamlit 1.67 has no parameter for its button ("Upload") or its
    line ("200MB per file • CSV, XLSX"), so CSS scoped to this field (``st-key-<key>``) puts
    Chinese words in their place; the size it states is the limit the widget enforces."""
    kinds = " 或 ".join(t.upper() for t in types)
    instructions = ui("upload_instructions").format(kinds=kinds, limit=limit_mb)
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    st.html(f"""<style>
{scope} button [data-testid='stMarkdownContainer'] p {{ font-size: 0; }}
{scope} button [data-testid='stMarkdownContainer'] p::after {{ content: "{ui('upload_button')}"; font-size: 0.875rem; }}
{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{ font-size: 0; }}
{scope} [data-testid='stFileUploaderDropzoneInstructions'] span::after {{ content: "{instructions}"; font-size: 0.875rem; }}
</style>""")
    return st.file_uploader(label, type=types, key=key, max_upload_size=limit_mb)


# Streamlit 1.67's date field commits a typed date only when focus moves to another element (a
# bare blur() is not enough); Enter does nothing. This fixed script (no user text in it) moves the
# focus to an invisible element on Enter, so the typed date applies at once.
_DATE_ENTER_JS = """<script>
if (!window.dubanDateEnter) {
  window.dubanDateEnter = true;
  const sink = document.createElement("span");
  sink.tabIndex = -1;
  sink.setAttribute("aria-hidden", "true");
  document.body.appendChild(sink);
  document.addEventListener("keydown", (event) => {
    const field = event.target.closest && event.target.closest('[data-testid="stDateInput"]');
    if (event.key === "Enter" && field) { event.preventDefault(); sink.focus(); }
  }, true);
}
</script>"""


def date_enter_applies() -> None:
    """Make Enter apply a typed date in every date field of the page (see ``_DATE_ENTER_JS``)."""
    st.html(_DATE_ENTER_JS, unsafe_allow_javascript=True, width="content")


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a reader sees it: dates as dates, lists joined, whole numbers without ``.0``,
    nothing shown as None/NaN/True/False."""
    display = frame.copy()
    for column in display.columns:
        values = display[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            # Business dates read as dates; recorded times in Beijing time, to the second.
            display[column] = (values.dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m-%d %H:%M:%S")
                               if values.dt.tz is not None else values.dt.strftime("%Y-%m-%d")).fillna("")
        elif pd.api.types.is_bool_dtype(values):
            display[column] = values.map({True: ui("yes"), False: ""})
        elif pd.api.types.is_numeric_dtype(values):
            display[column] = _numbers(values)
        else:
            display[column] = values.astype(object).map(
                lambda v: "、".join(map(str, v)) if isinstance(v, (list, tuple))
                else (ui("yes") if v else "") if isinstance(v, bool)
                else "" if pd.api.types.is_scalar(v) and pd.isna(v)
                else v.strftime("%Y-%m-%d") if isinstance(v, dt.date) else v)   # a date among blanks
    return display


def _numbers(values: pd.Series) -> pd.Series:
    """Whole numbers as integers; a column with gaps as text, because the grid draws a missing
    number as "None" (Streamlit 1.67 has no setting for it): ``120`` and a blank, never ``None``."""
    present = values.dropna()
    whole = bool((present == present.round()).all()) if len(present) else True
    if not values.isna().any():
        return values.round().astype("Int64") if whole and pd.api.types.is_float_dtype(values) else values
    return values.map(lambda v: "" if pd.isna(v) else str(int(round(v))) if whole else f"{v:g}")  # noqa: RUF046 - numpy floats round to floats


def shown_frame(frame: pd.DataFrame, projector: bool) -> tuple[pd.DataFrame, list[str]]:
    """The table as drawn — display text under Chinese headers, on the projector every cell escaped
    (it is HTML there) — and its status columns, which get their colours. Pure, so ``table`` keeps
    it per input (``table_cache``)."""
    display = display_frame(frame).rename(columns={c: column_label(c) for c in frame.columns})
    status_columns = [column_label(c) for c in frame.columns if c == "status"]
    if projector:
        display = display.map(lambda v: plain(v) if isinstance(v, str) else ("" if pd.isna(v) else v))
    return display, status_columns


def table(frame: pd.DataFrame, name: str, *, columns: list[str] | None = None, height: int | None = None) -> None:
    """Show a frame with Chinese headers, statuses in their colours, and offer it as CSV and Excel."""
    projector = _projector()
    t = table_cache.shown(shown_frame, frame, columns, projector)
    if projector:
        st.table(coloured(t.display, t.status_columns).hide(axis="index"), hide_index=True)
        return
    data = coloured(t.display, t.status_columns) if t.status_columns else t.arrow
    st.dataframe(data, hide_index=True, width="stretch", **({"height": height} if height else {}))
    stem = f"{export_name(name)}-{_as_of().isoformat()}"
    shown = t.frame
    left, right, _ = st.columns([1, 1, 6])
    left.download_button(ui("download_csv"), lambda: export.csv_bytes(shown), file_name=f"{stem}.csv",
                         mime="text/csv", key=f"csv-{name}", on_click="ignore")
    right.download_button(ui("download_xlsx"), lambda: export.xlsx_bytes(shown, stem), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"xlsx-{name}", on_click="ignore")


def export_spec(spec: alt.TopLevelMixin, name: str, title: list[str] | str | None = None) -> alt.TopLevelMixin:
    """The chart as its PNG is drawn: headed by ``title``, by default what it shows, the plan and the
    as-of date, so a picture pasted into a report still says what and when."""
    if title is None:
        from dashboard.board import filters

        plan = filters.current_plan()
        title = export_title(export_name(name), plan.title if plan else "", _as_of())
    return spec.properties(title=title)


def chart(spec: alt.TopLevelMixin, name: str, *, title: list[str] | str | None = None) -> None:
    """Show a chart and offer it as PNG (rendered on the server with a CJK font), titled for a file
    (``export_spec``): the title heads the exported picture, not the page's chart. The page draws the
    chart's Vega-Lite spec, converted once per cached chart (``chart_cache.vega_lite``), which is what
    ``st.altair_chart`` would convert on every rerun."""
    st.vega_lite_chart(chart_cache.vega_lite(spec), width="stretch")
    if _projector():
        return
    stem = f"{export_name(name)}-{_as_of().isoformat()}"
    st.download_button(ui("download_png"), lambda: export.png_bytes(export_spec(spec, name, title)),
                       file_name=f"{stem}.png", mime="image/png", key=f"png-{name}", on_click="ignore")
