"""The unit registry (seed/units.toml) and the splitting of 牵头/配合 fields."""

from pathlib import Path

import pytest

from seed.fields.mentions import split_units
from seed.units import RegistryError, load_registry

DOCS = Path(__file__).parent / "docs"

CITIES = ["西宁市总工会", "海东市总工会", "海北州总工会", "黄南州总工会",
          "海南州总工会", "果洛州总工会", "玉树州总工会", "海西州总工会"]


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def names(text: str, registry) -> list[str]:
    return [m.name for m in split_units(text, registry)]


def test_groups_of_the_shipped_registry(registry) -> None:
    assert registry.members("各市（州）总工会") == CITIES
    assert set(registry.groups) == {"各市（州）总工会", "省级各产业工会", "省总各直属工会", "省总各部室"}
    assert "省教科文卫体工会" in registry.members("省级各产业工会")
    assert "省总干校" in registry.members("省总各直属工会")
    assert "省总网络和社会工作部" in registry.members("省总各部室")
    assert registry.members("省总宣传部") == []  # a unit is not a group


def test_group_spellings(registry) -> None:
    for spelling in ("各市（州）总工会", "各市(州)总工会", "各市州总工会", " 各市（州） 总工会 "):
        assert registry.canonical(spelling) == "各市（州）总工会"
        assert registry.is_group(spelling)
        assert registry.members(spelling) == CITIES
    assert not registry.is_group("省总宣传部")
    assert not registry.is_group("不存在的单位")


def test_aliases_map_only_when_listed(registry) -> None:
    assert registry.canonical("青海省工人干部学校") == "省总干校"
    assert registry.canonical("省总干校") == "省总干校"
    assert registry.canonical("省总宣传教育部") == "省总宣传部"
    assert registry.canonical("省总宣传教育") is None  # the truncated spelling is NOT an alias
    assert registry.closest("省总宣传教育") == "省总宣传部"
    assert registry.closest("完全无关的名称") is None


def test_all_units_and_kinds(registry) -> None:
    units = registry.all_units()
    assert set(CITIES) <= set(units)
    assert "各市（州）总工会" not in units
    assert registry.kind("西宁市总工会") == "city"
    assert registry.kind("省总经济技术部") == "department"
    assert registry.kind("省国防邮电工会") == "industry"
    assert registry.kind("省工人文化宫") == "direct"
    assert registry.kind("省总各部室") == "group"
    assert registry.kind("外单位") is None


def test_expand(registry) -> None:
    assert registry.expand("各市州总工会") == CITIES
    assert registry.expand("青海省工人干部学校") == ["省总干校"]
    assert registry.expand("省人社厅") == ["省人社厅"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各市（州）总工会，省级各产业工会，省总各直属工会",
         ["各市（州）总工会", "省级各产业工会", "省总各直属工会"]),
        ("省总经济技术部、省总权益保障部、省总办公室", ["省总经济技术部", "省总权益保障部", "省总办公室"]),
        ("各市（州）总工会、省级各产业工会、省总各直属工会，省总宣传部、省总网络和社会工作部",
         ["各市（州）总工会", "省级各产业工会", "省总各直属工会", "省总宣传部", "省总网络和社会工作部"]),
        ("省总宣传部；省总经济技术部;省总办公室,省总财务部", ["省总宣传部", "省总经济技术部", "省总办公室", "省总财务部"]),
        # 和 inside a name must not split; between two units it must
        ("省总网络和社会工作部", ["省总网络和社会工作部"]),
        ("省总宣传部和省总经济技术部", ["省总宣传部", "省总经济技术部"]),
        ("省总宣传部和省总网络和社会工作部", ["省总宣传部", "省总网络和社会工作部"]),
        ("省人社厅和省总工会", ["省人社厅", "青海省总工会"]),
        # aliases become canonical, repeats are dropped, 等 is dropped
        ("青海省工人干部学校、省总干校", ["省总干校"]),
        ("各市(州)总工会等", ["各市（州）总工会"]),
        # PDF breaks inside a name; two names on two lines (a .docx cell)
        ("省总各直 属工会", ["省总各直属工会"]),
        ("省总宣传部\n省总经济技术部", ["省总宣传部", "省总经济技术部"]),
        ("省总宣传部 省总经济技术部", ["省总宣传部", "省总经济技术部"]),
        ("", []),
        ("无", []),
        ("—", []),
    ],
)
def test_split_units(registry, text: str, expected: list[str]) -> None:
    assert names(text, registry) == expected


def test_unknown_names_are_kept_as_written(registry) -> None:
    mentions = split_units("省总宣传教育、省总权益保障部、省总干校", registry)
    assert [(m.name, m.known) for m in mentions] == [
        ("省总宣传教育", False), ("省总权益保障部", True), ("省总干校", True),
    ]


def test_unknown_name_with_he_is_not_split_unless_both_sides_are_units(registry) -> None:
    # neither 省总网络 nor a registry entry: the name stays whole even if unregistered
    assert names("市总网络和社会工作部", registry) == ["市总网络和社会工作部"]
    assert names("住房和城乡建设厅", registry) == ["住房和城乡建设厅"]


def test_lead_mark_inside_a_list(registry) -> None:
    mentions = split_units("省总宣传部（牵头）、省总经济技术部", registry)
    assert [(m.name, m.lead) for m in mentions] == [("省总宣传部", True), ("省总经济技术部", False)]


def test_a_custom_registry_with_he_inside_county_names() -> None:
    registry = load_registry(DOCS / "haidong-units.toml")
    assert names("民和县总工会和互助县总工会", registry) == ["民和县总工会", "互助县总工会"]
    assert names("民和县总工会", registry) == ["民和县总工会"]
    assert registry.members("各县区总工会")[:2] == ["平安区总工会", "乐都区总工会"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "units.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_registry_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="找不到单位登记表"):
        load_registry(tmp_path / "missing.toml")
    with pytest.raises(RegistryError, match="格式有误"):
        load_registry(_write(tmp_path, "[[unit]\nname = "))
    with pytest.raises(RegistryError, match="同时属于"):
        load_registry(_write(tmp_path, '[[unit]]\nname="甲部"\naliases=["乙"]\n[[unit]]\nname="乙"\n'))
    with pytest.raises(RegistryError, match="没有登记为单位"):
        load_registry(_write(tmp_path, '[[unit]]\nname="甲部"\n[[group]]\nname="各部"\nmembers=["丙部"]\n'))
    with pytest.raises(RegistryError, match="kind"):
        load_registry(_write(tmp_path, '[[unit]]\nname="甲部"\nkind="planet"\n'))
    with pytest.raises(RegistryError, match="没有 name"):
        load_registry(_write(tmp_path, '[[unit]]\nkind="city"\n'))
