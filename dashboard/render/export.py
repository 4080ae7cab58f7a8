"""Export helpers: DataFrames to CSV / Excel bytes, charts to PNG bytes. Pure, no Streamlit.

* CSV is UTF-8 *with* a BOM so Excel on Windows opens Chinese correctly.
* Headers become Chinese through ``labels.COLUMN_LABELS``; codes of statuses, event types and
  roles become their labels; list columns are joined with ``、``.
* Excel cannot hold time zones: zone-aware datetimes are converted to Asia/Shanghai, then naive.
* No text cell is ever a live formula (OWASP's CSV-injection advice): in CSV a text that starts
  with ``= + - @``, a tab or a carriage return gets a leading ``'``; in Excel every text cell is
  stored as text, never as a formula, so a note ``=HYPERLINK(…)`` opens as the words written, and
  such a cell carries Excel's quote prefix, so editing it (F2, Enter) keeps it text.
* PNG goes through vl-convert, which bundles only a Latin font: a CJK font directory found on the
  machine is registered once (fonts-noto-cjk on Debian/Ubuntu), else a warning is logged and
  Chinese renders as boxes.
"""

from __future__ import annotations

import io
import logging
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.render import labels as L

log = logging.getLogger(__name__)

DISPLAY_TZ = "Asia/Shanghai"
LIST_SEPARATOR = "、"
FONT_DIRECTORIES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/wqy",
    "/usr/share/fonts/opentype/source-han-sans",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)
# File names of fonts that carry the CJK ideographs.
_CJK_FONT = re.compile(r"(cjk|wqy|wenquanyi|sourcehan|source-han|notosanssc|notoserifsc|simhei|simsun|msyh|"
                       r"yahei|pingfang|hiragino|droidsansfallback|arphic|uming|ukai)", re.IGNORECASE)
_VALUE_LABELS = {"status": L.STATUS_LABELS, "reason": L.REASON_LABELS, "type": L.EVENT_TYPE_LABELS,
                 "role": L.ROLE_LABELS}

# Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_font_lock = threading.Lock()
_font_state: dict[str, Any] = {"done": False, "directory": None}


# -- tables ---------------------------------------------------------------------------------------

def _is_listlike(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, frozenset)) or (
        hasattr(value, "__array__") and not isinstance(value, (str, bytes)) and getattr(value, "ndim", 0) == 1)


def _join(value: Any) -> Any:
    if _is_listlike(value):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, prefixed with ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _date_only(series: pd.Series) -> bool:
    """True when every value of a naive datetime column is at midnight (a business date)."""
    present = series.dropna()
    return bool(len(present)) and bool((present == present.dt.normalize()).all())


def prepare(df: pd.DataFrame, *, headers: bool = True, translate: bool = True, for_excel: bool = False) -> pd.DataFrame:
    """The frame as a person reads it: Chinese headers and codes, joined lists, local times.

    For CSV dates become ``YYYY-MM-DD`` text (times ``YYYY-MM-DD HH:MM:SS``); for Excel they stay
    datetimes (naive, Asia/Shanghai) so Excel can sort and filter them.
    """
    out = pd.DataFrame(index=df.index)
    for column in df.columns:
        series = df[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            series = series.dt.tz_convert(DISPLAY_TZ).dt.tz_localize(None)
            if not for_excel:
                series = series.dt.strftime("%Y-%m-%d %H:%M:%S")
        elif pd.api.types.is_datetime64_any_dtype(series.dtype):
            if not for_excel:
                series = series.dt.strftime("%Y-%m-%d" if _date_only(series) else "%Y-%m-%d %H:%M:%S")
        elif pd.api.types.is_float_dtype(series.dtype):
            whole = series.dropna()
            if len(whole) and (whole == whole.round()).all():  # 序号 9 and 进度 40, never 9.0 / 40.0
                series = series.round().astype("Int64")
        elif series.dtype == object:
            if series.map(_is_listlike).any():
                series = series.map(_join)
            else:
                series = series.map(lambda v: v.tz_convert(DISPLAY_TZ).tz_localize(None)
                                    if isinstance(v, pd.Timestamp) and v.tzinfo is not None else v)
        if translate and column in _VALUE_LABELS:
            series = series.map(lambda v, m=_VALUE_LABELS[column]: m.get(v, v) if isinstance(v, str) else v)
        if not for_excel and (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
            series = series.map(neutralise)
        out[column] = series
    if headers:
        out.columns = [L.COLUMN_LABELS.get(str(c), str(c)) for c in df.columns]
    return out


def csv_bytes(df: pd.DataFrame, *, headers: bool = True, translate: bool = True) -> bytes:
    """CSV as UTF-8 with BOM (Excel opens Chinese correctly); read back with ``encoding='utf-8-sig'``."""
    text = prepare(df, headers=headers, translate=translate).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def sheet_title(name: str) -> str:
    """A valid Excel sheet name: no ``[]:*?/\\``, at most 31 characters, not empty."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", str(name or "")).strip("'")[:31]
    return cleaned or L.TEXT["sheet"]


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def xlsx_bytes(df: pd.DataFrame, sheet_name: str | None = None, *, headers: bool = True,
               translate: bool = True) -> bytes:
    """One sheet of Excel (openpyxl), header row frozen, columns sized to their content."""
    frame = prepare(df, headers=headers, translate=translate, for_excel=True)
    name = sheet_title(sheet_name or L.TEXT["sheet"])
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=name, index=False)
        sheet = writer.sheets[name]
        sheet.freeze_panes = "A2"
        for row in sheet.iter_rows():
            for cell in row:  # openpyxl makes every text starting with "=" a formula: keep it text
                if cell.data_type == "f":
                    cell.data_type = "s"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    cell.quotePrefix = True   # and it stays text when someone edits the cell and presses Enter
        from openpyxl.utils import get_column_letter
        for i, column in enumerate(frame.columns, start=1):
            sample = [column, *frame[column].head(200).tolist()]
            width = min(60, max(6, max(_display_width(v) for v in sample) + 2))
            sheet.column_dimensions[get_column_letter(i)].width = width
            if pd.api.types.is_datetime64_any_dtype(frame[column].dtype):
                fmt = "yyyy-mm-dd" if _date_only(frame[column]) else "yyyy-mm-dd hh:mm:ss"
                for cell in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell[0].number_format = fmt
    return buffer.getvalue()


# -- charts ---------------------------------------------------------------------------------------

def _has_cjk_font(directory: Path) -> bool:
    try:
        for _root, _dirs, files in os.walk(directory):
            if any(_CJK_FONT.search(f) and f.lower().endswith((".ttf", ".otf", ".ttc", ".otc")) for f in files):
                return True
    except OSError:
        return False
    return False


def find_cjk_font_directory(candidates: Iterable[str] | None = None) -> str | None:
    """The first directory (searched recursively) holding a CJK font file, or None.

    ``DUBAN_CJK_FONT_DIR`` in the environment comes first when set.
    """
    ordered = [os.environ["DUBAN_CJK_FONT_DIR"]] if os.environ.get("DUBAN_CJK_FONT_DIR") else []
    ordered += list(candidates if candidates is not None else FONT_DIRECTORIES)
    for candidate in ordered:
        path = Path(candidate)
        if path.is_dir() and _has_cjk_font(path):
            return str(path)
    return None


def register_cjk_font() -> str | None:
    """Register a CJK font directory with vl-convert once per process; returns it (None if none)."""
    with _font_lock:
        if _font_state["done"]:
            return _font_state["directory"]
        import vl_convert as vlc

        directory = find_cjk_font_directory()
        if directory is None:
            log.warning("No CJK font found (looked in %s): Chinese in exported PNGs will render as boxes. "
                        "Install fonts-noto-cjk or set DUBAN_CJK_FONT_DIR.", ", ".join(FONT_DIRECTORIES))
        else:
            try:
                vlc.register_font_directory(directory)
            except Exception:  # a broken font file must not stop the export
                log.warning("Could not register the font directory %s with vl-convert", directory, exc_info=True)
                directory = None
        _font_state.update(done=True, directory=directory)
        return directory


def png_bytes(chart: Any, scale: float = 2) -> bytes:
    """The chart (an Altair chart or a Vega-Lite dict) as PNG, with Chinese glyphs when a CJK font exists."""
    import vl_convert as vlc

    register_cjk_font()
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    return vlc.vegalite_to_png(spec, scale=scale)
