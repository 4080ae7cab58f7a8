"""The per-stream aggregates answer what a scan of the facts would, after any mix of reports and
retractions: each unit's latest report by a day (配合单位进度, 本单位进度) is read by bisection now,
and must be the report a reader of the log would pick (latest day, then latest position)."""

from __future__ import annotations

import random

from store.reading.cells import StreamCells

UNITS = ["省总宣传部", "西宁市总工会", "海东市总工会", "海北州总工会"]


def _scan(facts: list[tuple[int, int, float, str]], day: int) -> dict[str, tuple[int, float]]:
    latest: dict[str, tuple[int, int, float]] = {}
    for on, position, percent, unit in facts:
        if on <= day and (unit not in latest or (on, position) > latest[unit][:2]):
            latest[unit] = (on, position, percent)
    return {unit: (on, percent) for unit, (on, _, percent) in latest.items()}


def test_each_units_latest_report_survives_any_mix_of_reports_and_retractions() -> None:
    rng = random.Random(2022)
    cells, standing = StreamCells(), []
    for position in range(1, 1500):
        if standing and rng.random() < 0.2:   # a retraction takes out one standing report
            on, pos, percent, unit = standing.pop(rng.randrange(len(standing)))
            cells.apply("ProgressReported", pos, on, unit, {"percent": percent}, sign=-1)
        else:   # reports arrive in position order but are dated anywhere in the plan (late reports)
            on, unit = rng.randint(738000, 738090), rng.choice(UNITS)
            percent = float(rng.randint(0, 100))
            cells.apply("ProgressReported", position, on, unit, {"percent": percent})
            standing.append((on, position, percent, unit))
        if position % 50 == 0:
            for day in (737999, rng.randint(738000, 738090), 738100):
                assert cells.unit_reports(day) == _scan(standing, day)
    assert cells.unit_reports(738100) == _scan(standing, 738100) and standing
