"""Other notices: label variants, chapters, task tables (markdown, plain text, .docx), encodings."""

from pathlib import Path

import docx
import pytest

from seed.parser import PlanParseError, parse_document
from seed.units import load_registry

DOCS = Path(__file__).parent / "docs"
HAIDONG = load_registry(DOCS / "haidong-units.toml")


def write(tmp_path: Path, text: str, name: str = "plan.md", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def notice(
    lead: str = "牵头单位",
    partner: str = "配合单位",
    window: str = "完成时限",
    chapter: str = "主要任务",
    window_text: str = "4—6月",
) -> str:
    """A small notice in the usual style, with a 保障措施 chapter whose items must be skipped."""
    return f"""青海省总工会

青工发〔2023〕5号

青海省总工会2023年职工读书活动方案

一、总体要求

以习近平新时代中国特色社会主义思想为指导。

二、{chapter}

（一）开展职工读书月活动。组织全省职工开展读书分享会。

{lead}：省总宣传部

{partner}：各市（州）总工会

{window}：{window_text}

三、保障措施

（一）加强组织领导。各单位要高度重视。

完成时限：全年
"""


# ── label variants ───────────────────────────────────────────────────────


@pytest.mark.parametrize("label", ["牵头部门", "牵头单位", "主办单位"])
def test_lead_labels(tmp_path: Path, label: str) -> None:
    result = parse_document(write(tmp_path, notice(lead=label)))
    assert [a["lead_units"] for a in result["activities"]] == [["省总宣传部"]]


@pytest.mark.parametrize("label", ["配合单位", "配合单位（部门）", "配合部门", "责任单位", "协办单位"])
def test_partner_labels(tmp_path: Path, label: str) -> None:
    result = parse_document(write(tmp_path, notice(partner=label)))
    assert [a["partner_units"] for a in result["activities"]] == [["各市（州）总工会"]]


@pytest.mark.parametrize("label", ["完成时限", "完成时间", "时间安排", "活动时间"])
def test_window_labels(tmp_path: Path, label: str) -> None:
    result = parse_document(write(tmp_path, notice(window=label)))
    act = result["activities"][0]
    assert (act["window_text"], act["start"], act["end"]) == ("4—6月", "2023-04-01", "2023-06-30")


@pytest.mark.parametrize("chapter", ["活动内容", "主要活动", "主要任务", "重点任务", "工作任务"])
def test_content_chapter_names(tmp_path: Path, chapter: str) -> None:
    result = parse_document(write(tmp_path, notice(chapter=chapter)))
    assert [a["title"] for a in result["activities"]] == ["开展职工读书月活动"]
    assert result["warnings"] == []


def test_field_labels_with_ascii_colon_and_spaces(tmp_path: Path) -> None:
    text = notice().replace("牵头单位：", "牵头单位 :").replace("完成时限：", "完成时限: ")
    act = parse_document(write(tmp_path, text))["activities"][0]
    assert act["lead_units"] == ["省总宣传部"] and act["end"] == "2023-06-30"


def test_fields_on_one_line(tmp_path: Path) -> None:
    text = notice().replace(
        "牵头单位：省总宣传部\n\n配合单位：各市（州）总工会\n\n完成时限：4—6月",
        "牵头单位：省总宣传部　配合单位：各市（州）总工会；完成时限：4—6月",
    )
    act = parse_document(write(tmp_path, text))["activities"][0]
    assert act["lead_units"] == ["省总宣传部"]
    assert act["partner_units"] == ["各市（州）总工会"]
    assert act["window_text"] == "4—6月"


# ── a city union's plan in the notice style ──────────────────────────────


@pytest.fixture(scope="module")
def haidong() -> dict:
    return parse_document(DOCS / "haidong-2023-service-year.md", registry=HAIDONG)


def test_haidong_header(haidong: dict) -> None:
    assert haidong["plan"] == {
        "title": "海东市总工会2023年“工会服务年”活动实施方案",  # the PDF space is gone
        "issuer": "海东市总工会",
        "doc_no": "东工发〔2023〕8号",
        "year": 2023,
        "start": "2023-01-01",
        "end": "2023-12-31",
        "reporting": None,
    }


def test_haidong_activities_ignore_requirements_and_safeguards(haidong: dict) -> None:
    assert len(haidong["activities"]) == 10
    assert haidong["activities"][-1]["title"] == "开展“职工健康行”活动"
    assert all("加强组织领导" not in a["body"] for a in haidong["activities"])


def test_haidong_windows(haidong: dict) -> None:
    assert [(a["window_text"], a["start"], a["end"], a["deadline"]) for a in haidong["activities"]] == [
        ("春节期间", "2023-01-21", "2023-01-27", False),
        ("6月中旬至7月下旬", "2023-06-11", "2023-07-31", False),
        ("第三季度", "2023-07-01", "2023-09-30", False),
        ("五一期间", "2023-04-29", "2023-05-03", False),
        ("6月底前", "2023-01-01", "2023-06-30", True),
        ("第一、二季度", "2023-01-01", "2023-06-30", False),
        ("年内", "2023-01-01", "2023-12-31", True),
        ("3月前", "2023-01-01", "2023-02-28", True),
        ("10月8日—9日", "2023-10-08", "2023-10-09", False),
        ("上半年", "2023-01-01", "2023-06-30", False),
    ]


def test_haidong_units(haidong: dict) -> None:
    acts = haidong["activities"]
    assert [a["lead_units"] for a in acts] == [
        ["市总权益保障部"], ["市总经济技术部"], ["市总宣传部"], ["市总经济技术部"],
        ["市总网络和社会工作部"], ["市总组织部"], ["市总权益保障部"], ["市总办公室"],
        ["市总宣传部"], ["市总宣传部"],
    ]
    assert acts[0]["partner_units"] == ["市总办公室", "各县（区）总工会"]  # 配合部门
    assert acts[1]["partner_units"] == ["市人社局", "市总宣传部"]  # 协办单位, split on 和
    assert acts[2]["partner_units"] == ["各县（区）总工会"]  # 责任单位
    assert acts[3]["partner_units"] == ["民和县总工会", "互助县总工会"]  # inline, 和 inside 民和
    assert acts[4]["partner_units"] == ["市总办公室"]  # 配合单位（部门）
    assert acts[5]["partner_units"] == []
    assert haidong["warnings"] == ["未登记的单位「市人社局」（活动2），登记表中没有相近的单位"]


def test_haidong_inline_fields_leave_the_body(haidong: dict) -> None:
    act = haidong["activities"][3]
    assert act["body"] == "开展五一劳动奖评选表彰。评选表彰海东市五一劳动奖状5个、奖章15个，选树“河湟工匠”十名。"
    assert act["window_text"] == "五一期间"


def test_haidong_targets_and_milestones(haidong: dict) -> None:
    acts = haidong["activities"]
    assert acts[0]["targets"] == [{"label": "困难职工、劳动模范和一线职工", "quantity": 500, "unit": "人次"}]
    assert acts[3]["targets"] == [
        {"label": "海东市五一劳动奖状", "quantity": 5, "unit": "个"},
        {"label": "奖章", "quantity": 15, "unit": "个"},
        {"label": "“河湟工匠”", "quantity": 10, "unit": "名"},
    ]
    assert acts[5]["targets"] == [
        {"label": "工会干部培训班", "quantity": 2, "unit": "期"},
        {"label": "基层工会干部", "quantity": 200, "unit": "人"},
    ]
    assert [m["title"] for m in acts[1]["milestones"]] == ["初赛", "决赛"]
    assert "按规定授予“海东市技术能手”称号" in acts[1]["body"]  # PDF break joined


# ── （一） headings over numbered tasks ──────────────────────────────────


def test_two_level_items_take_the_numbered_tasks() -> None:
    result = parse_document(DOCS / "qinghai-2024-key-tasks.txt")
    assert result["plan"]["issuer"] == "青海省总工会办公室"
    assert result["plan"]["doc_no"] == "青工办发〔2024〕3号"
    assert result["plan"]["title"] == "青海省总工会2024年重点工作任务分解方案"
    acts = result["activities"]
    assert [(a["seq"], a["number"], a["category"]) for a in acts] == [
        (1, "1.", "强化职工思想政治引领"),
        (2, "2.", "强化职工思想政治引领"),
        (3, "3.", "维护职工合法权益"),
        (4, "4.", "维护职工合法权益"),
    ]
    assert [(a["window_text"], a["start"], a["end"]) for a in acts] == [
        ("全年", "2024-01-01", "2024-12-31"),
        ("2月底前", "2024-01-01", "2024-02-29"),  # leap year
        ("春节前", "2024-01-01", "2024-02-09"),  # the 2024 break began on 10 Feb (初一)
        ("上半年", "2024-01-01", "2024-06-30"),
    ]
    assert acts[2]["partner_units"] == ["各市（州）总工会", "省级各产业工会"]
    assert acts[3]["partner_units"] == ["省职工服务中心"]
    assert acts[0]["targets"] == [
        {"label": "专题宣讲", "quantity": 30, "unit": "场"},
        {"label": "职工", "quantity": 20000, "unit": "人次"},
    ]
    assert acts[3]["targets"] == [{"label": "职工", "quantity": 12000, "unit": "人次"}]
    assert result["warnings"] == []


def test_points_under_an_item_with_fields_stay_in_its_body(tmp_path: Path) -> None:
    text = notice().replace(
        "组织全省职工开展读书分享会。",
        "组织全省职工开展读书分享会。\n1．举办读书分享会。\n2．评选书香职工。",
    )
    acts = parse_document(write(tmp_path, text))["activities"]
    assert len(acts) == 1
    assert acts[0]["body"].endswith("1.举办读书分享会。\n2.评选书香职工。")
    assert acts[0]["lead_units"] == ["省总宣传部"]


# ── task tables ──────────────────────────────────────────────────────────


def test_markdown_task_table() -> None:
    result = parse_document(DOCS / "qinghai-2023-task-table.md")
    assert result["plan"] == {
        "title": "青海省总工会2023年重点工作任务分解表",
        "issuer": "青海省总工会",
        "doc_no": None,
        "year": 2023,  # from the title
        "start": "2022-10-01",
        "end": "2023-12-31",
        "reporting": {"kind": "quarterly", "day": None},  # 注：每季度末…报送
    }
    acts = result["activities"]
    assert [a["title"] for a in acts] == [
        "组织开展“中国梦·劳动美”冬春主题宣传教育活动，举办两场专题报告会",
        "开展劳模工匠进校园活动，组织二十名劳模工匠进校园宣讲",
        "举办全省职工运动会",
        "开展“金秋助学”活动，资助困难职工子女100名",
        "开展工会干部轮训，举办培训班3期",
        "推进工会网上工作平台建设",
        "开展国庆职工文艺展演",
        "深化“安康杯”竞赛活动",
    ]
    assert [a["category"] for a in acts] == ["思想政治引领"] * 3 + ["维护职工合法权益"] * 5
    assert [a["number"] for a in acts] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert [(a["start"], a["end"]) for a in acts] == [
        ("2022-10-01", "2023-03-31"),
        ("2023-04-01", "2023-06-30"),
        ("2023-10-08", "2023-11-02"),
        ("2023-07-01", "2023-12-31"),
        ("2023-01-01", "2023-03-31"),
        (None, None),  # 13月
        ("2023-09-29", "2023-10-06"),  # 中秋 and 国庆 2023 together
        ("2022-10-01", "2023-12-31"),  # 年底前 starts with the plan
    ]
    assert [a["lead_units"] for a in acts] == [
        ["省总宣传部", "省总经济技术部"], ["省总宣传部", "省教科文卫体工会"], ["省工人文化宫"],
        ["省总权益保障部"], ["省总干校"], ["省总网络和社会工作部"], ["省总宣传部"], ["省总经济技术部"],
    ]
    assert [a["partner_units"] for a in acts] == [
        ["各市（州）总工会"], ["各市（州）总工会"], ["省级各产业工会"], ["各市（州）总工会"],
        ["省总组织部"], ["省总办公室"], ["省人社厅", "省文旅厅"], [],
    ]
    assert [a["targets"] for a in acts][:5] == [
        [{"label": "专题报告会", "quantity": 2, "unit": "场"}],
        [{"label": "劳模工匠", "quantity": 20, "unit": "名"}],
        [],
        [{"label": "困难职工子女", "quantity": 100, "unit": "名"}],
        [{"label": "培训班", "quantity": 3, "unit": "期"}],
    ]
    assert result["warnings"] == [
        "活动6「推进工会网上工作平台建设」的完成时限「13月」无法识别，已按原文保留，未设起止日期",
        "未登记的单位「省人社厅」（活动7），登记表中没有相近的单位",
        "未登记的单位「省文旅厅」（活动7），登记表中没有相近的单位",
    ]


def test_plain_text_table_with_tabs() -> None:
    result = parse_document(DOCS / "xining-2024-tasks.txt")
    assert result["plan"]["title"] == "西宁市总工会2024年工作要点任务分解表"
    assert result["plan"]["issuer"] == "西宁市总工会办公室"  # signed above the date
    assert result["plan"]["year"] == 2024
    acts = result["activities"]
    assert [(a["window_text"], a["start"], a["end"]) for a in acts] == [
        ("元旦期间", "2024-01-01", "2024-01-01"),  # the break was 30 Dec - 1 Jan
        ("3月前", "2024-01-01", "2024-02-29"),
        ("端午期间", "2024-06-08", "2024-06-10"),
        ("中秋期间", "2024-09-15", "2024-09-17"),
        ("2月底前", "2024-01-01", "2024-02-29"),
        ("年底前", "2024-01-01", "2024-12-31"),
    ]
    assert acts[1]["partner_units"] == []  # an empty cell between two tabs
    assert acts[2]["partner_units"] == ["湟中区总工会", "大通县总工会"]
    assert acts[2]["targets"] == [{"label": "职工代表队", "quantity": 12, "unit": "支"}]
    assert any(w.startswith("未登记的分组「各县区总工会」（活动1、4、6），看板无法把它展开到成员单位")
               for w in result["warnings"])


def test_plain_text_table_with_spaces() -> None:
    result = parse_document(DOCS / "haibei-2022-tasks.txt")
    assert result["plan"]["doc_no"] == "北工发〔2022〕15号"
    assert result["plan"]["issuer"] == "海北州总工会"
    acts = result["activities"]
    assert [(a["window_text"], a["start"], a["end"]) for a in acts] == [
        ("贯穿全年", "2022-01-01", "2022-12-31"),
        ("长期", "2022-01-01", "2022-12-31"),
        ("6月15日前", "2022-01-01", "2022-06-15"),
        ("4月15日—5月15日", "2022-04-15", "2022-05-15"),
    ]
    assert [a["lead_units"] for a in acts] == [["州总办公室"], ["州总基层工作部"], ["州总经审办"], ["州总经济技术部"]]
    assert [a["partner_units"] for a in acts] == [["各县总工会"], ["各县总工会"], [], ["门源县总工会"]]
    assert result["warnings"][0].startswith("文本表格序号为 3 的一行只有4列（表头5列）")


def test_table_without_partner_column(tmp_path: Path) -> None:
    text = """# 海南州总工会2023年重点工作任务分解表

| 序号 | 工作任务 | 牵头单位 | 完成时限 |
|---|---|---|---|
| 1 | 开展职工技能竞赛。 | 海南州总工会 | 5—9月 |
"""
    result = parse_document(write(tmp_path, text))
    act = result["activities"][0]
    assert act["partner_units"] == []
    assert act["lead_units"] == ["海南州总工会"]
    assert (act["start"], act["end"]) == ("2023-05-01", "2023-09-30")
    assert result["warnings"] == []


def test_table_without_task_column_is_an_error(tmp_path: Path) -> None:
    text = """# 海南州总工会2023年重点工作任务分解表

| 序号 | 牵头单位 | 配合单位 | 完成时限 |
|---|---|---|---|
| 1 | 海南州总工会 | 各县总工会 | 5—9月 |
"""
    with pytest.raises(PlanParseError, match="任务表缺少“工作任务”列"):
        parse_document(write(tmp_path, text))


def test_table_with_lead_mark_in_one_responsible_column(tmp_path: Path) -> None:
    text = """青海省总工会2023年任务清单

| 序号 | 重点任务 | 责任单位 | 时间节点 |
|---|---|---|---|
| 1 | 开展“安康杯”竞赛。 | 省总经济技术部（牵头）、各市（州）总工会 | 全年 |
"""
    act = parse_document(write(tmp_path, text))["activities"][0]
    assert act["lead_units"] == ["省总经济技术部"]
    assert act["partner_units"] == ["各市（州）总工会"]


# ── .docx ────────────────────────────────────────────────────────────────


def _prose_docx(path: Path) -> Path:
    document = docx.Document()
    for line in notice(lead="牵头部门", partner="配合单位（部门）", window="完成时间", window_text="6月底前").split("\n"):
        if line.strip():
            document.add_paragraph(line)
    document.save(path)
    return path


def test_docx_paragraphs(tmp_path: Path) -> None:
    result = parse_document(_prose_docx(tmp_path / "plan.docx"))
    assert result["plan"]["title"] == "青海省总工会2023年职工读书活动方案"
    assert result["plan"]["doc_no"] == "青工发〔2023〕5号"
    assert result["plan"]["issuer"] == "青海省总工会"
    act = result["activities"][0]
    assert act["title"] == "开展职工读书月活动"
    assert (act["start"], act["end"], act["deadline"]) == ("2023-01-01", "2023-06-30", True)
    assert act["lead_units"] == ["省总宣传部"]
    assert act["partner_units"] == ["各市（州）总工会"]
    assert len(result["activities"]) == 1  # the 保障措施 item is skipped


def test_docx_bytes_with_and_without_a_filename(tmp_path: Path) -> None:
    data = _prose_docx(tmp_path / "plan.docx").read_bytes()
    assert parse_document(data, filename="通知.docx")["activities"][0]["title"] == "开展职工读书月活动"
    assert parse_document(data)["activities"][0]["title"] == "开展职工读书月活动"


def test_docx_task_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("青海省总工会2022年重点工作任务分解表", level=1)
    table = document.add_table(rows=4, cols=5)
    header = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    merged = table.rows[1].cells[0].merge(table.rows[1].cells[4])
    merged.text = "一、服务职工"
    row = ["1", "开展“金秋助学”活动，资助困难职工子女100名。", "省总权益保障部", "", "8—9月"]
    for cell, text in zip(table.rows[2].cells, row):
        cell.text = text
    partner = table.rows[2].cells[3]
    partner.paragraphs[0].text = "西宁市总工会"
    partner.add_paragraph("海东市总工会")
    row = ["2", "举办职工运动会。", "省工人文化宫", "省级各产业工会", "10月8日至11月2日"]
    for cell, text in zip(table.rows[3].cells, row):
        cell.text = text
    document.add_paragraph("青海省总工会")
    document.add_paragraph("2022年3月1日")
    path = tmp_path / "tasks.docx"
    document.save(path)

    result = parse_document(path)
    assert result["plan"]["title"] == "青海省总工会2022年重点工作任务分解表"
    assert result["plan"]["year"] == 2022
    acts = result["activities"]
    assert [a["title"] for a in acts] == ["开展“金秋助学”活动，资助困难职工子女100名", "举办职工运动会"]
    assert [a["category"] for a in acts] == ["服务职工", "服务职工"]
    assert acts[0]["partner_units"] == ["西宁市总工会", "海东市总工会"]  # two lines in one cell
    assert (acts[0]["start"], acts[0]["end"]) == ("2022-08-01", "2022-09-30")
    assert acts[0]["targets"] == [{"label": "困难职工子女", "quantity": 100, "unit": "名"}]
    assert (acts[1]["start"], acts[1]["end"]) == ("2022-10-08", "2022-11-02")
    assert result["warnings"] == []


# ── encodings ────────────────────────────────────────────────────────────


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_encodings_give_the_same_result(tmp_path: Path, encoding: str) -> None:
    text = (DOCS / "qinghai-2022-may-day-plan.md").read_text(encoding="utf-8")
    expected = parse_document(DOCS / "qinghai-2022-may-day-plan.md")
    assert parse_document(write(tmp_path, text, encoding=encoding)) == expected


def test_crlf_line_ends(tmp_path: Path) -> None:
    text = notice().replace("\n", "\r\n")
    assert parse_document(write(tmp_path, text))["activities"][0]["lead_units"] == ["省总宣传部"]


# ── the year ────────────────────────────────────────────────────────────


@pytest.mark.parametrize("doc_no", ["青工发〔2021〕5号", "青工发[2021]5号", "青工发(2021)5号", "青工发（2021）5号"])
def test_year_from_the_document_number(tmp_path: Path, doc_no: str) -> None:
    text = notice().replace("青工发〔2023〕5号", doc_no).replace("2023年职工读书", "职工读书")
    result = parse_document(write(tmp_path, text))
    assert result["plan"]["year"] == 2021
    assert result["activities"][0]["start"] == "2021-04-01"


def test_year_from_the_title(tmp_path: Path) -> None:
    text = notice().replace("青工发〔2023〕5号\n", "")
    assert parse_document(write(tmp_path, text))["plan"]["year"] == 2023


def test_year_from_the_text(tmp_path: Path) -> None:
    text = notice().replace("青工发〔2023〕5号\n", "").replace("2023年职工读书", "职工读书")
    text = text.replace("组织全省职工", "2025年组织全省职工")
    assert parse_document(write(tmp_path, text))["plan"]["year"] == 2025


def test_year_from_the_option_and_none_at_all(tmp_path: Path) -> None:
    text = notice().replace("青工发〔2023〕5号\n", "").replace("2023年职工读书", "职工读书")
    path = write(tmp_path, text)
    assert parse_document(path, year=2026)["activities"][0]["end"] == "2026-06-30"
    with pytest.raises(PlanParseError, match="无法确定方案年份.*--year"):
        parse_document(path)


def test_a_conflicting_year_option_is_reported(tmp_path: Path) -> None:
    result = parse_document(write(tmp_path, notice()), year=2024)
    assert result["plan"]["year"] == 2023
    assert result["warnings"] == ["指定的年份 2024 与文件文号中的年份 2023 不一致，按 2023 年处理"]


# ── odds and ends ────────────────────────────────────────────────────────


def test_full_width_indentation(tmp_path: Path) -> None:
    text = "\n".join("　　" + line if line else line for line in notice().split("\n"))
    result = parse_document(write(tmp_path, text))
    assert [a["title"] for a in result["activities"]] == ["开展职工读书月活动"]


def test_untitled_bytes_get_a_placeholder_title() -> None:
    text = "| 序号 | 工作任务 | 牵头单位 | 完成时限 |\n|---|---|---|---|\n| 1 | 开展职工读书活动。 | 省总宣传部 | 5月 |\n"
    result = parse_document(text.encode("utf-8"), year=2023)
    assert result["plan"]["title"] == "未命名方案"
    assert result["warnings"] == ["没有找到方案标题，暂用“未命名方案”"]
    assert result["activities"][0]["end"] == "2023-05-31"


def test_title_falls_back_to_the_notice(tmp_path: Path) -> None:
    text = notice().replace("青海省总工会2023年职工读书活动方案", "关于印发《青海省总工会2023年职工读书活动方案》的通知")
    assert parse_document(write(tmp_path, text))["plan"]["title"] == "青海省总工会2023年职工读书活动方案"


def test_spaces_inside_quotes_in_a_title_are_kept(tmp_path: Path) -> None:
    text = notice().replace(
        "青海省总工会2023年职工读书活动方案",
        "# 青海省总工会2023年“喜迎二十大 建功新时代” 职工 读书活动方案",
    )
    title = parse_document(write(tmp_path, text))["plan"]["title"]
    assert title == "青海省总工会2023年“喜迎二十大 建功新时代”职工读书活动方案"


def test_docx_table_with_a_merged_title_row(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    title = table.rows[0].cells[0].merge(table.rows[0].cells[3])
    title.text = "黄南州总工会2022年重点工作任务分解表"
    for cell, text in zip(table.rows[1].cells, ["序号", "工作任务", "牵头单位", "完成时限"]):
        cell.text = text
    for cell, text in zip(table.rows[2].cells, ["1", "开展职工疗休养活动。", "黄南州总工会", "7—8月"]):
        cell.text = text
    path = tmp_path / "huangnan.docx"
    document.save(path)
    result = parse_document(path)
    assert result["plan"]["title"] == "黄南州总工会2022年重点工作任务分解表"
    assert result["plan"]["issuer"] == "黄南州总工会"
    assert result["plan"]["year"] == 2022
    assert [(a["title"], a["lead_units"], a["start"], a["end"]) for a in result["activities"]] == [
        ("开展职工疗休养活动", ["黄南州总工会"], "2022-07-01", "2022-08-31"),
    ]


def test_a_schedule_table_is_not_a_task_table(tmp_path: Path) -> None:
    text = notice() + "\n附件\n\n| 序号 | 时间 | 地点 | 内容 |\n|---|---|---|---|\n| 1 | 4月23日 | 省图书馆 | 读书分享会 |\n"
    result = parse_document(write(tmp_path, text))
    assert [a["title"] for a in result["activities"]] == ["开展职工读书月活动"]


def _plan_with_windows(*windows: str) -> str:
    items = "\n".join(
        f"（{'一二三四五'[i]}）开展第{i + 1}项活动。\n牵头单位：省总宣传部\n完成时限：{w}\n" for i, w in enumerate(windows)
    )
    return f"青海省总工会2022年活动方案\n\n二、主要任务\n\n{items}"


def test_deadline_starts_with_the_plan(tmp_path: Path) -> None:
    result = parse_document(write(tmp_path, _plan_with_windows("4—8月", "6月底前")))
    assert [(a["start"], a["end"], a["deadline"]) for a in result["activities"]] == [
        ("2022-04-01", "2022-08-31", False),
        ("2022-04-01", "2022-06-30", True),
    ]
    assert (result["plan"]["start"], result["plan"]["end"]) == ("2022-04-01", "2022-08-31")


def test_deadline_before_the_plan_start_starts_on_january_1(tmp_path: Path) -> None:
    result = parse_document(write(tmp_path, _plan_with_windows("6—8月", "3月底前")))
    assert [(a["start"], a["end"]) for a in result["activities"]] == [
        ("2022-06-01", "2022-08-31"),
        ("2022-01-01", "2022-03-31"),
    ]
    assert result["plan"]["start"] == "2022-01-01"


def test_only_deadlines(tmp_path: Path) -> None:
    result = parse_document(write(tmp_path, _plan_with_windows("年内", "9月15日前")))
    assert [(a["start"], a["end"]) for a in result["activities"]] == [
        ("2022-01-01", "2022-12-31"),
        ("2022-01-01", "2022-09-15"),
    ]
    assert (result["plan"]["start"], result["plan"]["end"]) == ("2022-01-01", "2022-12-31")


def test_a_holiday_in_a_year_not_yet_announced_is_read_not_refused(tmp_path: Path) -> None:
    text = _plan_with_windows("春节期间").replace("2022年", "2031年")
    result = parse_document(write(tmp_path, text))
    act = result["activities"][0]
    assert (act["window_text"], act["start"]) == ("春节期间", "2031-01-22")   # 除夕 2031
    assert not any("春节期间" in warning for warning in result["warnings"])


def test_an_unknown_unit_is_warned_once_with_every_activity(tmp_path: Path) -> None:
    text = _plan_with_windows("4月", "5月", "6月").replace("牵头单位：省总宣传部", "牵头单位：省总宣传教育", 2)
    result = parse_document(write(tmp_path, text))
    assert [a["lead_units"] for a in result["activities"]] == [["省总宣传教育"], ["省总宣传教育"], ["省总宣传部"]]
    assert result["warnings"] == ["未登记的单位「省总宣传教育」（活动1、2），最接近的已登记单位：省总宣传部"]
