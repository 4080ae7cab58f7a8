"""``python -m seed parse FILE --json > plan.json``, edit, ``python -m seed import plan.json``:
a reviewed parse is imported as corrected, with who reviewed it and what was changed on the log."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store.log import EventStore

ROOT = Path(__file__).resolve().parents[2]
DOC = Path(__file__).parent / "docs" / "offices" / "city-2024-practical-matters.txt"


def seed(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seed", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_parse_edit_import_round_trip(tmp_path: Path) -> None:
    parsed = seed("parse", str(DOC), "--json")
    assert parsed.returncode == 0, parsed.stderr
    plan = json.loads(parsed.stdout)
    plan["activities"][1]["end"] = "2024-12-15"  # the clerk knows the real deadline
    plan["activities"][1]["lead_units"] = ["市教育局"]
    plan["review"] = {"by": "张科长", "edited": ["2.end", "2.lead_units"]}
    reviewed = tmp_path / "plan.json"
    reviewed.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'events.db'}"
    done = seed("--db", db, "import", str(reviewed))
    assert done.returncode == 0, done.stderr
    store = EventStore(db)
    events = list(store.read())
    imported = next(e for e in events if e.type == "PlanImported")
    assert imported.payload["reviewed_by"] == "张科长"
    assert imported.payload["edited"] == ["2.end", "2.lead_units"]
    second = next(e for e in events if e.type == "ActivityPlanned" and e.payload["seq"] == 2)
    assert second.payload["end"] == "2024-12-15" and second.payload["lead_units"] == ["市教育局"]
    store.close()


def test_a_broken_reviewed_file_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    plan = json.loads(seed("parse", str(DOC), "--json").stdout)
    plan["activities"][0]["end"] = "2024-13-01"
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "events.db"
    done = seed("--db", f"sqlite:///{db}", "import", str(bad))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ") and "2024-13-01" in done.stderr
    store = EventStore(f"sqlite:///{db}")
    assert store.head()[0] == 0
    store.close()


def test_a_deadline_moved_past_the_plan_end_moves_the_plan_end() -> None:
    from seed.parser import parse_document
    from seed.review import check_reviewed

    parsed = parse_document(DOC)
    assert parsed["plan"]["end"] == "2024-12-31"
    parsed["activities"][1]["end"] = "2025-01-15"   # the clerk knows the works run into January
    assert check_reviewed(parsed)["plan"]["end"] == "2025-01-15"
    parsed["activities"][1]["end"] = "2024-10-31"
    assert check_reviewed(parsed)["plan"]["end"] == "2024-12-31"   # never shrunk
