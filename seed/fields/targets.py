"""Numeric targets (评选表彰奖状 10 个, 7项系列活动) and named milestones (初赛/复赛/决赛).

The board tracks a target by what is counted, how many and in which measure word, so each hit
is ``Target(label, quantity, unit)``.  Chinese plan prose is full of numbers that are not targets
(第十八届, 2022年, “十四五”, “两个确立”, 4月, 青总办通〔2022〕27号); they are excluded by
construction: a target is a number immediately followed by a measure word, not preceded by 第,
not inside a quoted slogan, and not followed by a word that turns the measure word into a noun
(部门, 人员, 期间 …).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from seed.fields.numbers import chinese_to_int

__all__ = ["Target", "extract_milestones", "extract_targets"]


@dataclass(frozen=True)
class Target:
    """What is counted (``label``), how many (``quantity``) and the measure word (``unit``).

    ``rate`` marks a percentage (增长6.2%左右, 网办率达到90%): shown, never summed or advanced.
    """

    label: str
    quantity: int | float
    unit: str
    rate: bool = False

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the parse output: {"label", "quantity", "unit"} (+ "rate": true)."""
        out = asdict(self)
        if not self.rate:
            del out["rate"]
        return out


_UNITS = sorted(
    """人次 个 人 名 位 项 场 期 家 支 篇 次 件 所 批 处 座 户 元 张 床 公里 千米 平方米 亩 吨 辆
    套 台 本 册 部 条 块 份 组 队 班 堂 间 对 家次 场次 期次 门 首 部""".split(),
    key=len,
    reverse=True,
)
_NUMBER = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_TARGET = re.compile(
    r"(?<![\d.,零〇一二两三四五六七八九十百千万第前每/\-~～—A-Za-z])"
    + _NUMBER
    + r"\s*(?P<mult>万|亿)?(?P<unit>"
    + "|".join(map(re.escape, dict.fromkeys(_UNITS)))
    + r")"
)

# A measure word followed by these characters is part of another word (部门, 人员, 期间 …)
# or of a slogan (四个意识, 两个确立) — not a count.
_NOT_AFTER: dict[str, tuple[str, ...]] = {
    "个": ("百分点", "工作日", "月", "小时", "星期", "季度", "年", "方面", "领域", "阶段",
           "环节", "层面", "维度", "坚持", "确立", "维护", "意识", "自信", "全面", "必须",
           "务必", "一", "体", "性", "人", "代表", "服务", "转变", "结合"),
    "人": ("民", "员", "才", "大", "口", "事", "群", "生", "物", "士", "身", "文", "工", "社",
           "力", "均", "们", "格", "权", "心", "性"),
    "名": ("单", "义", "称", "牌", "片", "誉", "字", "列"),
    "家": ("庭", "属", "长", "园", "乡", "风", "国", "门"),
    "场": ("所", "地", "馆", "景", "合", "面", "域"),
    "期": ("间", "限", "望", "待", "刊", "末", "初", "中"),
    "次": ("数", "要", "序", "会议"),
    "部": ("门", "署", "分", "长", "队", "位"),
    "处": ("理", "置", "长", "罚", "分"),
    "项": ("目",),
    "支": ("持", "部", "援", "出", "付", "柱"),
    "条": ("件", "例", "款"),
    "本": ("地", "身", "次", "年", "单位", "级", "领"),
    "台": ("阶", "账"),
    "批": ("准", "示", "复", "评"),
    "对": ("接", "象", "口", "于", "标", "照", "待"),
    "班": ("子", "组", "长"),
    "间": ("断", "隔"),
    "队": ("伍", "员"),
    "组": ("织", "建", "成", "长"),
    "所": ("有", "属", "在", "以", "得", "需"),
    "门": ("类", "户", "槛"),
    "位": ("置", "于"),
    "份": ("额",),
    "首": ("先", "席", "次", "个", "批", "创"),
    "块": ("状",),
    "张": ("贴", "扬", "力"),
    "元": ("素", "旦", "宵", "老"),
    "床": ("位",),
}
_RATE = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)\s*[%％]")
_BOUNDARY = "，,。；;：:！？!?\n、"
_HARD_BOUNDARY = "，,。；;：:！？!?\n"  # 、 only separates items of one enumeration
_TRAILING_WORDS = (
    "不少于", "不低于", "不超过", "达到", "超过", "至少", "共计", "累计", "总计", "合计",
    "分别为", "分别", "共有", "共", "达", "约", "近", "各", "计",
)
_LEADING_WORDS = sorted(
    """评选表彰 命名表彰 评选 表彰 选树 命名 推荐 培育 建设 新建 建成 打造 创建 举办 开展 组织
    培训 发放 慰问 帮扶 资助 救助 走访 覆盖 完成 选拔 认定 遴选 设立 组建 招募 吸纳 发展 惠及
    举行 承办 征集 编印 制作 推出 确定 授予 评出 选出 培养 扶持 实施 落实 提供 新增 增加 建立
    召开 开设 发布 拍摄 录制 创作 评定 表扬 奖励 补助 安排 邀请 吸引 带动 帮助 服务 深化 力争
    每年 办好 做好 解决 办理 实现 新培育 刊发 刊登 发表 推送 播出 报道 计划 拟 预计 全年 年内 其中 另外 同时 以及 和 及 与 并 还 再 共 累计 积极 重点 择优 争取""".split(),
    key=len,
    reverse=True,
)
_TIME_PREFIX = re.compile(
    r"^(?:(?:春节|元旦|五一|“五一”|国庆|中秋|端午|节日)期间|全年|年内|年底前|上半年|下半年|"
    r"\d{1,2}月(?:份|底前|前|上旬|中旬|下旬|底)?)"
)
_COMPARISON_BEFORE = ("不少于", "不低于", "至少", "达到", "超过")


def _inside_quotes(text: str, pos: int) -> bool:
    """True when ``pos`` lies inside “…” (a slogan such as “两个确立”)."""
    return text.rfind("“", 0, pos) > text.rfind("”", 0, pos)


_MULT = {"万": 10_000, "亿": 100_000_000}


def _quantity(num: str, mult: str | None, unit: str) -> tuple[int, str] | None:
    """Integer quantity and the unit: 2万名 -> 20000 名, 1.5万人次 -> 15000 人次; money keeps its
    unit word (50亿元 -> 50 亿元; 1.5亿元 -> 15000 万元 so the quantity stays whole); other
    non-integers are skipped."""
    num = num.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", num):
        value = float(num)
    else:
        read = chinese_to_int(num)
        if read is None:
            return None
        value = float(read)
    if unit == "元" and mult:
        if value.is_integer():
            return int(value), mult + unit
        smaller = {"亿": ("万", 10_000), "万": ("", 10_000)}[mult]
        value, unit = value * smaller[1], smaller[0] + unit
        return (round(value), unit) if abs(value - round(value)) < 1e-6 else None
    value *= _MULT.get(mult or "", 1)
    return (round(value), unit) if abs(value - round(value)) < 1e-6 else None


def _strip_words(label: str) -> str:
    """Drop verbs and connectors in front (评选表彰…) and comparison words behind (…不少于)."""
    changed = True
    while changed and label:
        changed = False
        label = label.strip(" \t\u3000")
        label = re.sub(r"\d+\s*[至到~～—\-]$", "", label)
        for word in _TRAILING_WORDS:
            if label.endswith(word) and len(label) > len(word):
                label, changed = label[: -len(word)], True
                break
        label = label.lstrip("、和及与")
        trimmed = _TIME_PREFIX.sub("", label, count=1)
        if trimmed != label and len(trimmed) >= 2:  # 春节期间走访… : the time is not the label
            label, changed = trimmed, True
        for word in _LEADING_WORDS:
            if label.startswith(word) and len(label) >= len(word) + 2:  # 培训班 keeps 培训
                label, changed = label[len(word) :], True
                break
    return label.strip(" \t\u3000")


def _after_noun(text: str, start: int) -> str:
    """The noun phrase after the measure word (7项「系列活动」), up to the clause boundary."""
    end = start
    while end < len(text) and text[end] not in _BOUNDARY and end - start < 20:
        end += 1
    noun = text[start:end].strip()
    noun = re.split(r"(?:推动|促进|确保|进一步|参加|参与|参赛|开展|深入|走进|进行|进|赴|以|为|在|对)", noun)[0]
    return noun.strip()


def _label(text: str, seg_start: int, num_start: int, unit_end: int) -> str:
    before = text[seg_start:num_start].strip(" \t\u3000")
    if before.endswith("等") or before.endswith("等等"):
        return _after_noun(text, unit_end) or before.rstrip("等")
    stripped = _strip_words(before)
    bare = stripped in ("", *_LEADING_WORDS, *_TRAILING_WORDS)
    if bare:
        return _after_noun(text, unit_end) or stripped or before
    return stripped


def extract_targets(text: str) -> list[Target]:
    """All numeric targets in ``text``, in order of appearance."""
    targets: list[tuple[int, Target]] = []
    prev_end = 0
    for m in _TARGET.finditer(text):
        unit = m.group("unit")
        following = text[m.end() : m.end() + 4]
        if any(following.startswith(w) for w in _NOT_AFTER.get(unit, ())):
            continue
        if _inside_quotes(text, m.start()):
            continue
        num = m.group("num")
        seg_start = max(prev_end, max(text.rfind(b, 0, m.start()) for b in _HARD_BOUNDARY) + 1)
        before = text[seg_start : m.start()]
        if num == "一" and not before.rstrip().endswith(_COMPARISON_BEFORE):
            continue  # 一批, 一次性, 一个中心: idiom, not a count
        if re.search(r"每(?!年)", before):
            continue  # 每月1次 is a frequency; 每年培训200人 is the plan year's target
        read = _quantity(num, m.group("mult"), unit)
        if read is None or read[0] <= 0:
            continue
        label = _label(text, seg_start, m.start(), m.end())
        targets.append((m.start(), Target(label=label, quantity=read[0], unit=read[1])))
        prev_end = m.end()
    return [t for _, t in sorted(targets + _rates(text), key=lambda pair: pair[0])]


def _rates(text: str) -> list[tuple[int, Target]]:
    """Percentages (增长6.2%左右): targets with unit "%" marked as rates."""
    out = []
    for m in _RATE.finditer(text):
        if _inside_quotes(text, m.start()):
            continue
        seg_start = max(text.rfind(b, 0, m.start()) for b in _HARD_BOUNDARY) + 1
        value = float(m.group("num"))
        quantity: int | float = int(value) if value.is_integer() else value
        label = _label(text, seg_start, m.start(), m.end()) or "比例"
        out.append((m.start(), Target(label=label, quantity=quantity, unit="%", rate=True)))
    return out


_MILESTONES = ("总决赛", "半决赛", "决赛", "复赛", "初赛", "预赛", "选拔赛", "启动仪式",
               "颁奖仪式", "颁奖典礼", "表彰大会", "总结大会")
_MILESTONE_RE = re.compile("|".join(_MILESTONES))


def extract_milestones(text: str) -> list[str]:
    """Stages the text names (初赛, 复赛, 决赛, 启动仪式 …), in order, each once."""
    return list(dict.fromkeys(_MILESTONE_RE.findall(text)))
