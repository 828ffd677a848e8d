"""From one year to the next: did last year's weak items improve, and which measures are unfinished.

The plan for year P answers the weak items of assessed year P−1; when the scores of year P
arrive, the agency sees, item by item, whether those weak items got better, and carries the
measures it did not finish into the plan for P+1 together with what it reported for them.
Items are matched by topic, never by code, because codes move between years (O12 → O11).
"""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.analysis import Analysis, classify
from itadesk.criteria import Criteria
from itadesk.plan import MAINTAIN, MeasuresPlan, PlannedMeasure, Target
from itadesk.progress import MeasureProgress, ProgressReport, ReportingRound, is_finished, latest_status
from itadesk.status import KEEP

RESOLVED = "resolved"                # no longer weak
BETTER = "better"                    # score up, still weak
UNCHANGED = "unchanged"              # same score, still weak
WORSE = "worse"                      # score down
NOT_SCORED = "not_scored"            # the item is in this year's criteria but has no score
NOT_IN_CRITERIA = "not_in_criteria"  # no item with the same topic this year (merged, dropped, unknown)

OUTCOME_LABEL = {
    RESOLVED: "ผ่านเกณฑ์แล้ว",
    BETTER: "ดีขึ้นแต่ยังต้องพัฒนา",
    UNCHANGED: "ไม่ดีขึ้น",
    WORSE: "แย่ลง",
    NOT_SCORED: "ไม่มีคะแนนข้อนี้ในปีนี้",
    NOT_IN_CRITERIA: "ไม่พบข้อเดียวกันในเกณฑ์ปีนี้",
}
IMPROVED = (RESOLVED, BETTER)


@dataclass(frozen=True)
class WeakItemChange:
    """A question or item that was weak last year, and where it stands this year."""

    topic: str | None
    theme: int                      # last year's theme number
    previous_code: str
    previous_label: str
    previous_score: float
    previous_status: str            # URGENT / IMPROVE
    code: str | None                # this year's code of the same topic
    label: str | None
    score: float | None
    status: str | None              # URGENT / IMPROVE / KEEP, None if not assessed
    outcome: str

    @property
    def improved(self) -> bool:
        return self.outcome in IMPROVED

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABEL[self.outcome]

    @property
    def change(self) -> float | None:
        return None if self.score is None else self.score - self.previous_score


def _outcome(previous_score: float, score: float, status: str) -> str:
    if status == KEEP:
        return RESOLVED
    if score > previous_score:
        return BETTER
    return UNCHANGED if score == previous_score else WORSE


def compare_weak_items(previous: Analysis, current: Analysis) -> list[WeakItemChange]:
    """Every weak (urgent or to-improve) item of ``previous``, in its theme order (urgent first,
    lowest score first), with the score and status of the same topic in ``current``."""
    changes = []
    for theme in previous.themes:
        for row in theme.weak:
            entry = current.criteria.entry_by_topic.get(row.entry.topic) if row.entry.topic else None
            score = current.card.entries.get(entry.code) if entry is not None else None
            status = classify(entry, score, current.criteria) if entry is not None and score is not None else None
            if entry is None:
                outcome = NOT_IN_CRITERIA
            elif score is None or status is None:
                outcome = NOT_SCORED
            else:
                outcome = _outcome(row.score, score, status)
            changes.append(WeakItemChange(
                row.entry.topic, theme.theme.number, row.entry.code, row.entry.label, row.score, row.status,
                entry.code if entry else None, entry.label if entry else None, score, status, outcome,
            ))
    return changes


def retarget(targets: list[Target], previous_criteria: Criteria, current: Analysis) -> list[Target]:
    """A carried measure's targets (codes of ``previous_criteria``) in this year's terms: the same
    topics under this year's codes, names and scores; targets not assessed this year are dropped,
    those now passing become upkeep."""
    moved = []
    for target in targets:
        old = previous_criteria.entry_by_code.get(target.code)
        entry = current.criteria.entry_by_topic.get(old.topic) if old is not None and old.topic else None
        score = current.card.entries.get(entry.code) if entry is not None else None
        if entry is None or score is None:
            continue
        status = classify(entry, score, current.criteria)
        moved.append(Target(entry.code, entry.label, score, MAINTAIN if status == KEEP else status))
    return moved


@dataclass(frozen=True)
class RoundReport:
    """What was reported for a measure in one round."""

    round: ReportingRound
    progress: MeasureProgress


@dataclass(frozen=True)
class UnfinishedMeasure:
    measure: PlannedMeasure
    status: str                         # latest status: NOT_STARTED or IN_PROGRESS
    history: tuple[RoundReport, ...]    # the rounds actually reported, earliest first


def unfinished_measures(plan: MeasuresPlan, progress: ProgressReport) -> list[UnfinishedMeasure]:
    """The plan's measures whose latest status is neither done nor cancelled, in plan order."""
    unfinished = []
    for measure in plan.measures:
        status = latest_status(progress, measure.measure_id)
        if is_finished(status):
            continue
        reported = progress.entries.get(measure.measure_id, {})
        history = tuple(RoundReport(r, reported[r.months]) for r in progress.rounds if r.months in reported)
        unfinished.append(UnfinishedMeasure(measure, status, history))
    return unfinished
