"""A zip-bomb .docx (1.5 MB holding a 1.5 GB document.xml) is refused before it is unpacked:
a clear Chinese line and exit 2 from ``seed parse`` / ``seed import``, with peak memory far
below what unpacking would take."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEASURE = r"""
import re, sys
from pathlib import Path
from seed.cli import main
code = main(sys.argv[1:])
# VmHWM is this program's own peak: ru_maxrss would carry the forking test process's size across exec.
peak = re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)
print("PEAK_KB", peak, file=sys.stderr)
sys.exit(code)
"""


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real .docx package whose document.xml unpacks to 1.5 GB (built streaming, never in memory)."""
    path = tmp_path_factory.mktemp("bomb") / "方案.docx"
    filler = b"<w:body>" + b" " * ((3 << 19) - 8)  # 1.5 MB, mostly blanks (what compresses best)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(1000):
                part.write(filler)
    assert path.stat().st_size < 2 * 1024 * 1024  # under the 2 MB upload limit
    return path


@pytest.mark.parametrize("command", [["parse"], ["import"]])
def test_zip_bomb_is_refused_in_bounded_memory(bomb: Path, tmp_path: Path, command: list[str]) -> None:
    args = [*command, str(bomb)]
    if command == ["import"]:
        args = ["--db", f"sqlite:///{tmp_path / 'events.db'}", *args]
    run = subprocess.run([sys.executable, "-c", MEASURE, *args], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    lines = [line for line in run.stderr.splitlines() if not line.startswith("PEAK_KB")]
    assert run.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("error: ") and "压缩炸弹" in lines[0], run.stderr
    peak_mb = int(run.stderr.split("PEAK_KB")[1].split()[0]) / 1024
    assert peak_mb < 300, f"peak {peak_mb:.0f} MB"
    assert run.stdout == ""
