"""Chinese numerals (十, 二十, 一百零五) read strictly, for windows, targets and cycles alike."""

from __future__ import annotations

__all__ = ["chinese_to_int"]

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_to_int(text: str) -> int | None:
    """Read a Chinese numeral below 10 000 (十, 二十, 一百零五, 两千); None if malformed.

    Strict on purpose: "五一" or "十四五" are names, not numbers, and must not read as 51 or 145.
    """
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, digit, seen_unit = 0, None, 10_000
    for ch in text:
        if ch in "零〇" and digit is None and total:
            continue  # 一百零五: the zero only holds a place
        if ch in _CN_DIGITS:
            if digit is not None:
                return None  # two digits in a row: 五一, 四五
            digit = _CN_DIGITS[ch]
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            if unit >= seen_unit:
                return None
            if digit is None:
                if ch != "十" or total:
                    return None
                digit = 1
            total += digit * unit
            digit, seen_unit = None, unit
        else:
            return None
    if digit is not None:
        if seen_unit > 10 and total and digit and "零" not in text and "〇" not in text:
            return None  # 一百五 style abbreviations are ambiguous; refuse
        total += digit
    return total
