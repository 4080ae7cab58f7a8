"""Completion windows (完成时限) -> dates: every wording the plans use, and what is refused."""

from datetime import date

import pytest

from seed.fields.numbers import chinese_to_int
from seed.fields.windows import parse_window

D = date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # the whole year and its wordings
        ("全年", D(2022, 1, 1), D(2022, 12, 31)),
        ("全年度", D(2022, 1, 1), D(2022, 12, 31)),
        ("贯穿全年", D(2022, 1, 1), D(2022, 12, 31)),
        ("长期", D(2022, 1, 1), D(2022, 12, 31)),
        ("长期坚持", D(2022, 1, 1), D(2022, 12, 31)),
        ("持续开展", D(2022, 1, 1), D(2022, 12, 31)),
        ("2022年全年", D(2022, 1, 1), D(2022, 12, 31)),
        # month ranges with every dash
        ("4—12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4——12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4–12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4-12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4~12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4～12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4－12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4至12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4到12月", D(2022, 4, 1), D(2022, 12, 31)),
        ("4 — 12 月", D(2022, 4, 1), D(2022, 12, 31)),
        ("４—１２月", D(2022, 4, 1), D(2022, 12, 31)),
        ("3—7月", D(2022, 3, 1), D(2022, 7, 31)),
        ("4月—6月", D(2022, 4, 1), D(2022, 6, 30)),
        ("四月至六月", D(2022, 4, 1), D(2022, 6, 30)),
        # a whole month
        ("4月", D(2022, 4, 1), D(2022, 4, 30)),
        ("4月份", D(2022, 4, 1), D(2022, 4, 30)),
        ("十二月", D(2022, 12, 1), D(2022, 12, 31)),
        ("2月", D(2022, 2, 1), D(2022, 2, 28)),
        # with explicit years, across the year end
        ("2021年10月—12月", D(2021, 10, 1), D(2021, 12, 31)),
        ("2021年10月—2022年3月", D(2021, 10, 1), D(2022, 3, 31)),
        ("12月至次年3月", D(2022, 12, 1), D(2023, 3, 31)),
        ("2022.4—2022.12", D(2022, 4, 1), D(2022, 12, 31)),
        # 旬
        ("6月中旬至7月下旬", D(2022, 6, 11), D(2022, 7, 31)),
        ("4月上旬", D(2022, 4, 1), D(2022, 4, 10)),
        ("2月下旬", D(2022, 2, 21), D(2022, 2, 28)),
        ("9月中旬", D(2022, 9, 11), D(2022, 9, 20)),
        # quarters and half years
        ("第三季度", D(2022, 7, 1), D(2022, 9, 30)),
        ("一季度", D(2022, 1, 1), D(2022, 3, 31)),
        ("第一、二季度", D(2022, 1, 1), D(2022, 6, 30)),
        ("二至三季度", D(2022, 4, 1), D(2022, 9, 30)),
        ("第四季度", D(2022, 10, 1), D(2022, 12, 31)),
        ("上半年", D(2022, 1, 1), D(2022, 6, 30)),
        ("下半年", D(2022, 7, 1), D(2022, 12, 31)),
        # holidays with fixed windows
        # the official days off of 2022 (State Council arrangement), not a fixed rule
        ("五一期间", D(2022, 4, 30), D(2022, 5, 4)),
        ("“五一”期间", D(2022, 4, 30), D(2022, 5, 4)),
        ("国庆期间", D(2022, 10, 1), D(2022, 10, 7)),
        ("国庆节期间", D(2022, 10, 1), D(2022, 10, 7)),
        ("元旦期间", D(2022, 1, 1), D(2022, 1, 3)),
        ("春节期间", D(2022, 1, 31), D(2022, 2, 6)),
        ("端午期间", D(2022, 6, 3), D(2022, 6, 5)),
        ("中秋期间", D(2022, 9, 10), D(2022, 9, 12)),
        ("元旦春节期间", D(2022, 1, 1), D(2022, 2, 6)),
        ("“两节”期间", D(2022, 1, 1), D(2022, 2, 6)),
        # days
        ("10月8日—9日", D(2022, 10, 8), D(2022, 10, 9)),
        ("10月8—9日", D(2022, 10, 8), D(2022, 10, 9)),
        ("10月8日至11月2日", D(2022, 10, 8), D(2022, 11, 2)),
        ("10月8日", D(2022, 10, 8), D(2022, 10, 8)),
        ("10月8号", D(2022, 10, 8), D(2022, 10, 8)),
        ("2022-10-08", D(2022, 10, 8), D(2022, 10, 8)),
        # lists and compound windows cover the whole span
        ("4、5月", D(2022, 4, 1), D(2022, 5, 31)),
        ("4月启动，6月底前完成", D(2022, 4, 1), D(2022, 6, 30)),
        # open-ended starts
        ("4月起", D(2022, 4, 1), D(2022, 12, 31)),
        ("自4月开始", D(2022, 4, 1), D(2022, 12, 31)),
        ("4月至年底", D(2022, 4, 1), D(2022, 12, 31)),
    ],
)
def test_window_forms(text: str, start: date, end: date) -> None:
    window = parse_window(text, 2022)
    assert window.problem is None
    assert (window.start, window.end, window.open_start) == (start, end, False)


@pytest.mark.parametrize(
    ("text", "year", "end"),
    [
        ("6月底前", 2022, D(2022, 6, 30)),
        ("6月底前完成", 2022, D(2022, 6, 30)),
        ("6月底", 2022, D(2022, 6, 30)),  # a bare 月底 is a deadline, not a one-day window
        ("6月末前", 2022, D(2022, 6, 30)),
        ("6月15日前", 2022, D(2022, 6, 15)),
        ("6月15日之前", 2022, D(2022, 6, 15)),
        ("截至6月30日", 2022, D(2022, 6, 30)),
        ("6月中旬前", 2022, D(2022, 6, 20)),
        # a bare month + 前 is *before* that month: 3月前 ends on the last day of February
        ("3月前", 2022, D(2022, 2, 28)),
        ("3月前", 2024, D(2024, 2, 29)),
        ("3月以前", 2023, D(2023, 2, 28)),
        ("11月前", 2022, D(2022, 10, 31)),
        ("年内", 2022, D(2022, 12, 31)),
        ("年底前", 2022, D(2022, 12, 31)),
        ("年底", 2022, D(2022, 12, 31)),
        ("2022年底前", 2022, D(2022, 12, 31)),
        ("三季度前", 2022, D(2022, 9, 30)),
        ("上半年前", 2022, D(2022, 6, 30)),
        ("春节前", 2022, D(2022, 1, 30)),  # 除夕 2022 is Jan 31
        # leap years
        ("2月底前", 2024, D(2024, 2, 29)),
        ("2月底前", 2023, D(2023, 2, 28)),
        ("2月底前", 2000, D(2000, 2, 29)),
        ("2月底前", 2100, D(2100, 2, 28)),
        ("3月底前启动，12月底前完成", 2022, D(2022, 12, 31)),
    ],
)
def test_deadlines_leave_the_start_to_the_plan(text: str, year: int, end: date) -> None:
    window = parse_window(text, year)
    assert window.problem is None
    assert window.open_start is True
    assert window.start is None
    assert window.end == end


def test_february_of_a_leap_year_has_29_days() -> None:
    assert parse_window("2月", 2024).end == D(2024, 2, 29)
    assert parse_window("2月下旬", 2024).end == D(2024, 2, 29)
    assert parse_window("2月29日", 2024).start == D(2024, 2, 29)
    assert parse_window("2月29日", 2023).problem is not None


@pytest.mark.parametrize(
    "text",
    ["13月", "2月30日", "4月31日", "0月", "4—13月", "随时", "适时开展", "nonsense", "12—3月", "1月前", "年初"],
)
def test_unreadable_windows_are_kept_as_text(text: str) -> None:
    window = parse_window(text, 2022)
    assert window.start is None and window.end is None
    assert window.problem
    assert window.text == text
    assert not window.ok


def test_empty_window() -> None:
    assert parse_window("", 2022).problem == "没有写完成时限"
    assert parse_window(None, 2022).problem == "没有写完成时限"


@pytest.mark.parametrize(
    ("text", "year", "start", "end"),
    [
        ("国庆期间", 2025, D(2025, 10, 1), D(2025, 10, 8)),   # 国庆 and 中秋 together, eight days
        ("中秋期间", 2025, D(2025, 10, 1), D(2025, 10, 8)),
        ("国庆期间", 2026, D(2026, 10, 1), D(2026, 10, 7)),
        ("五一期间", 2026, D(2026, 5, 1), D(2026, 5, 5)),
        ("元旦期间", 2023, D(2023, 1, 1), D(2023, 1, 2)),   # off from Sat 31 Dec; a 2023 plan starts in 2023
        ("春节期间", 2024, D(2024, 2, 10), D(2024, 2, 17)),
    ],
)
def test_holidays_are_the_announced_days_off_of_that_year(text: str, year: int, start: D, end: D) -> None:
    window = parse_window(text, year)
    assert (window.start, window.end) == (start, end)


def test_a_year_not_yet_announced_reads_from_the_statutory_calendar_not_a_failure() -> None:
    window = parse_window("春节期间", 2031)
    assert window.problem is None or window.problem == ""
    assert window.start == D(2031, 1, 22) and window.end >= D(2031, 1, 25)   # 除夕 2031 is Jan 22
    assert parse_window("五一前", 2031).end == D(2031, 4, 30)


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("二十", 20), ("二十五", 25), ("两", 2), ("一百零五", 105), ("两千", 2000),
     ("一千二百", 1200), ("12", 12), ("五一", None), ("十四五", None), ("一百五", None), ("百", None)],
)
def test_chinese_numerals(text: str, value: int | None) -> None:
    assert chinese_to_int(text) == value
