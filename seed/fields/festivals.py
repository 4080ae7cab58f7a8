"""The days of a festival in a given year, from maintained calendars rather than a hand table.

The official days off are announced by the State Council each year and differ from any fixed rule
(劳动节 2022 was 30 April – 4 May; 国庆 and 中秋 2025 ran together 1–8 October). ``chinesecalendar``
carries the announced arrangements (2004 up to the latest announced year); for a year it does not
cover yet, the ``holidays`` package's China calendar gives the statutory days and the lunar dates,
so a plan for next year still reads 春节期间 instead of failing.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
import holidays

# Our names -> the word both calendars use in the festival's name.
_KEYWORDS = {"元旦": "New Year", "春节": "Spring Festival", "五一": "Labo", "端午": "Dragon Boat",
             "中秋": "Mid-", "国庆": "National Day"}
_FIXED_ANCHORS = {"元旦": (1, 1), "五一": (5, 1), "国庆": (10, 1)}
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _statutory(year: int) -> dict[date, str]:
    """The China calendar of the ``holidays`` package around a year (a run can cross New Year)."""
    return dict(holidays.China(years=[year - 1, year, year + 1]))


def _anchor(name: str, year: int) -> date:
    """The festival's own day: fixed for 元旦/五一/国庆, the lunar date for 春节/端午/中秋."""
    if name in _FIXED_ANCHORS:
        return date(year, *_FIXED_ANCHORS[name])
    keyword = _KEYWORDS[name]
    return min(day for day, label in _statutory(year).items() if day.year == year and keyword in label)


def _announced(day: date) -> tuple[bool, bool] | None:
    """(a day off, a festival's day off) by the State Council's arrangement; None when the year has
    not been announced (or is before 2004). A weekend inside a festival's break may carry no name."""
    try:
        off, label = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return bool(off), bool(off and label)


def _run(anchor: date, is_off, is_festival) -> tuple[date, date] | None:
    """The unbroken run of days off around the festival's day off nearest the anchor (within three
    days: 元旦 on a Sunday, 中秋 the day before 国庆), weekends inside the break included."""
    for shift in (0, 1, -1, 2, -2, 3, -3):
        day = anchor + timedelta(days=shift)
        if is_festival(day):
            start = end = day
            while is_off(start - _ONE_DAY):
                start -= _ONE_DAY
            while is_off(end + _ONE_DAY):
                end += _ONE_DAY
            return start, end
    return None


def festival_days(name: str, year: int) -> tuple[date, date]:
    """First and last day of the festival ``name`` (元旦, 春节, 五一, 端午, 中秋, 国庆) in ``year``.

    A plan of year Y covers Y, so 元旦 starts no earlier than 1 January even when the break began on
    the last days of December (元旦 2024: 30 December – 1 January)."""
    anchor = _anchor(name, year)
    run = None
    if _announced(anchor) is not None:
        run = _run(anchor, lambda d: bool((_announced(d) or (False, False))[0]),
                   lambda d: bool((_announced(d) or (False, False))[1]))
    if run is None:
        statutory = _statutory(year)
        run = _run(anchor, statutory.__contains__, statutory.__contains__) or (anchor, anchor)
    return max(run[0], date(year, 1, 1)), run[1]
