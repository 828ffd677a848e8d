"""Small FY2568 plans and progress for the core tests of deadlines and reminders."""

import datetime as dt

from itadesk.plan import MeasuresPlan, PlannedMeasure
from itadesk.progress import MeasureProgress, ProgressReport, ReportingRound

START = dt.date(2024, 10, 1)
H1_END, YEAR_END = dt.date(2025, 3, 31), dt.date(2025, 9, 30)
ROUNDS = (ReportingRound("รอบ 6 เดือน", 6, START, H1_END), ReportingRound("รอบ 12 เดือน", 12, START, YEAR_END))


def plan_of(*ids: str) -> MeasuresPlan:
    """A FY2568 plan (from FY2567 scores) with one bare measure per id, all in theme 1."""
    return MeasuresPlan(2567, 2568, [PlannedMeasure(i, 1, i, [], "", "", "") for i in ids])


def progress_of(**entries: dict[int, str]) -> ProgressReport:
    """Progress keyed by measure id: ``progress_of(q1={6: DONE})``."""
    return ProgressReport(2568, ROUNDS, {mid: {months: MeasureProgress(mid, months, status)
                                              for months, status in rounds.items()}
                                        for mid, rounds in entries.items()})
