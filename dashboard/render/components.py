"""Page building blocks: a table with its CSV/Excel downloads, a chart with its PNG download.

Every table and chart of the board goes through these two, so every one of them can be
exported the same way.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.render import export
from dashboard.render.labels import column_label, ui

# Every ASCII punctuation character: CommonMark lets each be escaped, and escaping all of them
# also stops GFM's bare-URL links (``http\://``, ``www\.``) and Streamlit's ``:color[…]`` directives.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: object) -> str:
    """Escape markdown so text from a user or a document is shown as written, never rendered:
    no image that makes every viewer's browser fetch an address, no link, no heading."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def table(frame: pd.DataFrame, name: str, *, columns: list[str] | None = None, height: int | None = None) -> None:
    """Show a frame with Chinese headers and offer it as CSV (UTF-8 with BOM) and Excel."""
    shown = frame[columns] if columns else frame
    display = shown.copy()
    for column in display.columns:
        values = display[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            # Business dates read as dates; recorded times in Beijing time, to the second.
            display[column] = (values.dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m-%d %H:%M:%S")
                               if values.dt.tz is not None else values.dt.strftime("%Y-%m-%d"))
        elif values.map(lambda v: isinstance(v, (list, tuple))).any():
            display[column] = display[column].map(lambda v: "、".join(v) if isinstance(v, (list, tuple)) else v)
    display = display.rename(columns={c: column_label(c) for c in display.columns})
    st.dataframe(display, hide_index=True, width="stretch", **({"height": height} if height else {}))
    left, right, _ = st.columns([1, 1, 6])
    left.download_button(ui("download_csv"), lambda: export.csv_bytes(shown), file_name=f"{name}.csv",
                         mime="text/csv", key=f"csv-{name}", on_click="ignore")
    right.download_button(ui("download_xlsx"), lambda: export.xlsx_bytes(shown, name[:31]), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"xlsx-{name}", on_click="ignore")


def chart(spec: alt.TopLevelMixin, name: str) -> None:
    """Show a chart and offer it as PNG, rendered on the server with a CJK font."""
    st.altair_chart(spec, width="stretch")
    st.download_button(ui("download_png"), lambda: export.png_bytes(spec), file_name=f"{name}.png",
                       mime="image/png", key=f"png-{name}", on_click="ignore")
