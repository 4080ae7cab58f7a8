"""Numeric targets and milestones found in activity text."""

import pytest

from seed.fields.targets import Target, extract_milestones, extract_targets

ACTIVITY_1 = (
    "深化拓展建功立业活动。紧紧围绕“十四五”发展重大工程、重大项目、重点产业，持续广泛深入组织开展"
    "“建功‘十四五’奋进新征程”主题劳动和技能竞赛，举办青海省第十八届职工职业技能大赛。做好全国五一劳动奖"
    "和全国工人先锋号推荐工作，评选表彰青海省五一劳动奖状 10 个、奖章 20 个，青海高原“工人先锋号”40 个。"
    "选树“青海高原工匠”10 人、青海省“工人技术明星”10 人，并积极推荐其成为“昆仑英才 技术技能人才”。"
    "深化劳模（职工）创新工作室创建活动，命名省级劳模（职工）创新工作室 10 个。"
)


def test_activity_1_of_2022_has_exactly_six_targets() -> None:
    assert extract_targets(ACTIVITY_1) == [
        Target("青海省五一劳动奖状", 10, "个"),
        Target("奖章", 20, "个"),
        Target("青海高原“工人先锋号”", 40, "个"),
        Target("“青海高原工匠”", 10, "人"),
        Target("青海省“工人技术明星”", 10, "人"),
        Target("省级劳模（职工）创新工作室", 10, "个"),
    ]


def test_label_after_the_number_when_nothing_sensible_precedes() -> None:
    text = "通过开展专题宣讲、送法到基层、线上知识竞答等7项系列活动，推动全省各级工会组织"
    assert extract_targets(text) == [Target("系列活动", 7, "项")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("命名示范点十个。", [Target("示范点", 10, "个")]),
        ("组织二十名劳模工匠进校园宣讲。", [Target("劳模工匠", 20, "名")]),
        ("举办两场专题报告会。", [Target("专题报告会", 2, "场")]),
        ("举办培训班3期。", [Target("培训班", 3, "期")]),
        ("培训职工不少于500人次。", [Target("职工", 500, "人次")]),
        ("服务职工达到1,200人次。", [Target("职工", 1200, "人次")]),
        ("覆盖职工超过2万人。", [Target("职工", 20000, "人")]),
        ("每年培训不少于200人。", [Target("培训", 200, "人")]),  # the plan year's target
        ("发放创业担保贷款不少于80亿元。", [Target("创业担保贷款", 80, "亿元")]),  # money keeps 亿元
        ("减负1.5亿元。", [Target("减负", 15000, "万元")]),
        ("增长6.2%左右。", [Target("增长", 6.2, "%", rate=True)]),
        ("惠及职工1.2万人次。", [Target("职工", 12000, "人次")]),
        ("新建职工书屋100家，建设户外劳动者服务站30个。",
         [Target("职工书屋", 100, "家"), Target("户外劳动者服务站", 30, "个")]),
        ("组建职工志愿服务队5支。", [Target("职工志愿服务队", 5, "支")]),
        ("刊发宣传稿件50篇。", [Target("宣传稿件", 50, "篇")]),
        ("评选表彰海东市五一劳动奖状5个、奖章15个，选树“河湟工匠”十名。",
         [Target("海东市五一劳动奖状", 5, "个"), Target("奖章", 15, "个"), Target("“河湟工匠”", 10, "名")]),
        ("春节期间走访慰问困难职工、劳动模范和一线职工不少于500人次。",
         [Target("困难职工、劳动模范和一线职工", 500, "人次")]),
        ("办好10件实事。", [Target("实事", 10, "件")]),
        ("走访慰问困难职工不少于1000户。", [Target("困难职工", 1000, "户")]),
    ],
)
def test_targets(text: str, expected: list[Target]) -> None:
    assert extract_targets(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "举办青海省第十八届职工职业技能大赛",  # ordinal
        "迎接省第十四次党代会和省工会第十五次代表大会",  # ordinals
        "联合省人社厅开展2022年“春风行动”",  # a year
        "紧紧围绕“十四五”发展重大工程",  # a plan name
        "把忠诚拥护“两个确立”、自觉做到“两个维护”作为根本政治要求",  # slogans
        "增强“四个意识”、坚定“四个自信”",
        "树立四个意识",
        "奋力推进“一优两高”战略，加快建设产业“四地”",
        "4月15日前完成，5月底前总结",  # dates
        "青总办通〔2022〕27号",  # a document number
        "做优做强“两节送温暖”品牌",
        "“五一”期间积极协调",
        "五一期间积极协调",
        "联合十部门印发通知",
        "每月开展1次安全检查",  # a frequency
        "开展一次性帮扶，命名一批示范点",  # 一 as an idiom
        "推荐前10名选手参加决赛",
        "团结全省百万职工",
    ],
)
def test_not_targets(text: str) -> None:
    assert extract_targets(text) == []


def test_target_as_dict() -> None:
    assert Target("奖章", 20, "个").as_dict() == {"label": "奖章", "quantity": 20, "unit": "个"}


def test_milestones_in_order_once() -> None:
    text = ("组织各市（州）总工会举办全省旅游行业服务员演讲比赛初赛，推荐优秀选手参加由省总主办的复赛和决赛，"
            "决赛后举行颁奖仪式。")
    assert extract_milestones(text) == ["初赛", "复赛", "决赛", "颁奖仪式"]
    assert extract_milestones("半决赛和总决赛") == ["半决赛", "总决赛"]
    assert extract_milestones("举办青海省第十八届职工职业技能大赛") == []
