"""What every command line of the project shares: one Chinese line for a bad argument, and one guard
around the work on the store (one ``error:`` line on stderr, exit 2, the store closed), so that
``store``, ``seed``, ``dashboard.brief``, ``dashboard.remind`` and ``dashboard.users`` refuse alike.

Kept apart from ``store/cli.py`` so that it stays light: ``dashboard.users`` touches no store and
should not wait for one to be imported (0.7 s).
"""

from __future__ import annotations

import argparse
import errno
import logging
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from store.log import EventStore

_ARGPARSE_WORDS = (
    (re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"), r"参数 \1 的取值 \2 无效，可选：\3"),
    (re.compile(r"^argument (\S+): invalid \w+ value: (.+)$"), r"参数 \1 的取值 \2 无效"),
    (re.compile(r"^argument (\S+): expected one argument$"), r"参数 \1 需要一个取值"),
    (re.compile(r"^argument (\S+): (.+)$"), r"参数 \1：\2"),
    (re.compile(r"^the following arguments are required: (.+)$"), r"缺少参数：\1"),
    (re.compile(r"^unrecognized arguments: (.+)$"), r"无法识别的参数：\1"),
)


_OS_ZH = {errno.ENOENT: "路径不存在", errno.EACCES: "没有权限", errno.EPERM: "不允许的操作",
          errno.EROFS: "文件系统是只读的", errno.ENOSPC: "磁盘已满", errno.ENOTDIR: "路径中有一段不是文件夹",
          errno.EISDIR: "这是一个文件夹"}


def os_reason(exc: OSError) -> str:
    """Why the system refused a file, in Chinese where it is a usual reason."""
    return _OS_ZH.get(exc.errno or 0, exc.strerror or str(exc))


def chinese(message: str, table: Sequence[tuple[re.Pattern[str], str]] = _ARGPARSE_WORDS) -> str:
    """A message in Chinese by the first pattern of ``table`` it matches (argparse's usual complaints by
    default); anything else as it was said."""
    for pattern, words in table:
        if pattern.match(message):
            return pattern.sub(words, message)
    return message


class CommandParser(argparse.ArgumentParser):
    """argparse prints the whole usage before an error; a refusal here is one Chinese line, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: 命令行参数有误（{chinese(message)}）；用法见 {self.prog} --help\n")


def run_command(open_store: Callable[[], EventStore], act: Callable[[EventStore], int],
                logger: logging.Logger) -> int:
    """Open the store, act on it, close it: whatever goes wrong (the store cannot be opened, a refusal,
    a bug) is one ``error:`` line on stderr and exit 2, never a traceback; the details go to ``logger``."""
    store: EventStore | None = None
    try:
        store = open_store()
        return act(store)
    except Exception as exc:  # noqa: BLE001 - the one guard of every command line
        logger.debug("refused", exc_info=True)
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 2
    finally:
        if store is not None:
            store.close()


def one_line(exc: BaseException) -> str:
    """The error in Chinese where it says it (``zh``: the store's refusals), else its first line (a
    database error's driver message, not SQLAlchemy's wrapper). The English stays in the log."""
    zh = getattr(exc, "zh", None)
    if isinstance(zh, str) and zh.strip():
        return zh.strip().splitlines()[0]
    if isinstance(exc, OSError) and exc.filename:   # a file named on the command line that cannot be used
        return f"无法使用文件 {exc.filename}：{os_reason(exc)}"
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
