"""Completion windows (完成时限) -> calendar dates.

Notices word the same window a dozen ways (全年, 4—12月, 6月底前, 第三季度, 五一期间,
6月中旬至7月下旬 …).  The board needs dates, but a wrong date is worse than none: text this
module cannot read comes back with ``start``/``end`` set to ``None`` and a Chinese ``problem``,
so the importer keeps the activity and warns instead of guessing.

Reading rules a reviewer should know:
- a bare period followed by 前 means *before* that period: ``3月前`` ends on the last day of
  February; a specific point followed by 前 means *by* it: ``3月底前`` / ``3月15日前`` /
  ``3月中旬前`` end on Mar 31 / Mar 15 / Mar 20; quarters and half years with 前 mean *by their
  end* (``上半年前完成`` ends Jun 30 — "before January" would be nonsense);
- deadlines (…前, 年内, 年底, a bare ``6月底``) have no start of their own (``open_start``):
  the parser gives them the plan's start once every window is read;
- 上旬/中旬/下旬 are days 1–10, 11–20, 21–end; 月初 = 上旬, 月中 = 中旬;
- 元旦, 春节, 五一, 端午, 中秋 and 国庆 are the official days off of that year (``seed.fields.festivals``:
  the announced arrangements, else the statutory calendar), e.g. 五一 2022 is Apr 30–May 4.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from seed.fields.festivals import festival_days
from seed.fields.numbers import chinese_to_int
from seed.fields.reporting import parse_cycle

__all__ = ["Window", "parse_window"]


@dataclass(frozen=True)
class Window:
    """A read window: dates, or the reason it could not be read.

    ``open_start`` marks a deadline: ``start`` is None until the parser fills in the plan's start.
    ``ongoing`` (长期坚持, 常态化) and ``recurring`` (每月10日前: a reporting cycle, see
    ``seed.fields.reporting``) have no dates of their own: the parser gives them the plan's period.
    ``milestones`` are the earlier deadlines of a window that names several (4月底前开工 /
    11月底前完工 ends at the last; 4月底前开工 is a milestone due Apr 30).
    """

    text: str
    start: date | None = None
    end: date | None = None
    open_start: bool = False
    problem: str | None = None
    ongoing: bool = False
    recurring: dict | None = None
    milestones: tuple[tuple[str, date], ...] = ()

    @property
    def ok(self) -> bool:
        """True when the text was read (a deadline counts, though its start is still open)."""
        return self.problem is None and self.end is not None


@dataclass(frozen=True)
class _Span:
    """An interval under construction; ``year``/``month`` carry context to the next segment."""

    start: date | None
    end: date
    year: int
    month: int | None = None
    open_start: bool = False


class _Unreadable(Exception):
    """Raised inside the module when a piece of text has a definite problem (e.g. no table entry)."""


# Spellings -> the festival they name; "两节" is 元旦 and 春节 together.
_HOLIDAY_NAMES: dict[str, tuple[str, ...]] = {
    "元旦": ("元旦",), "春节": ("春节",), "五一": ("五一",), "劳动节": ("五一",),
    "端午": ("端午",), "中秋": ("中秋",), "国庆": ("国庆",), "十一": ("国庆",),
    "两节": ("元旦", "春节"), "元旦春节": ("元旦", "春节"),
}
_HOLIDAY_RE = re.compile("|".join(sorted(map(re.escape, _HOLIDAY_NAMES), key=len, reverse=True)))
_HOLIDAY_DECOR = re.compile(r"国际劳动节|劳动节|节日|黄金周|小长假|假期|期间|前后|节|[、和及与]")

_WHOLE_YEAR = {
    "全年", "全年度", "贯穿全年", "全年持续", "年度", "本年度", "今年", "全年开展", "全年推进",
}
# The plan's whole period, marked ongoing: never overdue by the calendar.
_ONGOING = re.compile(r"^(?:长期|持续|常态化|常年|全年常态化|全年持续|久久为功|一以贯之)"
                      r"(?:坚持|推进|开展|实施|落实|抓好|化)*(?:推进|开展)?$")
# What happens by the date (6月底前开工, 10月建成投用): the date is the end.
_DEED = re.compile(
    r"^(?P<when>.*?(?:\d日|\d月份?|[前底末]|上旬|中旬|下旬|季度|半年|年内|\d{4}年))"
    r"(?P<deed>(?![前底末旬内初中上下份半季度年月日])[\u4e00-\u9fff]{1,8})$"
)
_NOT_DEEDS = re.compile(r"^(?:前|后|前后|期间|以内|内|左右|起|份|中|初|底|末)$")

_FULLWIDTH = str.maketrans("０１２３４５６７８９．／", "0123456789./")
_DASH_CHARS = "—–-~～〜－‐‑‒―﹣"


def _cn_number_to_digits(match: re.Match[str]) -> str:
    value = chinese_to_int(match.group(1))
    return str(value) if value is not None else match.group(0)


def _normalise(text: str) -> str:
    """Reduce the many spellings to one: ASCII digits, '~' for every dash, no decoration."""
    s = text.translate(_FULLWIDTH)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[“”\"'‘’《》。．]", "", s)
    s = re.sub(r"[（(][^（）()]*[）)]", "", s)  # notes such as （持续开展）
    s = s.replace("元月", "1月").replace("号", "日")
    s = re.sub(r"([零〇一二两三四五六七八九十]+)(?=月|日)", _cn_number_to_digits, s)
    s = re.sub(r"(\d{4})-(\d{1,2})-(\d{1,2})", r"\1年\2月\3日", s)
    s = re.sub(r"(\d{4})[./](\d{1,2})[./](\d{1,2})", r"\1年\2月\3日", s)
    s = re.sub(r"(\d{4})[./](\d{1,2})(?!\d)", r"\1年\2月", s)
    s = re.sub(r"^(?:截至|截止到|截止|到)(.+?)(?:止|为止)?$", r"\1前", s)
    s = re.sub(r"(?:为止|止)$", "前", s)
    s = re.sub(r"(?:之前|以前)", "前", s)
    s = re.sub(r"(?:开始|起始)$", "起", s)
    s = re.sub(r"^(?:自|从)", "", s)
    s = re.sub(r"(?:完成|结束|启动|开展|举办|举行|实施|进行|部署)", "", s)
    s = s.replace("至", "~").replace("到", "~")
    for ch in _DASH_CHARS:
        s = s.replace(ch, "~")
    s = re.sub(r"~+", "~", s)
    s = s.replace("年年", "年")
    return s.strip("，,；;、")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_span(year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise ValueError(month)
    return date(year, month, 1), date(year, month, _last_day(year, month))


_XUN = {"上旬": (1, 10), "初": (1, 10), "中旬": (11, 20), "中": (11, 20), "下旬": (21, 31)}
_POINT = re.compile(
    r"^(?:(?P<y>\d{4})年)?"
    r"(?:(?P<m>\d{1,2})月份?)?"
    r"(?:(?P<d>\d{1,2})日|(?P<x>上旬|中旬|下旬|初|中)|(?P<edge>底|末))?$"
)


def _point(s: str, year: int, month: int | None) -> tuple[_Span, str]:
    """Read one point of time; returns the span it covers and its kind.

    kinds: year, month, xun, day, edge (月底/年底: a deadline when it stands alone).
    """
    m = re.fullmatch(r"(?:(\d{4})年|年)(底|末|内|终)", s)
    if m:
        y = int(m.group(1)) if m.group(1) else year
        end = date(y, 12, 31)
        return _Span(None, end, y, 12, open_start=True), "edge"
    m = _POINT.fullmatch(s)
    if not m or not s:
        raise ValueError(s)
    y = int(m["y"]) if m["y"] else year
    if m["m"] is None:
        if m["d"] is not None and month is not None:
            day = date(y, month, int(m["d"]))
            return _Span(day, day, y, month), "day"
        if m["y"] and not (m["d"] or m["x"] or m["edge"]):
            return _Span(date(y, 1, 1), date(y, 12, 31), y), "year"
        raise ValueError(s)
    mon = int(m["m"])
    first, last = _month_span(y, mon)
    if m["d"]:
        day = date(y, mon, int(m["d"]))
        return _Span(day, day, y, mon), "day"
    if m["x"]:
        lo, hi = _XUN[m["x"]]
        return _Span(date(y, mon, lo), date(y, mon, min(hi, last.day)), y, mon), "xun"
    if m["edge"]:
        return _Span(None, last, y, mon, open_start=True), "edge"
    return _Span(first, last, y, mon), "month"


_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"^(?:(\d{4})年)?((?:第?[一二三四1-4][、，,和及~]?)+)季度(末|底)?(前)?$")
_HALF = re.compile(r"^(?:(\d{4})年)?(上半年|下半年)(末|底)?(前)?$")


def _period(s: str, year: int) -> _Span | None:
    """Quarters and half years: 第三季度, 一季度, 第一、二季度, 二至三季度, 上半年 (+末/前)."""
    m = _QUARTER.fullmatch(s)
    if m:
        y = int(m.group(1)) if m.group(1) else year
        qs = [_CN_QUARTER[c] for c in re.findall(r"[一二三四1-4]", m.group(2))]
        start = date(y, 3 * min(qs) - 2, 1)
        end = date(y, 3 * max(qs), _last_day(y, 3 * max(qs)))
        deadline = bool(m.group(3) or m.group(4))
        return _Span(None if deadline else start, end, y, open_start=deadline)
    m = _HALF.fullmatch(s)
    if m:
        y = int(m.group(1)) if m.group(1) else year
        first = m.group(2) == "上半年"
        start, end = (date(y, 1, 1), date(y, 6, 30)) if first else (date(y, 7, 1), date(y, 12, 31))
        deadline = bool(m.group(3) or m.group(4))
        return _Span(None if deadline else start, end, y, open_start=deadline)
    return None


def _holiday_window(name: str, year: int) -> tuple[date, date]:
    return festival_days(name, year)


def _holiday(s: str, year: int) -> _Span | None:
    """五一期间, “两节”期间, 春节前 … — only when the text is nothing but holidays."""
    m = re.fullmatch(r"(?:(\d{4})年)?(.+?)(前)?", s)
    if not m or not _HOLIDAY_RE.search(m.group(2)):
        return None
    rest = _HOLIDAY_DECOR.sub("", _HOLIDAY_RE.sub("", m.group(2)))
    if rest:
        return None
    y = int(m.group(1)) if m.group(1) else year
    names = [n for hit in _HOLIDAY_RE.findall(m.group(2)) for n in _HOLIDAY_NAMES[hit]]
    if "十一" in _HOLIDAY_RE.findall(m.group(2)) and "期间" not in s and "黄金周" not in s:
        return None  # a bare 十一 is more likely a number than National Day
    spans = [_holiday_window(n, y) for n in names]
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    if m.group(3):
        return _Span(None, start - timedelta(days=1), y, open_start=True)
    return _Span(start, end, y)


def _range(s: str, year: int, month: int | None) -> _Span:
    """'A~B' where B may lend its unit to A (4~12月) and A its year/month to B (10月8日~9日)."""
    left, right = s.split("~")
    if re.fullmatch(r"\d{1,2}", left) and re.match(r"^(?:\d{4}年)?\d{1,2}月", right):
        left += "月"
    elif re.fullmatch(r".*月\d{1,2}", left) and re.fullmatch(r"\d{1,2}日", right):
        left += "日"
    lspan = _period(left, year) or _holiday(left, year)
    if lspan is None:
        lspan, _ = _point(left, year, month)
    ryear = lspan.year
    right = re.sub(r"^(?:次年|翌年|明年|第二年)", f"{ryear + 1}年", right)
    rspan = _period(right, ryear) or _holiday(right, ryear)
    if rspan is None:
        rspan, _ = _point(right, ryear, lspan.month)
    start = lspan.start
    if start is None:
        raise ValueError(s)  # a range cannot start at a deadline
    if rspan.end < start:
        raise ValueError(s)
    return _Span(start, rspan.end, rspan.year, rspan.month)


def _expr(s: str, year: int, month: int | None) -> _Span:
    """Read one segment (no commas); raise ValueError when it is not a window."""
    if s in _WHOLE_YEAR or re.fullmatch(r"\d{4}年(?:度|全年|全年度)", s):
        y = int(s[:4]) if s[:4].isdigit() else year
        return _Span(date(y, 1, 1), date(y, 12, 31), y)
    if s.startswith("每") or re.fullmatch(r"(?:\d{4}年)?每.*", s):
        return _Span(date(year, 1, 1), date(year, 12, 31), year)
    if _ONGOING.fullmatch(s):
        return _Span(date(year, 1, 1), date(year, 12, 31), year)
    period = _period(s, year)
    if period:
        return period
    holiday = _holiday(s, year)
    if holiday:
        return holiday
    if s.endswith("起") and len(s) > 1:
        span, _ = _point(s[:-1], year, month)
        if span.start is None:
            raise ValueError(s)
        return _Span(span.start, date(span.year, 12, 31), span.year, span.month)
    if "~" in s:
        if s.count("~") != 1:
            raise ValueError(s)
        return _range(s, year, month)
    if s.endswith("前") and len(s) > 1:
        span, kind = _point(s[:-1], year, month)
        if kind == "month":  # 3月前: before March begins
            end = span.start - timedelta(days=1)
            if end.year < span.year:
                raise ValueError(s)  # 1月前 ends before the year it is planned in
        else:
            end = span.end
        return _Span(None, end, span.year, span.month, open_start=True)
    if s == "年内":
        return _Span(None, date(year, 12, 31), year, open_start=True)
    span, kind = _point(s, year, month)
    return span


def _segments(s: str) -> list[str]:
    """Split a compound window (4月启动，6月底前) on commas; 4、5月 becomes 4月、5月 first."""
    s = re.sub(r"(\d{1,2})([、，,和及])(?=\d{1,2}月)", r"\1月\2", s)
    s = re.sub(r"(\d{1,2})([、，,和及])(?=\d{1,2}日)", r"\1日\2", s)
    return [p for p in re.split(r"[，,；;、和及]", s) if p]


def _strip_deed(s: str) -> tuple[str, bool]:
    """'10月建成投用' -> ('10月', True): the deed goes, and the date becomes a deadline."""
    m = _DEED.fullmatch(s)
    if not m or _NOT_DEEDS.fullmatch(m["deed"]) or re.search(r"[\d年月日季旬]", m["deed"]):
        return s, False
    return m["when"], True


def _as_deadline(w: Window) -> Window:
    return Window(w.text, None, w.end, open_start=True) if w.ok else w


def _several_deadlines(raw: str, year: int) -> Window | None:
    """Deadlines on separate lines or clauses (4月底前开工 / 11月底前完工): the last ends the
    window, the earlier ones are milestones.  None when the text is not of that shape."""
    pieces = [p.strip() for p in re.split(r"[\n，,；;]", raw) if p.strip()]
    if len(pieces) < 2:
        return None
    read = [parse_window(p, year) for p in pieces]
    if not all(w.ok and w.open_start for w in read):
        return None
    last = max(read, key=lambda w: w.end)
    milestones = tuple((p, w.end) for p, w in zip(pieces, read) if w is not last)
    return Window(raw, None, last.end, open_start=True, milestones=milestones)


def parse_window(text: str | None, year: int) -> Window:
    """Read a window in the plan's ``year``; never raises: problems come back in ``problem``."""
    raw = (text or "").strip()
    if not raw:
        return Window(text=raw, problem="没有写完成时限")
    several = _several_deadlines(raw, year)
    if several is not None:
        return several
    if "\n" in raw:  # lines that are not all deadlines: read them as one text
        raw_joined = "，".join(line.strip() for line in raw.split("\n") if line.strip())
        window = parse_window(raw_joined, year)
        return Window(raw, window.start, window.end, window.open_start, window.problem,
                      window.ongoing, window.recurring, window.milestones)
    s = _normalise(raw)
    whole_year = (date(year, 1, 1), date(year, 12, 31))  # until the parser knows the plan's period
    if _ONGOING.fullmatch(s):
        return Window(raw, *whole_year, ongoing=True)
    cycle = parse_cycle(s)
    if cycle is not None and s.startswith(("每", f"{year}年每")):
        return Window(raw, *whole_year, recurring=cycle)
    s, deed = _strip_deed(s)
    if deed:
        return _as_deadline(_read(raw, s, year))
    return _read(raw, s, year)


def _read(raw: str, s: str, year: int) -> Window:
    """Read a normalised window text ``s`` (``raw`` as written, kept on the result)."""
    try:
        try:
            span = _expr(s, year, None)
        except ValueError:
            parts = _segments(s)
            if len(parts) < 2:
                raise
            spans: list[_Span] = []
            y, mon = year, None
            for part in parts:
                span = _expr(part, y, mon)
                spans.append(span)
                y, mon = span.year, span.month
            starts = [p.start for p in spans if p.start is not None]
            span = _Span(
                min(starts) if starts else None,
                max(p.end for p in spans),
                spans[-1].year,
                open_start=not starts,
            )
    except _Unreadable as exc:
        return Window(text=raw, problem=str(exc))
    except (ValueError, KeyError, OverflowError):
        return Window(text=raw, problem="无法识别")
    if span.start is not None and span.start > span.end:
        return Window(text=raw, problem="无法识别：开始日期晚于结束日期")
    return Window(text=raw, start=span.start, end=span.end, open_start=span.open_start)
