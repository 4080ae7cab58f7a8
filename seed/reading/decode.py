"""Bytes of a text file -> str: UTF-8 or GBK/GB18030, refusing binary noise with a Chinese reason."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from seed.errors import PlanParseError

__all__ = ["decode_text", "read_source"]


def read_source(source: str | Path | bytes, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), filename or ""
    path = Path(source)
    try:
        return path.read_bytes(), filename or path.name
    except FileNotFoundError:
        raise PlanParseError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise PlanParseError(f"{path} 是目录，不是方案文件") from None
    except OSError as exc:
        raise PlanParseError(f"无法读取文件 {path}：{exc.strerror or exc}") from None


def _looks_garbled(text: str) -> bool:
    """Text decoded without error can still be noise: count control/unassigned characters."""
    if not text:
        return False
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (ch not in "\t\n\r\f\v" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    )
    return bad / len(text) > 0.02


def _common_share(text: str) -> float:
    """Share of characters in GB2312 or ASCII: real Chinese prose is almost all of them."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 1.0
    ok = 0
    for ch in chars:
        try:
            ch.encode("gb2312")
            ok += 1
        except UnicodeEncodeError:
            pass
    return ok / len(chars)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030/GBK, each strictly; anything else is an error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PlanParseError("文件内容无法识别：UTF-16 编码有误") from None
    if b"\x00" in data:
        raise PlanParseError("文件内容无法识别：这是二进制文件，不是文本或 .docx 方案")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise PlanParseError(
                "文件内容无法识别：既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为 UTF-8 文本"
            ) from None
        if _common_share(text) < 0.9:
            raise PlanParseError("文件内容无法识别：内容是乱码或二进制数据，请另存为 UTF-8 文本")
    if _looks_garbled(text):
        raise PlanParseError("文件内容无法识别：含有大量控制字符，可能是二进制文件")
    return text
