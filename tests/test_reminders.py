"""Which reminders a daily run sends: rounds about to close, measures past their due date."""

import datetime as dt

from itadesk.progress import CANCELLED, DONE, IN_PROGRESS
from itadesk.reminders import OVERDUE, ROUND_CLOSING, DueItem, Reminder, Sent, due_items, responsible_units, to_send
from tests.support.progress_data import H1_END, YEAR_END, plan_of, progress_of

DEADLINES = {"q1": dt.date(2024, 12, 31), "h1": H1_END}


def _closing(items):
    return sorted((i.measure_key, i.months) for i in items if i.kind == ROUND_CLOSING)


def _overdue(items):
    return sorted((i.measure_key, i.date) for i in items if i.kind == OVERDUE)


def test_round_closing_within_the_lead_days_for_measures_neither_finished_nor_reported():
    plan = plan_of("q1", "h1", "year", "dropped")
    progress = progress_of(q1={6: DONE}, h1={6: IN_PROGRESS}, dropped={6: CANCELLED})
    # 24 Mar: the 6-month round ends in 7 days. h1 reported (in progress) this round, q1 done,
    # "dropped" cancelled: only "year" still has nothing for the round.
    assert _closing(due_items(plan, progress, DEADLINES, set(), dt.date(2025, 3, 24))) == [("year", 6)]
    # One day earlier the round is 8 days away; with a 10-day lead it is close enough.
    assert _closing(due_items(plan, progress, DEADLINES, set(), dt.date(2025, 3, 23))) == []
    assert _closing(due_items(plan, progress, DEADLINES, set(), dt.date(2025, 3, 23), lead_days=10)) == [("year", 6)]
    # The round's last day still counts; the day after, it is over.
    assert _closing(due_items(plan, progress, DEADLINES, set(), H1_END)) == [("year", 6)]
    assert _closing(due_items(plan, progress, DEADLINES, set(), dt.date(2025, 4, 1))) == []


def test_no_round_closing_reminder_for_a_locked_round():
    plan = plan_of("year")
    assert _closing(due_items(plan, progress_of(), DEADLINES, {6}, dt.date(2025, 3, 28))) == []


def test_a_measure_finished_in_an_earlier_round_is_not_chased_at_the_next():
    plan = plan_of("q1", "h1")
    progress = progress_of(q1={6: DONE}, h1={6: IN_PROGRESS})
    # At the year's end q1 stands done from the 6-month report; h1 is unfinished and not yet reported.
    items = due_items(plan, progress, {}, set(), dt.date(2025, 9, 25))
    assert _closing(items) == [("h1", 12)]


def test_overdue_measures_use_their_due_date_or_the_fiscal_year_end_without_one():
    plan = plan_of("q1", "h1", "handmade")
    progress = progress_of(h1={6: DONE})
    assert _overdue(due_items(plan, progress, DEADLINES, set(), dt.date(2025, 1, 1))) == [("q1", dt.date(2024, 12, 31))]
    # "handmade" has no due date: it is due on 30 Sep 2025, the end of FY2568, overdue from 1 Oct.
    assert _overdue(due_items(plan, progress, DEADLINES, set(), YEAR_END)) == [("q1", dt.date(2024, 12, 31))]
    assert _overdue(due_items(plan, progress, DEADLINES, set(), dt.date(2025, 10, 1))) == [
        ("handmade", YEAR_END), ("q1", dt.date(2024, 12, 31))]


def test_overdue_stops_once_the_years_last_round_is_locked():
    plan = plan_of("q1")
    assert _overdue(due_items(plan, progress_of(), DEADLINES, {6}, dt.date(2025, 5, 1))) == [("q1", dt.date(2024, 12, 31))]
    assert _overdue(due_items(plan, progress_of(), DEADLINES, {6, 12}, dt.date(2025, 10, 5))) == []


CLOSING = DueItem(ROUND_CLOSING, "m1", 6, H1_END)
LATE = DueItem(OVERDUE, "m1", None, dt.date(2024, 12, 31))
TO = {"m1": ["nok@example.go.th", "somchai@example.go.th"]}


def test_each_item_goes_to_each_recipient_of_its_measure_and_no_one_else():
    reminders = to_send([CLOSING], {**TO, "m2": ["other@example.go.th"]}, [], dt.date(2025, 3, 25))
    assert reminders == [Reminder(CLOSING, "nok@example.go.th"), Reminder(CLOSING, "somchai@example.go.th")]
    assert to_send([CLOSING], {}, [], dt.date(2025, 3, 25)) == []


def test_a_round_closing_reminder_is_sent_once_per_recipient():
    sent = [Sent(ROUND_CLOSING, "m1", 6, "Nok@Example.go.th", dt.date(2025, 3, 24))]
    # The next days: only the recipient who has not had it yet (e-mail case does not matter).
    assert to_send([CLOSING], TO, sent, dt.date(2025, 3, 25)) == [Reminder(CLOSING, "somchai@example.go.th")]
    # A reminder about another round of the same measure is another reminder.
    other_round = DueItem(ROUND_CLOSING, "m1", 12, YEAR_END)
    assert len(to_send([other_round], TO, sent, dt.date(2025, 9, 25))) == 2


def test_an_overdue_reminder_is_repeated_after_seven_days_not_before():
    sent = [Sent(OVERDUE, "m1", None, address, dt.date(2025, 1, 6)) for address in TO["m1"]]
    assert to_send([LATE], TO, sent, dt.date(2025, 1, 6)) == []
    assert to_send([LATE], TO, sent, dt.date(2025, 1, 12)) == []
    assert len(to_send([LATE], TO, sent, dt.date(2025, 1, 13))) == 2
    # A round-closing reminder about the same measure does not hold back the overdue one.
    closing_sent = [Sent(ROUND_CLOSING, "m1", 6, a, dt.date(2025, 1, 12)) for a in TO["m1"]]
    assert len(to_send([LATE], TO, closing_sent, dt.date(2025, 1, 12))) == 2


def test_responsible_units_named_in_the_text():
    units = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองช่างสุขาภิบาล", "หน่วยตรวจสอบภายใน"]
    assert responsible_units("กองคลัง (งานพัสดุ)", units) == ["กองคลัง"]
    assert responsible_units("สำนักปลัด (งานประชาสัมพันธ์, งานบริการประชาชน) / กองคลัง (งานพัสดุ)",
                             units) == ["สำนักปลัด", "กองคลัง"]
    # The longer name wins; the shorter one counts where it stands alone.
    assert responsible_units("กองช่างสุขาภิบาล", units) == ["กองช่างสุขาภิบาล"]
    assert responsible_units("กองช่าง / กองช่างสุขาภิบาล", units) == ["กองช่าง", "กองช่างสุขาภิบาล"]
    assert responsible_units("คณะทำงาน ITA", units) == []
    assert responsible_units("สำนัก  ปลัด", ["สำนัก ปลัด"]) == ["สำนัก ปลัด"]
