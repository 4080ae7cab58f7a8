"""The first plan: Qinghai 2022 May Day campaign (tests/seed/docs holds a byte copy of it)."""

from pathlib import Path

import pytest

from seed.parser import parse_document

PLAN = Path(__file__).parent / "docs" / "qinghai-2022-may-day-plan.md"
ALL_THREE = ["各市（州）总工会", "省级各产业工会", "省总各直属工会"]


@pytest.fixture(scope="module")
def parsed() -> dict:
    return parse_document(PLAN)


def test_plan_header(parsed: dict) -> None:
    assert parsed["plan"] == {
        "title": "青海省总工会喜迎党的二十大、省第十四次党代会暨庆祝“五一”系列活动方案",
        "issuer": "青海省总工会",
        "doc_no": "青总办通〔2022〕27号",
        "year": 2022,
        "start": "2022-01-01",
        "end": "2022-12-31",
        "reporting": None,
    }


def test_ten_activities_with_titles(parsed: dict) -> None:
    assert [a["seq"] for a in parsed["activities"]] == list(range(1, 11))
    assert [a["title"] for a in parsed["activities"]] == [
        "深化拓展建功立业活动",
        "开展“中国梦·劳动美—喜迎二十大·建功新时代”先进典型宣传活动",
        "开展领导送奖到基层和看望慰问一线职工活动",
        "开展“喜迎二十大·建功新时代”劳模（工匠）进校园宣讲活动",
        "开展学习宣传贯彻《工会法》活动",
        "开展“春风行动”",
        "举办“奋进新征程、建功新时代、铸就新辉煌”职工阅读成果展示活动",
        "开展“讲红色故事、颂家国情怀”全省服务行业职工演讲比赛",
        "开展“履行主责主业、竭诚服务职工”办实事活动",
        "开展“培育良好家风——女职工在行动”主题活动",
    ]


def test_windows(parsed: dict) -> None:
    assert [(a["window_text"], a["start"], a["end"]) for a in parsed["activities"]] == [
        ("全年", "2022-01-01", "2022-12-31"),
        ("4—12月", "2022-04-01", "2022-12-31"),
        ("4—5月", "2022-04-01", "2022-05-31"),
        ("全年", "2022-01-01", "2022-12-31"),
        ("4—10月", "2022-04-01", "2022-10-31"),
        ("3—7月", "2022-03-01", "2022-07-31"),
        ("4月", "2022-04-01", "2022-04-30"),
        ("4月", "2022-04-01", "2022-04-30"),
        ("全年", "2022-01-01", "2022-12-31"),
        ("5—7月", "2022-05-01", "2022-07-31"),
    ]


def test_lead_units(parsed: dict) -> None:
    assert [a["lead_units"] for a in parsed["activities"]] == [
        ["省总经济技术部"],
        ["省总宣传部", "省总经济技术部"],
        ["省总经济技术部", "省总权益保障部", "省总办公室"],
        ["省总宣传部", "省总经济技术部", "省教科文卫体工会"],
        ["省总宣传教育", "省总权益保障部", "省总干校"],  # kept as written, warned
        ["省总权益保障部", "省总网络和社会工作部"],
        ["省总宣传部"],
        ["省总宣传部"],
        ["省总权益保障部", "省总经济技术部"],
        ["省总女职工委员会办公室"],
    ]


def test_partner_units(parsed: dict) -> None:
    partners = [a["partner_units"] for a in parsed["activities"]]
    assert partners[2] == ALL_THREE + ["省总宣传部", "省总网络和社会工作部"]  # 配合单位（部门）
    assert partners[7] == ["各市（州）总工会"]
    assert partners[8] == ALL_THREE + ["省总各部室"]
    for i in (0, 1, 3, 4, 5, 6, 9):
        assert partners[i] == ALL_THREE


def test_targets_only_in_activities_1_and_5(parsed: dict) -> None:
    targets = [a["targets"] for a in parsed["activities"]]
    assert targets[0] == [
        {"label": "青海省五一劳动奖状", "quantity": 10, "unit": "个"},
        {"label": "奖章", "quantity": 20, "unit": "个"},
        {"label": "青海高原“工人先锋号”", "quantity": 40, "unit": "个"},
        {"label": "“青海高原工匠”", "quantity": 10, "unit": "人"},
        {"label": "青海省“工人技术明星”", "quantity": 10, "unit": "人"},
        {"label": "省级劳模（职工）创新工作室", "quantity": 10, "unit": "个"},
    ]
    assert targets[4] == [{"label": "系列活动", "quantity": 7, "unit": "项"}]
    assert all(t == [] for i, t in enumerate(targets) if i not in (0, 4))


def test_milestones_of_activity_8(parsed: dict) -> None:
    assert parsed["activities"][7]["milestones"] == [
        {"title": "初赛", "due": None}, {"title": "复赛", "due": None}, {"title": "决赛", "due": None},
    ]
    assert all(a["milestones"] == [] for i, a in enumerate(parsed["activities"]) if i != 7)


def test_only_warning_is_the_unregistered_unit(parsed: dict) -> None:
    assert parsed["warnings"] == [
        "未登记的单位「省总宣传教育」（活动5），最接近的已登记单位：省总宣传部"
    ]


def test_bodies_join_pdf_breaks_and_drop_field_lines(parsed: dict) -> None:
    acts = parsed["activities"]
    assert "与省委宣传部、省文旅厅联合举办" in acts[7]["body"]  # 省委宣 / 传部 joined
    assert "各级地方工会积极协同" in acts[5]["body"]  # 各级地 / 方工会 joined
    assert "奖章、奖状获得者" in acts[1]["body"]
    # item (四) has two real paragraphs: they stay two lines
    assert acts[3]["body"].split("\n")[1].startswith("全省各级工会组建宣讲团")
    assert acts[0]["body"].startswith("深化拓展建功立业活动。紧紧围绕")
    for act in acts:
        assert "牵头部门" not in act["body"] and "完成时限" not in act["body"]
        assert "配合单位" not in act["body"]


def test_the_work_requirements_chapter_is_not_read(parsed: dict) -> None:
    bodies = "".join(a["body"] for a in parsed["activities"])
    assert "提高认识，精心组织" not in bodies
    assert "改进作风，紧盯防控" not in bodies
