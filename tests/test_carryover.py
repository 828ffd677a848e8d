"""Year to year: last year's weak items against the new scores (matched by topic, codes move),
and the measures a plan did not finish, with what was reported for them."""

from __future__ import annotations

from pathlib import Path

from itadesk.carryover import (
    BETTER,
    NOT_IN_CRITERIA,
    NOT_SCORED,
    RESOLVED,
    UNCHANGED,
    WORSE,
    compare_weak_items,
    retarget,
    unfinished_measures,
)
from itadesk.criteria import load_criteria
from itadesk.plan import MAINTAIN, MeasuresPlan, PlannedMeasure, Target
from itadesk.progress import DONE, IN_PROGRESS, NOT_STARTED, parse_progress
from itadesk.results import Results, load_results
from itadesk.status import IMPROVE, KEEP, URGENT
from itadesk.workflow import analyze_results

SEED = Path(__file__).resolve().parent / "data" / "seed000-2567.csv"


def fy2567(**changes: float) -> Results:
    results = load_results(SEED)
    return Results(2567, {**results.scores, **changes}, "seed000")


# FY2568 codes of FY2567 items (same topic): O12→O11 service statistics, O4→O3 contacts,
# O5→O4 news, O18→O14 HR plan, O19→O15 HR report (left unscored here).
FY2568 = Results(2568, {"O11": 100, "O3": 60, "O4": 0, "O14": 20, "O8": 100, "O9": 100}, "new")


def by_code(changes):
    return {c.previous_code: c for c in changes}


def test_each_weak_item_of_last_year_is_followed_to_this_year_by_topic():
    previous = analyze_results(fy2567(O18=50))
    changes = by_code(compare_weak_items(previous, analyze_results(FY2568)))

    moved = changes["O12"]  # ข้อมูลสถิติการให้บริการ: O12 in FY2567, O11 in FY2568
    assert (moved.code, moved.previous_score, moved.score, moved.status) == ("O11", 0, 100, KEEP)
    assert moved.outcome == RESOLVED and moved.improved and moved.outcome_label == "ผ่านเกณฑ์แล้ว"
    assert moved.label == "ข้อมูลสถิติการให้บริการ"

    contacts = changes["O4"]
    assert (contacts.code, contacts.score, contacts.status, contacts.outcome) == ("O3", 60, IMPROVE, BETTER)
    assert contacts.improved and contacts.change == 60

    news = changes["O5"]
    assert (news.code, news.score, news.status, news.outcome) == ("O4", 0, URGENT, UNCHANGED)
    assert not news.improved and news.outcome_label == "ไม่ดีขึ้น"

    hr_plan = changes["O18"]
    assert (hr_plan.previous_status, hr_plan.code, hr_plan.score, hr_plan.outcome) == (IMPROVE, "O14", 20, WORSE)
    assert not hr_plan.improved and hr_plan.change == -30

    hr_report = changes["O19"]
    assert (hr_report.code, hr_report.score, hr_report.outcome) == ("O15", None, NOT_SCORED)
    assert not hr_report.improved and hr_report.change is None

    # FY2568's criteria list no survey questions: e9 has no counterpart at all.
    assert (changes["e9"].code, changes["e9"].outcome) == (None, NOT_IN_CRITERIA)


def test_only_last_years_weak_items_are_compared_in_theme_order_urgent_first():
    previous = analyze_results(fy2567())
    changes = compare_weak_items(previous, analyze_results(FY2568))
    weak = [r.entry.code for t in previous.themes for r in t.weak]
    assert [c.previous_code for c in changes] == weak
    assert "O1" not in weak and "O13" not in weak          # full marks last year: not listed
    assert [c.previous_code for c in changes if c.theme == 1] == ["O7", "O9", "O8"]
    assert {c.previous_status for c in changes} == {URGENT, IMPROVE}


def test_a_carried_measures_targets_take_this_years_codes_and_scores():
    targets = [
        Target("O12", "ข้อมูลเชิงสถิติการให้บริการ", 0, URGENT),    # now O11, 100: upkeep
        Target("O4", "ข้อมูลการติดต่อ", 0, URGENT),                  # now O3, 60: still to improve
        Target("e9", "การใช้ e-Service", 48.19, URGENT),             # not assessed in FY2568
    ]
    moved = retarget(targets, load_criteria(2567), analyze_results(FY2568))
    assert moved == [Target("O11", "ข้อมูลสถิติการให้บริการ", 100, MAINTAIN),
                     Target("O3", "ข้อมูลการติดต่อ", 60, IMPROVE)]


def _measure(measure_id: str) -> PlannedMeasure:
    return PlannedMeasure(measure_id, 1, f"มาตรการ {measure_id}", ["ขั้นตอน"], "สำนักปลัด", "ทั้งปี", "รายงาน")


def test_unfinished_measures_are_those_not_done_or_cancelled_in_their_latest_report():
    plan = MeasuresPlan(2567, 2568, [_measure(m) for m in ("done6", "cancel12", "going", "never", "reopened")])
    progress = parse_progress({
        "done6": {6: {"status": "done", "done": "เผยแพร่แล้ว"}},
        "cancel12": {6: {"status": "in_progress"}, 12: {"status": "cancelled", "reason": "ยุบงาน"}},
        "going": {6: {"status": "in_progress", "done": "ร่างคู่มือแล้ว", "problems": "บุคลากรไม่พอ"}},
        "reopened": {6: {"status": "done", "done": "ติดตั้งระบบ"},
                     12: {"status": "in_progress", "done": "ระบบล่ม ต้องติดตั้งใหม่"}},
    }, "progress.yaml", plan)

    unfinished = unfinished_measures(plan, progress)

    assert [(u.measure.measure_id, u.status) for u in unfinished] == [
        ("going", IN_PROGRESS), ("never", NOT_STARTED), ("reopened", IN_PROGRESS)]
    going, never, reopened = unfinished
    assert [(h.round.name, h.progress.status, h.progress.done, h.progress.problems) for h in going.history] == [
        ("รอบ 6 เดือน", IN_PROGRESS, "ร่างคู่มือแล้ว", "บุคลากรไม่พอ")]
    assert never.history == ()
    assert [(h.round.months, h.progress.status) for h in reopened.history] == [(6, DONE), (12, IN_PROGRESS)]
    assert going.measure.name == "มาตรการ going"
