"""Progress of the measures plan, reported in rounds (6 and 12 months of the plan's fiscal year).

Plain data, like the plan itself: what an officer reports per measure and round (status, what
was done, output, outcome, problems, suggestions, evidence), read from a YAML/JSON mapping
keyed by ``measure_id``::

    fiscal_year: 2568            # optional; checked against the plan's year
    staff_manual:
      6:                         # the round: 6, "๖", "รอบ 6 เดือน", "6 เดือน"
        status: done             # not_started / in_progress / done / cancelled (or the Thai label)
        done: ...                # ผลการดำเนินการ
        output: ...              # ผลผลิต
        outcome: ...             # ผลลัพธ์/ผลสัมฤทธิ์
        problems: ...            # ปัญหาอุปสรรค
        suggestions: ...         # ข้อเสนอแนะ
        evidence: [https://...]  # links to what was published or done
      12:
        status: cancelled
        reason: ...              # required for a cancelled measure

A round's report shows, for each measure, what was reported for that round, or else the latest
earlier round (a measure finished at 6 months is still finished at 12); a measure never
reported is "not started".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itadesk.criteria import criteria_in_force
from itadesk.criteria.model import Criteria
from itadesk.datafile import read_yaml_or_json
from itadesk.errors import InputError, Problem
from itadesk.plan import MeasuresPlan
from itadesk.thai import fiscal_year_bounds, to_arabic_digits

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
CANCELLED = "cancelled"
STATUSES = (DONE, IN_PROGRESS, NOT_STARTED, CANCELLED)   # the order of every summary

PROGRESS_LABEL = {
    DONE: "ดำเนินการแล้วเสร็จ",
    IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    NOT_STARTED: "ยังไม่ได้ดำเนินการ",
    CANCELLED: "ยกเลิก",
}
_STATUS_ALIASES = {
    **{code: code for code in STATUSES},
    **{label: code for code, label in PROGRESS_LABEL.items()},
    "not-started": NOT_STARTED, "notstarted": NOT_STARTED, "in-progress": IN_PROGRESS,
    "inprogress": IN_PROGRESS, "completed": DONE, "canceled": CANCELLED,
    "แล้วเสร็จ": DONE, "ดำเนินการแล้ว": DONE, "ยังไม่ดำเนินการ": NOT_STARTED,
    "ยกเลิกการดำเนินการ": CANCELLED,
}
TEXT_FIELDS = ("done", "output", "outcome", "problems", "suggestions", "reason")
FIELDS = ("status", *TEXT_FIELDS, "evidence")
YEAR_KEY = "fiscal_year"


# --------------------------------------------------------------------------- rounds


@dataclass(frozen=True)
class ReportingRound:
    """A reporting round of a plan year: from 1 Oct to the end of its ``months``."""

    name: str        # as the criteria word it, Arabic digits: "รอบ 6 เดือน"
    months: int
    start: dt.date
    end: dt.date


def round_end(plan_year: int, months: int) -> dt.date:
    """Last day of a round: the fiscal year's first day + ``months`` − 1 day (FY2568, 6 → 31 Mar 2025)."""
    start, _ = fiscal_year_bounds(plan_year)
    index = start.month - 1 + months
    return dt.date(start.year + index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def reporting_rounds(plan: MeasuresPlan, criteria: Criteria | None = None) -> tuple[ReportingRound, ...]:
    """The rounds of ``plan``'s year, from the criteria's ``rounds`` (6 and 12 months)."""
    criteria = criteria or criteria_in_force(plan.plan_year)
    start, _ = fiscal_year_bounds(plan.plan_year)
    return tuple(
        ReportingRound(r.name, r.months, start, round_end(plan.plan_year, r.months))
        for r in sorted(criteria.rounds, key=lambda r: r.months)
    )


# --------------------------------------------------------------------------- progress


@dataclass
class MeasureProgress:
    measure_id: str
    months: int                  # the round reported
    status: str                  # NOT_STARTED / IN_PROGRESS / DONE / CANCELLED
    done: str = ""               # ผลการดำเนินการ
    output: str = ""             # ผลผลิต
    outcome: str = ""            # ผลลัพธ์/ผลสัมฤทธิ์
    problems: str = ""           # ปัญหาอุปสรรค
    suggestions: str = ""        # ข้อเสนอแนะ
    reason: str = ""             # why a measure was cancelled
    evidence: list[str] = field(default_factory=list)
    # names of the evidence files uploaded on the web (stored there; not part of a report's text)
    files: list[str] = field(default_factory=list, compare=False)


@dataclass
class ProgressReport:
    plan_year: int
    rounds: tuple[ReportingRound, ...]
    entries: dict[str, dict[int, MeasureProgress]]   # measure_id → months → progress

    def round(self, which: ReportingRound | int | str) -> ReportingRound:
        """A round by itself, its months (6) or its name ("รอบ 6 เดือน", "๖")."""
        if isinstance(which, ReportingRound):
            return which
        months = which if isinstance(which, int) else parse_round_months(which)
        for r in self.rounds:
            if r.months == months:
                return r
        raise InputError.single(
            f"ไม่มีรอบรายงานนี้ (มี {', '.join(r.name for r in self.rounds)})", value=which)

    def entry(self, measure_id: str, which: ReportingRound | int | str) -> MeasureProgress:
        """What stands for the measure at the end of a round: that round's report, else the
        latest earlier one, else not started."""
        months = self.round(which).months
        reported = self.entries.get(measure_id, {})
        earlier = [m for m in reported if m <= months]
        if not earlier:
            return MeasureProgress(measure_id, months, NOT_STARTED)
        return reported[max(earlier)]

    def reported_up_to(self, measure_id: str, which: ReportingRound | int | str,
                       ) -> list[tuple[ReportingRound, MeasureProgress]]:
        """Each round up to ``which`` in which the measure was reported, with that report."""
        months = self.round(which).months
        reported = self.entries.get(measure_id, {})
        return [(r, reported[r.months]) for r in self.rounds if r.months <= months and r.months in reported]


def parse_status(raw: object) -> str | None:
    """A status code from its code, Thai label or a common alias ("done", "ดำเนินการแล้วเสร็จ",
    "completed"); None when it is none of them."""
    return _STATUS_ALIASES.get(str(raw).strip().lower())


def parse_round_months(raw: object) -> int | None:
    """6, "6", "๖", "รอบ 6 เดือน", "6 เดือน", "6m" → 6; anything else → None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    text = to_arabic_digits(str(raw)).strip().lower()
    match = re.fullmatch(r"(?:รอบ\s*)?(\d{1,2})\s*(?:เดือน|m|months?)?", text)
    return int(match.group(1)) if match else None


def _where(measure_id: str, round_label: str | None = None) -> str:
    where = f"มาตรการ {measure_id}"
    return f"{where}, {round_label}" if round_label else where


def _text(raw: object) -> str | None:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (str, int, float)):
        return str(raw).strip()
    return None


def _parse_entry(raw: object, measure_id: str, round_label: str, months: int, source: str,
                 problems: list[Problem]) -> MeasureProgress | None:
    where = _where(measure_id, round_label)

    def problem(message: str, value: object = None) -> None:
        problems.append(Problem(message, source, where, value))

    if not isinstance(raw, dict):
        problem("ผลการดำเนินการของรอบต้องเป็นชุดข้อมูล (status, done, output, outcome, …)", raw)
        return None
    before = len(problems)
    for key in raw:
        if key not in FIELDS:
            problem(f"ไม่รู้จักหัวข้อนี้ (ใช้ได้: {', '.join(FIELDS)})", key)
    status_raw = raw.get("status")
    status = parse_status(status_raw) if status_raw is not None else None
    if status_raw is None:
        problem("ไม่ได้ระบุสถานะ (status)")
    elif status is None:
        problem(f"ไม่รู้จักสถานะนี้ (ใช้ได้: {', '.join(STATUSES)})", status_raw)
    texts: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = _text(raw.get(name))
        if value is None:
            problem(f"หัวข้อ {name} ต้องเป็นข้อความ", raw.get(name))
        else:
            texts[name] = value
    evidence_raw = raw.get("evidence") or []
    if isinstance(evidence_raw, str):
        evidence_raw = [evidence_raw]
    if not isinstance(evidence_raw, list) or not all(isinstance(e, str) and e.strip() for e in evidence_raw):
        problem("หลักฐาน (evidence) ต้องเป็นลิงก์หรือรายการลิงก์ที่ไม่ว่าง", raw.get("evidence"))
        evidence_raw = []
    if status == CANCELLED and not texts.get("reason"):
        problem("มาตรการที่ยกเลิกต้องระบุเหตุผล (reason)", status_raw)
    if len(problems) > before or status is None:
        return None
    return MeasureProgress(measure_id, months, status, evidence=[e.strip() for e in evidence_raw], **texts)


def parse_progress(data: object, source: str, plan: MeasuresPlan,
                   criteria: Criteria | None = None) -> ProgressReport:
    """Validate reported progress against ``plan``; raise InputError listing every problem
    (file, measure, round, value): unknown measure id, unknown round, unknown status,
    cancelled without a reason, wrong fiscal year, unknown or mistyped fields."""
    rounds = reporting_rounds(plan, criteria)
    by_months = {r.months: r for r in rounds}
    round_names = ", ".join(r.name for r in rounds)
    known = {m.measure_id for m in plan.measures}
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError.single("ไฟล์ผลการดำเนินการต้องเป็นชุดข้อมูลที่ใช้รหัสมาตรการ (measure_id) เป็นหัวข้อ",
                                source, value=type(data).__name__)
    entries: dict[str, dict[int, MeasureProgress]] = {}
    for key, rounds_raw in data.items():
        if key == YEAR_KEY:
            year = to_arabic_digits(str(rounds_raw)).strip()
            if year != str(plan.plan_year):
                problems.append(Problem(
                    f"ผลการดำเนินการเป็นของปีงบประมาณ {year} แต่มาตรการเป็นของปี {plan.plan_year}",
                    source, YEAR_KEY, rounds_raw))
            continue
        measure_id = str(key).strip()
        if measure_id not in known:
            problems.append(Problem(
                "ไม่มีมาตรการรหัสนี้ในแผนมาตรการ", source, _where(measure_id), measure_id))
            continue
        if not isinstance(rounds_raw, dict):
            problems.append(Problem(
                f"ต้องแยกผลการดำเนินการเป็นรายรอบ ({round_names})", source, _where(measure_id), rounds_raw))
            continue
        for round_key, raw in rounds_raw.items():
            months = parse_round_months(round_key)
            if months not in by_months:
                problems.append(Problem(
                    f"ไม่มีรอบรายงานนี้ (ใช้ได้: {round_names})", source,
                    _where(measure_id, f"รอบ {round_key}"), round_key))
                continue
            label = by_months[months].name
            entry = _parse_entry(raw, measure_id, label, months, source, problems)
            if entry is not None:
                if months in entries.get(measure_id, {}):
                    problems.append(Problem("รายงานรอบเดียวกันซ้ำ", source, _where(measure_id, label), round_key))
                entries.setdefault(measure_id, {})[months] = entry
    if problems:
        raise InputError(problems)
    return ProgressReport(plan.plan_year, rounds, entries)


def load_progress(path: str | Path, plan: MeasuresPlan, criteria: Criteria | None = None) -> ProgressReport:
    """Read a .yaml/.yml/.json progress file (see the module docstring) and validate it."""
    data = read_yaml_or_json(path, "ไม่พบไฟล์ผลการดำเนินการ")
    return parse_progress(data, str(path), plan, criteria)


# --------------------------------------------------------------------------- summary


@dataclass
class StatusCounts:
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    cancelled: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def get(self, status: str) -> int:
        return getattr(self, status)

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.not_started + self.cancelled

    @property
    def done_percent(self) -> float:
        """Finished share of the measures still in the plan (cancelled ones left out)."""
        active = self.total - self.cancelled
        return 100.0 * self.done / active if active else 0.0


@dataclass
class ThemeCounts:
    theme: int
    counts: StatusCounts


@dataclass
class RoundSummary:
    round: ReportingRound
    counts: StatusCounts
    themes: list[ThemeCounts]          # themes with at least one measure, in theme order


def summarize(plan: MeasuresPlan, progress: ProgressReport,
              which: ReportingRound | int | str) -> RoundSummary:
    """Counts per status of the plan's measures at the end of a round, overall and per theme."""
    rnd = progress.round(which)
    total = StatusCounts()
    per_theme: dict[int, StatusCounts] = {}
    for measure in plan.measures:
        status = progress.entry(measure.measure_id, rnd).status
        total.add(status)
        per_theme.setdefault(measure.theme, StatusCounts()).add(status)
    return RoundSummary(rnd, total, [ThemeCounts(t, c) for t, c in sorted(per_theme.items())])


# --------------------------------------------------------------------------- deadlines


def is_finished(status: str) -> bool:
    """Done or cancelled: nothing more is expected of the measure."""
    return status in (DONE, CANCELLED)


def deadline(measure_id: str, deadlines: Mapping[str, dt.date], plan_year: int) -> dt.date:
    """The measure's due date, or the last day of the plan's fiscal year when it has none."""
    return deadlines.get(measure_id) or fiscal_year_bounds(plan_year)[1]


def late_in_round(plan: MeasuresPlan, progress: ProgressReport, which: ReportingRound | int | str,
                  deadlines: Mapping[str, dt.date], today: dt.date) -> list[str]:
    """Measures late at a round: due on or before the round's end (and before ``today``, for a
    round still running) yet not done or cancelled in what was reported for that round."""
    rnd = progress.round(which)
    cutoff = min(rnd.end, today - dt.timedelta(days=1))
    return [m.measure_id for m in plan.measures
            if deadline(m.measure_id, deadlines, plan.plan_year) <= cutoff
            and not is_finished(progress.entry(m.measure_id, rnd).status)]


def latest_status(progress: ProgressReport, measure_id: str) -> str:
    """The status in the latest round reported (not started if none)."""
    return progress.entry(measure_id, progress.rounds[-1]).status if progress.rounds else NOT_STARTED


def overdue(plan: MeasuresPlan, progress: ProgressReport, deadlines: Mapping[str, dt.date],
            today: dt.date) -> list[str]:
    """Measures whose due date has passed and whose latest report is not done or cancelled."""
    return [m.measure_id for m in plan.measures
            if deadline(m.measure_id, deadlines, plan.plan_year) < today
            and not is_finished(latest_status(progress, m.measure_id))]


def due_soon(plan: MeasuresPlan, progress: ProgressReport, deadlines: Mapping[str, dt.date],
             today: dt.date, days: int = 30) -> list[str]:
    """Unfinished measures due within ``days`` from ``today`` (today included)."""
    last = today + dt.timedelta(days=days)
    return [m.measure_id for m in plan.measures
            if today <= deadline(m.measure_id, deadlines, plan.plan_year) <= last
            and not is_finished(latest_status(progress, m.measure_id))]
