"""A refused payload in words: pydantic's English turned into the end of a Chinese sentence.

A form puts the field's Chinese name before it, the command line and the importer the field's
identifier; the English stays in ``str()`` for the log. Kept apart from the payload schemas
(store.domain.events) they describe, which only raise ``PayloadError``.
"""

from __future__ import annotations

import re

# Pydantic's (and the validators') words, as the end of a Chinese sentence about the field: a form
# puts the field's Chinese name before it (dashboard/entry/values.py), the command line its identifier.
PYDANTIC_ZH = [
    (re.compile(r"greater than or equal to (\S+)"), "不能小于 {0}"),
    (re.compile(r"less than or equal to (\S+)"), "不能大于 {0}"),
    (re.compile(r"greater than (\S+)"), "须大于 {0}"),
    (re.compile(r"at most (\d+) characters"), "不能超过 {0} 个字"),
    (re.compile(r"at least (\d+) character"), "不能为空"),
    (re.compile(r"valid integer"), "须为整数"),
    (re.compile(r"valid date"), "须为日期"),
    (re.compile(r"outside"), "超出允许的日期范围"),
    (re.compile(r"Field required"), "必须填写"),
]
# What only the command line and the importer meet (a form never sends these); after PYDANTIC_ZH.
_MORE_ZH = [
    (re.compile(r"Extra inputs are not permitted"), "不是该事件的字段（拼写错误？）"),
    (re.compile(r"List should have at most (\d+) item"), "最多 {0} 项"),
    (re.compile(r"List should have at least (\d+) item"), "至少要有 {0} 项"),
    (re.compile(r"valid string"), "须为文本"),
    (re.compile(r"valid boolean"), "须为 true 或 false"),
    (re.compile(r"valid number"), "须为数字"),
    (re.compile(r"valid list"), "须为列表"),
    (re.compile(r"valid dictionary|valid object|must be a JSON object"), "须为 JSON 对象"),
    (re.compile(r"unknown event type"), "不是已知的事件类型"),
    (re.compile(r"Input should be (.+)$"), "须为 {0}"),
    (re.compile(r"end is before start"), "有误：结束日期 end 早于开始日期 start"),
    (re.compile(r"duplicate (\w+) keys: (.+)$"), "有误：{0} 的 key 重复（{1}）"),
    (re.compile(r"whole number unless the target is a rate"), "有误：目标数量须为整数（比率除外）"),
    (re.compile(r"a revision must change"), "有误：修订至少要改一项"),
    (re.compile(r"a settings change must name"), "有误：须设置 reporting、review_required 或 scoring 之一"),
    (re.compile(r"a monthly cycle"), "有误：按月上报须给出 day（1-28），不给 weekday"),
    (re.compile(r"a weekly cycle"), "有误：按周上报须给出 weekday（0=周一 … 6=周日），不给 day"),
    (re.compile(r"red_below is above yellow_below"), "有误：red_below 不能大于 yellow_below"),
]


def pydantic_zh(message: str, table: list[tuple[re.Pattern[str], str]] = PYDANTIC_ZH) -> str | None:
    """The Chinese of a payload refusal the forms know (``PYDANTIC_ZH``), or None."""
    for pattern, text in table:
        found = pattern.search(message)
        if found:
            return text.format(*found.groups())
    return None


def reason_zh(message: str) -> str:
    """The Chinese of any payload refusal; one it does not know keeps pydantic's words in brackets."""
    return pydantic_zh(message, PYDANTIC_ZH + _MORE_ZH) or f"不符合要求（{message}）"


class PayloadError(ValueError):
    """A payload failed its schema; ``field`` names the first offending field. ``str()`` is the log's
    English; ``reason`` the Chinese of ``message`` (to follow a field's name), ``zh`` the whole sentence."""

    def __init__(self, event_type: str, field: str, message: str, *, zh: str | None = None) -> None:
        super().__init__(f"{event_type}: {field}: {message}")
        self.event_type = event_type
        self.field = field
        self.message = message
        self.reason = reason_zh(message)
        self.zh = zh or f"{event_type} 事件的 {field} {self.reason}"
