"""Stores for page and browser tests: empty, the 2022 plan alone, and the plan with its demo course.

Built once per session in real SQLite files (importing and replaying the demo takes a few
seconds); page tests only read them, and tests that write copy them first.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from seed.cli import DEFAULT_PLAN, read_and_parse
from seed.demo import run_demo
from seed.importer import import_plan
from store.log import EventStore


def _build(path: Path, *, plan: bool, demo: bool) -> str:
    url = f"sqlite:///{path}"
    store = EventStore(url)
    store.init()
    if plan:
        parsed, sha = read_and_parse(DEFAULT_PLAN, None)
        result = import_plan(store, parsed, source=DEFAULT_PLAN.name, sha256=sha)
        if demo:
            run_demo(store, plan_id=result.plan_id)
    store.close()
    return url


@pytest.fixture(scope="session")
def store_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("stores")
    files = {"empty": base / "empty.db", "plan": base / "plan.db", "demo": base / "demo.db"}
    _build(files["empty"], plan=False, demo=False)
    _build(files["plan"], plan=True, demo=False)
    _build(files["demo"], plan=True, demo=True)
    return files


@pytest.fixture
def demo_copy(store_files: dict[str, Path], tmp_path: Path) -> Iterator[str]:
    """A private copy of the demo store for a test that writes."""
    target = tmp_path / "demo.db"
    shutil.copy(store_files["demo"], target)
    yield f"sqlite:///{target}"
