"""Late, overdue and due-soon measures: what the overview highlights and the reminders chase."""

import datetime as dt

from itadesk.progress import CANCELLED, DONE, IN_PROGRESS, due_soon, late_in_round, overdue
from tests.support.progress_data import plan_of, progress_of

DEADLINES = {"q1": dt.date(2024, 12, 31), "h1": dt.date(2025, 3, 31), "q3": dt.date(2025, 6, 30)}


def test_late_in_a_round_is_due_by_its_end_and_not_finished_then():
    plan = plan_of("q1", "h1", "q3", "year")
    progress = progress_of(q1={6: DONE}, h1={6: IN_PROGRESS, 12: DONE})
    # At 6 months: h1 was due 31 Mar and still in progress; q1 done; q3 and the whole-year one not due yet.
    assert late_in_round(plan, progress, 6, DEADLINES, dt.date(2025, 5, 1)) == ["h1"]
    # At 12 months h1 is done; q3 (due 30 Jun) never reported; "year" (no date: 30 Sep) not due by 10 Aug.
    assert late_in_round(plan, progress, 12, DEADLINES, dt.date(2025, 8, 10)) == ["q3"]
    # A running round only counts what is already past due today.
    assert late_in_round(plan, progress, 6, DEADLINES, dt.date(2024, 12, 31)) == []


def test_overdue_uses_the_latest_report_and_ignores_cancelled_measures():
    plan = plan_of("q1", "h1", "q3")
    progress = progress_of(q1={6: CANCELLED}, h1={6: IN_PROGRESS}, q3={6: DONE})
    assert overdue(plan, progress, DEADLINES, dt.date(2025, 4, 1)) == ["h1"]
    assert overdue(plan, progress, DEADLINES, dt.date(2025, 3, 31)) == []   # due today is not overdue yet


def test_due_soon_is_unfinished_and_due_within_thirty_days():
    plan = plan_of("q1", "h1", "q3", "year")
    progress = progress_of(q1={6: DONE})
    assert due_soon(plan, progress, DEADLINES, dt.date(2025, 3, 1)) == ["h1"]
    assert due_soon(plan, progress, DEADLINES, dt.date(2025, 9, 1)) == ["year"]
    assert due_soon(plan, progress, DEADLINES, dt.date(2024, 12, 15)) == []   # q1 is due but done
