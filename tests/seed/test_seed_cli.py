"""The ``parse`` subcommand: JSON shape, the readable table, and one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seed.cli_parse import main

DOCS = Path(__file__).parent / "docs"
PLAN = DOCS / "qinghai-2022-may-day-plan.md"

ACTIVITY_KEYS = {"seq", "title", "body", "window_text", "start", "end", "lead_units",
                 "partner_units", "targets"}


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(PLAN), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    assert set(data) == {"plan", "activities", "warnings", "tables"}
    assert set(data["plan"]) == {"title", "issuer", "doc_no", "year", "start", "end", "reporting"}
    assert len(data["activities"]) == 10
    for act in data["activities"]:
        assert ACTIVITY_KEYS <= set(act)
        for target in act["targets"]:
            assert set(target) == {"label", "quantity", "unit"}
    assert data["activities"][1]["start"] == "2022-04-01"
    assert "省总宣传教育" in data["warnings"][0]
    assert "“五一”" in out  # Chinese stays readable, not \\u escapes


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(PLAN)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "青海省总工会喜迎党的二十大、省第十四次党代会暨庆祝“五一”系列活动方案"
    assert "青总办通〔2022〕27号" in lines[1]
    header = next(line for line in lines if line.startswith("序号"))
    assert all(word in header for word in ("完成时限", "起止日期", "牵头单位", "配合单位", "目标"))
    row2 = next(line for line in lines if line.startswith("2 "))
    assert "4—12月" in row2 and "2022-04-01 至 2022-12-31" in row2 and "省总宣传部、省总经济技术部" in row2
    assert "青海省五一劳动奖状 10个" in out
    assert "共 10 项活动" in out
    assert "未登记的单位「省总宣传教育」" in out


def test_units_and_year_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.md"
    path.write_text(
        "某县总工会职工活动方案\n\n二、主要任务\n\n（一）开展读书活动。\n\n牵头单位：市总宣教部\n\n完成时限：6月\n",
        encoding="utf-8",
    )
    assert main(["parse", str(path), "--json", "--year", "2025", "--units", str(DOCS / "haidong-units.toml")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plan"]["year"] == 2025
    assert data["activities"][0]["lead_units"] == ["市总宣传部"]  # alias in the given registry
    assert data["activities"][0]["end"] == "2025-06-30"


def _error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert "Traceback" not in err
    return err.strip()


def test_errors_are_one_chinese_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert _error(["parse", str(empty)], capsys) == "error: 文件为空"
    binary = tmp_path / "blob.md"
    binary.write_bytes(bytes(range(256)) * 4)
    assert "无法识别" in _error(["parse", str(binary), "--json"], capsys)
    assert "找不到文件" in _error(["parse", str(tmp_path / "nope.md")], capsys)
    assert _error(["parse", str(empty), "--year", "abc"], capsys) == \
        "error: 命令行参数有误（参数 --year 的取值 'abc' 无效）；用法见 python -m seed parse --help"
    no_year = tmp_path / "no-year.md"
    no_year.write_text("职工活动方案\n\n二、主要任务\n\n（一）开展读书活动。\n\n完成时限：6月\n", encoding="utf-8")
    assert "--year" in _error(["parse", str(no_year)], capsys)
    assert "年份" in _error(["parse", str(no_year), "--year", "22"], capsys)
    assert "单位登记表" in _error(["parse", str(PLAN), "--units", str(tmp_path / "none.toml")], capsys)
    assert "参数有误" in _error(["parse", str(PLAN), "--year", "二〇二二"], capsys)
    assert "参数有误" in _error([], capsys)


def test_gbk_file_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(PLAN.read_text(encoding="utf-8").encode("gbk"))
    assert main(["parse", str(path), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["activities"]) == 10


def test_in_a_subprocess_errors_have_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "blob.md"
    path.write_bytes(b"\x00\x01\x02" * 100)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from seed.cli_parse import main; sys.exit(main(sys.argv[1:]))",
         "parse", str(path)],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
