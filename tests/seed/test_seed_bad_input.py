"""Files that are not plans, and windows that cannot be read."""

import io
import random
import zipfile
from pathlib import Path

import pytest

from seed.parser import PlanParseError, parse_document


def write(tmp_path: Path, data: bytes, name: str = "plan.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(PlanParseError, match="^文件为空$"):
        parse_document(write(tmp_path, data))


def test_empty_docx(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "empty.docx"
    docx.Document().save(path)
    with pytest.raises(PlanParseError, match="^文件为空$"):
        parse_document(path)


@pytest.mark.parametrize(
    "text",
    [
        "青海省总工会\n\n关于做好节日期间安全工作的通知\n\n各单位要高度重视安全生产。\n",
        # numbered items only in the requirements chapter
        "青海省总工会2022年方案\n\n一、工作要求\n\n（一）提高认识。\n\n完成时限：全年\n\n二、保障措施\n\n（一）经费保障。\n",
        # a table that is not a task table
        "# 2022年通讯录\n\n| 姓名 | 电话 |\n|---|---|\n| 张三 | 123 |\n",
    ],
)
def test_no_activities(tmp_path: Path, text: str) -> None:
    with pytest.raises(PlanParseError, match="文件中没有找到活动"):
        parse_document(write(tmp_path, text.encode("utf-8")))


def test_binary_bytes(tmp_path: Path) -> None:
    data = bytes(range(256)) * 8
    with pytest.raises(PlanParseError, match="文件内容无法识别"):
        parse_document(write(tmp_path, data))


def test_garbled_bytes_without_nul(tmp_path: Path) -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    with pytest.raises(PlanParseError, match="文件内容无法识别"):
        parse_document(write(tmp_path, data))


def test_gb18030_decodable_noise_is_refused(tmp_path: Path) -> None:
    # valid GB18030 four-byte sequences for rare characters: decodes, but is not prose
    noise = "".join(chr(c) for c in range(0x3400, 0x3600)).encode("gb18030")
    with pytest.raises(PlanParseError, match="乱码"):
        parse_document(write(tmp_path, noise))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "plan.pdf", "不支持 PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.doc", "不支持旧版 .doc"),
        ("这不是 Word 文件".encode("utf-8"), "plan.docx", "无法读取 .docx"),
    ],
)
def test_wrong_formats(tmp_path: Path, data: bytes, name: str, message: str) -> None:
    with pytest.raises(PlanParseError, match=message):
        parse_document(write(tmp_path, data, name))


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(PlanParseError, match="无法读取 .docx"):
        parse_document(write(tmp_path, buffer.getvalue(), "plan.docx"))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(PlanParseError, match="找不到文件"):
        parse_document(tmp_path / "nope.md")
    with pytest.raises(PlanParseError, match="是目录"):
        parse_document(tmp_path)


BAD_WINDOWS = """青海省总工会

青工发〔2022〕9号

青海省总工会2022年职工文化活动方案

二、活动内容

（一）举办职工书法展。展出职工书法作品。

牵头单位：省总宣传部

完成时限：13月

（二）举办职工摄影展。展出职工摄影作品。

牵头单位：省总宣传部

完成时限：2月30日

（三）举办职工歌咏比赛。

牵头单位：省总宣传部

完成时限：适时

（四）开展职工读书活动。

牵头单位：省总宣传部

（五）开展职工运动会。

完成时限：8月
"""


def test_unreadable_windows_are_kept_and_warned(tmp_path: Path) -> None:
    result = parse_document(write(tmp_path, BAD_WINDOWS.encode("utf-8")))
    acts = result["activities"]
    assert len(acts) == 5
    assert [(a["window_text"], a["start"], a["end"]) for a in acts] == [
        ("13月", None, None),
        ("2月30日", None, None),
        ("适时", None, None),
        (None, None, None),
        ("8月", "2022-08-01", "2022-08-31"),
    ]
    assert result["warnings"] == [
        "活动1「举办职工书法展」的完成时限「13月」无法识别，已按原文保留，未设起止日期",
        "活动2「举办职工摄影展」的完成时限「2月30日」无法识别，已按原文保留，未设起止日期",
        "活动3「举办职工歌咏比赛」的完成时限「适时」无法识别，已按原文保留，未设起止日期",
        "活动4「开展职工读书活动」没有写完成时限，未设起止日期",
        "活动5「开展职工运动会」没有写牵头单位",
    ]
    # the plan's own window comes from what could be read
    assert (result["plan"]["start"], result["plan"]["end"]) == ("2022-08-01", "2022-08-31")
