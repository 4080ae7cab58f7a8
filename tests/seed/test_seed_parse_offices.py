"""Documents in the styles other offices publish (county task tables, district 任务分解 lists,
city 实施意见 with inline labels, city task lists): read at >= 95 % of their fields.

Each expected activity lists what a clerk would type from the document: title (first sentence),
start, end, lead units, partner units and targets as (quantity, unit).  The score is the share of
those fields the parser got right, so one misread field shows up without hiding the others.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from seed.parser import parse_document

DOCS = Path(__file__).parent / "docs" / "offices"
FIELDS = ("title", "start", "end", "lead_units", "partner_units", "targets")


def exp(title, start, end, lead, partners=(), targets=()) -> dict:
    return {"title": title, "start": start, "end": end, "lead_units": list(lead),
            "partner_units": list(partners), "targets": [list(t) for t in targets]}


def got(activity: dict) -> dict:
    out = {k: activity[k] for k in FIELDS if k != "targets"}
    out["targets"] = [[t["quantity"], t["unit"]] for t in activity["targets"]]
    return out


def score(result: dict, expected: list[dict]) -> tuple[float, list[str]]:
    acts = [got(a) for a in result["activities"]]
    misses, right = [], 0
    for i, want in enumerate(expected):
        have = acts[i] if i < len(acts) else {}
        for key in FIELDS:
            if have.get(key) == want[key]:
                right += 1
            else:
                misses.append(f"{i + 1}.{key}: {have.get(key)!r} != {want[key]!r}")
    extra = len(acts) - len(expected)
    total = len(expected) * len(FIELDS) + max(0, extra) * len(FIELDS)
    if extra:
        misses.append(f"{extra:+d} activities")
    return right / total, misses


# ── a county's task table (.docx): only 责任单位, an unusual task header, multi-line deadlines ──

COUNTY_ROWS = [
    ("1", "新建改造农村公路50公里，提升农村群众出行条件。", "县交通运输局", "4月底前开工\n11月底前完工"),
    ("2", "实施城镇老旧小区改造12个，惠及居民1.5万人次。", "县住建局、各乡镇人民政府", "6月底前开工\n10月建成投用"),
    ("3", "新建标准化村卫生室10个。", "县卫健局", "8月底前完成"),
    ("4", "开展农村实用技术培训，每年培训农民不少于200人。", "县农业农村局、县人社局", "长期坚持"),
    ("5", "推进县城污水处理厂提标改造，日处理能力达到2万吨。", "县发改局、县住建局", "年底前建成"),
    ("6", "落实城乡低保政策，按月足额发放低保金。", "县民政局、各乡（镇）人民政府", "每月10日前"),
    ("7", "完成政务服务事项“一网通办”梳理，网办率达到90%以上。", "县政务服务中心、县直各部门", "11月底前全面完成"),
    ("8", "在重点时段组织开展安全生产大检查。", "县应急管理局", "五一、国庆期间"),
]
# Deadlines start when the plan does: its earliest dated window in the year (五一 2024 off from May 1).
OPENS = "2024-05-01"
COUNTY = [
    exp("新建改造农村公路50公里，提升农村群众出行条件", OPENS, "2024-11-30", ["县交通运输局"],
        targets=[(50, "公里")]),
    exp("实施城镇老旧小区改造12个，惠及居民1.5万人次", OPENS, "2024-10-31",
        ["县住建局", "各乡镇人民政府"], targets=[(12, "个"), (15000, "人次")]),
    exp("新建标准化村卫生室10个", OPENS, "2024-08-31", ["县卫健局"], targets=[(10, "个")]),
    exp("开展农村实用技术培训，每年培训农民不少于200人", OPENS, "2024-12-31",
        ["县农业农村局", "县人社局"], targets=[(200, "人")]),
    exp("推进县城污水处理厂提标改造，日处理能力达到2万吨", OPENS, "2024-12-31",
        ["县发改局", "县住建局"], targets=[(20000, "吨")]),
    exp("落实城乡低保政策，按月足额发放低保金", OPENS, "2024-12-31",
        ["县民政局", "各乡（镇）人民政府"]),
    exp("完成政务服务事项“一网通办”梳理，网办率达到90%以上", OPENS, "2024-11-30",
        ["县政务服务中心", "县直各部门"], targets=[(90, "%")]),
    exp("在重点时段组织开展安全生产大检查", OPENS, "2024-10-07", ["县应急管理局"]),
]


def county_docx(path: Path, task_header: str) -> Path:
    """A county government's table as Word makes it: a merged title row, then the header."""
    document = docx.Document()
    document.add_paragraph("附件")
    table = document.add_table(rows=2 + len(COUNTY_ROWS), cols=4)
    title = table.rows[0].cells[0].merge(table.rows[0].cells[3])
    title.text = "清河县2024年重点民生实事任务分解表"
    for cell, text in zip(table.rows[1].cells, ["序号", task_header, "责任单位", "时间节点"]):
        cell.text = text
    for row, values in zip(table.rows[2:], COUNTY_ROWS):
        for cell, text in zip(row.cells, values):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.mark.parametrize("task_header", ["推进举措", "工作内容", "目标任务", "具体措施", "项目"])
def test_county_table_reads_its_fields(tmp_path: Path, task_header: str) -> None:
    result = parse_document(county_docx(tmp_path / "county.docx", task_header))
    assert result["plan"]["title"] == "清河县2024年重点民生实事任务分解表"
    share, misses = score(result, COUNTY)
    assert share >= 0.95, misses


def test_county_table_deadline_cells(tmp_path: Path) -> None:
    acts = parse_document(county_docx(tmp_path / "county.docx", "推进举措"))["activities"]
    # the earlier deadline of a two-line cell is a milestone, the last one ends the window
    assert acts[0]["milestones"] == [{"title": "4月底前开工", "due": "2024-04-30"}]
    assert acts[1]["milestones"] == [{"title": "6月底前开工", "due": "2024-06-30"}]
    assert acts[0]["deadline"] and acts[0]["window_text"] == "4月底前开工\n11月底前完工"
    # 长期坚持 is ongoing (never overdue by the calendar); 每月10日前 is a reporting date, not a window
    assert acts[3]["ongoing"] and not acts[0]["ongoing"]
    assert acts[5]["recurring"] == {"kind": "monthly", "day": 10}
    assert acts[6]["targets"][0]["rate"] is True  # a rate is shown, never summed


def test_unknown_task_header_is_picked_by_role_with_a_warning(tmp_path: Path) -> None:
    result = parse_document(county_docx(tmp_path / "county.docx", "推进举措"))
    assert any("推进举措" in w and "任务" in w for w in result["warnings"])
    assert len(result["activities"]) == 8


# ── a district's 任务分解 list under a chapter titled 发展目标 ─────────────────

DISTRICT = [
    exp("全面推行“一件事一次办”，年内新增集成服务事项30项", "2024-01-01", "2024-12-31",
        ["区政务服务中心"], ["区直各部门", "各街道"], [(30, "项")]),
    exp("压减企业开办时间至1个工作日以内，全程网办率达到90%以上", "2024-01-01", "2024-06-30",
        ["区市场监管局"], ["区税务局", "区人社局", "区公安分局"], [(90, "%")]),
    exp("开展“万人助万企”活动，走访服务企业不少于500家，帮助企业解决问题", "2024-01-01", "2024-12-31",
        ["区工信局"], ["各街道", "各有关单位"], [(500, "家")]),
    exp("落实减税降费政策，全年为市场主体减负1.5亿元", "2024-01-01", "2024-12-31",
        ["区税务局"], ["区财政局", "区发改局"], [(15000, "万元")]),
    exp("建设城东区企业服务中心，设置综合服务窗口12个", "2024-01-01", "2024-09-30",
        ["区发改局"], ["区政务服务中心"], [(12, "个")]),
    exp("开展政务服务“好差评”，差评整改率达到100%", "2024-01-01", "2024-12-31",
        ["区政务服务中心"], ["区直各部门"], [(100, "%")]),
    exp("100个“个体工商户服务站”建设，打通服务个体工商户“最后一公里”", "2024-01-01", "2024-08-31",
        ["区市场监管局"], ["各街道"], [(100, "个")]),
    exp("组织企业经营管理人员培训，每年培训不少于300人次", "2024-01-01", "2024-11-30",
        ["区人社局"], ["区工信局", "区工商联"], [(300, "人次")]),
]


@pytest.fixture(scope="module")
def district() -> dict:
    return parse_document(DOCS / "district-2024-business-environment.md")


def test_district_list_under_a_goals_chapter(district: dict) -> None:
    assert district["plan"]["title"] == "城东区2024年优化营商环境重点任务分解方案"
    share, misses = score(district, DISTRICT)
    assert share >= 0.95, misses


def test_district_item_seven_is_not_a_decimal(district: dict) -> None:
    act = district["activities"][6]
    assert (act["number"], act["title"][:3]) == ("7.", "100")


def test_district_reporting_cycle_and_ongoing(district: dict) -> None:
    assert district["plan"]["reporting"] == {"kind": "monthly", "day": 25}
    acts = district["activities"]
    assert [a["ongoing"] for a in acts] == [False, False, True, False, False, True, False, False]
    assert acts[3]["recurring"] == {"kind": "quarterly", "day": None}
    assert all("加强组织领导" not in a["body"] for a in acts)  # 工作要求 stays out


# ── a city's long 实施意见 with inline （牵头单位：…；配合单位：…） ───────────────

CITY_OPINION = [
    exp("做强现代物流业", "2024-01-01", "2025-12-31", ["市发展改革委"],
        ["市商务局", "市交通运输局", "各县（市、区）人民政府"], [(50, "亿元"), (2, "家")]),
    exp("提升金融服务能力", "2024-01-01", "2024-12-31", ["市金融工作局"],
        ["人民银行南川市分行", "各有关单位"], [(80, "亿元")]),
    exp("繁荣文化旅游消费", "2024-01-01", "2024-10-31", ["市文化广电旅游局"],
        ["市商务局", "各县、市、区人民政府"], [(5, "个"), (20, "场")]),
    exp("发展养老托育服务", "2024-01-01", "2025-06-30", ["市民政局", "市卫生健康委"],
        ["市发展改革委", "市财政局"], [(1000, "张"), (800, "个")]),
    exp("推进家政服务提质扩容", "2024-01-01", "2025-12-31", ["市人力资源社会保障局"],
        ["市商务局", "市妇联"], [(2000, "人次")]),
    exp("培育科技服务业主体", "2025-12-01", "2025-12-31", ["市科技局"],
        ["市工业和信息化局", "市场监管局"], [(20000, "家次"), (3, "家")]),
]


@pytest.fixture(scope="module")
def opinion() -> dict:
    return parse_document(DOCS / "city-2024-services-opinion.txt")


def test_city_opinion_inline_labels(opinion: dict) -> None:
    assert opinion["plan"]["title"] == "南川市人民政府关于加快发展现代服务业的实施意见"
    assert opinion["plan"]["doc_no"] == "南政发〔2024〕12号"
    share, misses = score(opinion, CITY_OPINION)
    assert share >= 0.95, misses


def test_city_opinion_groups_and_cycle(opinion: dict) -> None:
    acts = opinion["activities"]
    assert "各县、市、区人民政府" in acts[2]["partner_units"]  # never split at the 、
    assert acts[2]["milestones"][0] == {"title": "4月底前启动", "due": "2024-04-30"}
    assert acts[4]["ongoing"] is True
    assert opinion["plan"]["reporting"] == {"kind": "quarterly", "day": None}
    assert len(acts) == 6  # the labelled item under 保障措施 is not a task


# ── a city government's numbered task list, 责任单位 only ─────────────────────

CITY_LIST = [
    exp("新建改扩建公办幼儿园5所，新增学前教育学位2700个", "2024-01-01", "2024-08-31",
        ["市教育局", "各县（市、区）人民政府"], targets=[(5, "所"), (2700, "个")]),
    exp("实施中小学校舍维修改造项目，完成改造面积3万平方米", "2024-01-01", "2024-11-30",
        ["市教育局", "市财政局"], targets=[(30000, "平方米")]),
    exp("为全市65岁以上老年人免费体检，完成体检不少于2万名", "2024-01-01", "2024-12-31",
        ["市卫健委"], targets=[(20000, "名")]),
    exp("建设县域医疗次中心3个，提升乡镇卫生院服务能力", "2024-01-01", "2024-10-31",
        ["市卫健委", "市发改委"], targets=[(3, "个")]),
    exp("开展困难群众基本生活救助，按时足额发放救助资金", "2024-01-01", "2024-12-31",
        ["市民政局", "各县、市、区人民政府"]),
    exp("新增城镇就业1.5万人，开展职业技能培训8000人次", "2024-01-01", "2024-12-31",
        ["市人社局"], targets=[(15000, "人"), (8000, "人次")]),
]


def test_city_task_list(tmp_path: Path) -> None:
    result = parse_document(DOCS / "city-2024-practical-matters.txt")
    share, misses = score(result, CITY_LIST)
    assert share >= 0.95, misses
    acts = result["activities"]
    assert acts[1]["milestones"] == [{"title": "4月底前开工", "due": "2024-04-30"}]
    assert acts[4]["recurring"] == {"kind": "monthly", "day": 10}
    assert result["plan"]["reporting"] == {"kind": "monthly", "day": 25}


def test_weekly_reporting_cycle(tmp_path: Path) -> None:
    text = (DOCS / "city-2024-practical-matters.txt").read_text(encoding="utf-8")
    path = tmp_path / "weekly.txt"
    path.write_text(text.replace("每月25日前", "每周五前"), encoding="utf-8")
    assert parse_document(path)["plan"]["reporting"] == {"kind": "weekly", "weekday": 4}   # Friday, 0 = Monday
    path.write_text(text.replace("各责任单位每月25日前将项目进展情况报送市政府督查室。", ""), encoding="utf-8")
    assert parse_document(path)["plan"]["reporting"] is None


def test_unregistered_groups_are_named_as_groups(district: dict) -> None:
    """各街道, 区直各部门 and 各有关单位 are not in the registry: the warning names each as a group the
    board cannot expand, not as a unit with a look-alike."""
    warnings = "\n".join(district["warnings"])
    for group in ("各街道", "区直各部门", "各有关单位"):
        assert f"未登记的分组「{group}」" in warnings
        assert f"未登记的单位「{group}」" not in warnings
    assert "未登记的单位「区政务服务中心」" in warnings  # a unit stays a unit


def test_the_review_names_unregistered_groups(district: dict) -> None:
    from dashboard.entry.import_review import review_frame
    from seed.units import load_registry

    notes = review_frame(district, load_registry())["请核对"]
    assert "「各街道」是未登记的分组" in notes[0] and "「区直各部门」是未登记的分组" in notes[0]
    assert "「区政务服务中心」未登记" in notes[0]
