"""An activity as written (before windows and units are read), and the text helpers that make one."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SENTENCE_END", "RawActivity", "join_lines", "title_of"]

SENTENCE_END = ("。", "！", "？", "；", "：", "!", "?", ";", "…", "。”", "！”", "？”")


def join_lines(fragments: list[str]) -> str:
    """Join paragraph fragments: mid-sentence breaks (PDF conversion) close up, real paragraphs
    keep a newline."""
    out = ""
    for frag in fragments:
        frag = re.sub(r"[ \t\u3000]+", " ", frag.strip())
        if not frag:
            continue
        if not out:
            out = frag
        elif out.endswith(SENTENCE_END) or out.endswith("\n"):
            out += "\n" + frag
        else:
            out += frag
    return out


@dataclass
class RawActivity:
    """An activity as written, before windows and units are read."""

    number: str
    title: str
    body: str
    window_text: str | None
    lead_text: str | None
    partner_text: str | None
    resp_text: str | None = None  # 责任单位: the leads when no 牵头单位 is named, else partners
    category: str | None = None

    def unit_texts(self) -> tuple[str | None, str | None]:
        """(lead, partner) texts once 责任单位 has taken its role from the labels beside it."""
        if not self.resp_text:
            return self.lead_text, self.partner_text
        if not self.lead_text:
            return self.resp_text, self.partner_text
        return self.lead_text, "、".join(t for t in (self.resp_text, self.partner_text) if t)



def title_of(text: str) -> str:
    first = re.split(r"[。！？!?]", text, maxsplit=1)[0]
    return first.strip().rstrip("：:；;，,")
