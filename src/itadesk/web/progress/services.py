"""Progress operations shared by the pages, the sheet import, the reminders and the API.

In the database a measure is a PlanMeasure row (hand-added measures have no knowledge-base
id), so the core package sees the plan with every measure keyed by its primary key as text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from itadesk.errors import InputError, Problem
from itadesk.plan import MeasuresPlan
from itadesk.progress import (
    DONE,
    NOT_STARTED,
    MeasureProgress,
    ProgressReport,
    deadline,
    is_finished,
    reporting_rounds,
    round_end,
)
from itadesk.progress_sheet import SheetRow
from itadesk.thai import thai_date, to_thai_digits
from itadesk.web.agencies.models import record
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.progress.models import EvidenceFile, MeasureReport, Round


def measure_key(measure: PlanMeasure) -> str:
    return str(measure.pk)


def keyed_plan(plan: Plan) -> MeasuresPlan:
    """The plan as the core sees it, every measure keyed by ``measure_key``."""
    return MeasuresPlan(plan.assessed_year, plan.plan_year,
                        [replace(row.as_core(), measure_id=measure_key(row)) for row in plan.measures.all()])


def round_name(months: int) -> str:
    return f"รอบ {months} เดือน"


@transaction.atomic
def ensure_rounds(plan: Plan) -> list[Round]:
    """The plan's rounds, creating the rounds of the year's criteria (6 and 12 months) the first time."""
    existing = list(plan.rounds.all())
    if existing:
        return existing
    for r in reporting_rounds(plan.as_core_plan()):
        Round.objects.get_or_create(plan=plan, months=r.months, defaults={"name": r.name, "ends_on": r.end})
    return list(plan.rounds.all())


def new_round(plan: Plan, months: int) -> Round:
    """An unsaved round the agency adds (e.g. 3 or 9 months); the caller checks and saves it."""
    return Round(plan=plan, months=months, name=round_name(months), ends_on=round_end(plan.plan_year, months),
                 added_by_agency=True)


def progress_report(plan: Plan, create_rounds: bool = True) -> tuple[MeasuresPlan, ProgressReport]:
    """The keyed core plan and everything reported for it, round by round. With
    ``create_rounds=False`` (pages that only read) a plan without rounds yet gets the criteria's
    rounds in memory and nothing is written."""
    core = keyed_plan(plan)
    if create_rounds:
        rounds = tuple(r.as_core() for r in ensure_rounds(plan))
    else:
        rounds = tuple(r.as_core() for r in plan.rounds.all()) or reporting_rounds(plan.as_core_plan())
    entries: dict[str, dict[int, object]] = {}
    reports = (MeasureReport.objects.filter(round__plan=plan).select_related("round", "round__plan")
               .prefetch_related("files"))
    for report in reports:
        key = str(report.measure_id)
        entries.setdefault(key, {})[report.round.months] = report.as_core(key)
    return core, ProgressReport(plan.plan_year, rounds, entries)


def round_label(round: Round, thai_digits: bool = True) -> str:
    return to_thai_digits(round.name) if thai_digits else round.name


# --- Reporting, evidence files, locking ------------------------------------------------------
#
# Every write below takes the round row with select_for_update and refuses a locked round
# (RoundLocked) before writing anything, so a lock taken in between always wins.

REPORT_FIELDS = ("status", "done", "output", "outcome", "problems", "suggestions", "reason", "links")


class RoundLocked(Exception):
    """The round is locked: nothing of it may change until an agency admin unlocks it."""

    def __init__(self, round: Round):
        super().__init__(f"round {round.pk} is locked")
        self.round = round


def _open_round(round: Round) -> Round:
    current = Round.objects.select_for_update(of=("self",)).select_related("plan", "plan__agency", "locked_by") \
        .get(pk=round.pk)
    if current.is_locked:
        raise RoundLocked(current)
    return current


PART = ".part"   # an evidence file being written: renamed to its name once its row commits


def _store_files(report: MeasureReport, uploads, user, stored: list[str]) -> list[EvidenceFile]:
    """Write each checked upload under a random name + ".part" and add its row; the files get
    their real names only once the transaction commits, so a crash (kill -9, power cut) before
    that leaves only ".part" files, which `manage.py cleanup_files` removes (or completes, for a
    row that did commit). ``stored`` collects the stored names for the cleanup on failure."""
    rows = []
    for upload in uploads:
        row = EvidenceFile(report=report, name=upload.name, kind=upload.kind, size=upload.size,
                           sha256=upload.sha256, uploaded_by=user)
        name = row.file.field.generate_filename(row, upload.name)
        path = Path(default_storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        stored.append(name)
        with open(str(path) + PART, "xb") as out:
            out.write(upload.data)
        row.file.name = name
        row.save()
        rows.append(row)
    return rows


def _publish_files(names: list[str]) -> None:
    """Give the files of committed rows their real names (an atomic rename each)."""
    for name in names:
        os.replace(default_storage.path(name) + PART, default_storage.path(name))


def _forget_files(names: list[str]) -> None:
    for name in names:
        for path in (default_storage.path(name) + PART, default_storage.path(name)):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)


def save_report(round: Round, measure: PlanMeasure, values: dict, uploads, user) -> dict | None:
    """Write what was reported for ``measure`` in ``round`` and store the evidence files.

    ``values`` holds REPORT_FIELDS; ``uploads`` are checked EvidenceUpload objects. Returns what
    changed (also written to the audit log) or None when nothing did. Raises RoundLocked without
    writing anything; if anything fails, the files stored so far are removed again.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            current = _open_round(round)
            report = MeasureReport.objects.filter(round=current, measure=measure).first()
            before = {f: getattr(report, f) for f in REPORT_FIELDS} if report else None
            fields = [f for f in REPORT_FIELDS if before is None or before[f] != values[f]]
            if before is None and all(not values[f] for f in REPORT_FIELDS if f != "status") \
                    and values["status"] == NOT_STARTED:
                fields = []
            if not fields and not uploads:
                return None
            if report is None:
                report = MeasureReport(round=current, measure=measure)
            for field in REPORT_FIELDS:
                setattr(report, field, values[field])
            report.updated_by = user
            report.save()
            files = _store_files(report, uploads, user, stored)
            labels = {f: MeasureReport._meta.get_field(f).verbose_name for f in REPORT_FIELDS}
            changes = {
                "plan_year": current.plan.plan_year, "months": current.months, "measure": measure.pk,
                "measure_name": measure.name, "status": report.status,
                "fields": [str(labels[f]) for f in fields], "files": [f.name for f in files],
            }
            summary = (f"รายงานผลมาตรการ \"{measure.name}\" {current.name} ปี {current.plan.plan_year}: "
                       f"{report.get_status_display()}")
            if files:
                summary += f" แนบไฟล์ {len(files)} ไฟล์"
            record(current.plan.agency, user, "progress.reported", summary, **changes)
    except BaseException:
        _forget_files(stored)
        raise
    # Committed (unless a caller holds an outer transaction): the files may take their names.
    _publish_files(stored)
    return changes


@transaction.atomic
def delete_evidence_file(evidence: EvidenceFile, user) -> None:
    """Remove an evidence file (its round must be unlocked)."""
    current = _open_round(evidence.report.round)
    measure = evidence.report.measure
    evidence.delete()   # the stored file goes after the commit (models._remove_stored_file)
    record(current.plan.agency, user, "progress.file_deleted",
           f"ลบไฟล์หลักฐาน {evidence.name} ของมาตรการ \"{measure.name}\" {current.name} ปี {current.plan.plan_year}",
           plan_year=current.plan.plan_year, months=current.months, measure=measure.pk, file=evidence.name,
           sha256=evidence.sha256)


@transaction.atomic
def add_round(plan: Plan, months: int, user) -> Round:
    """A round the agency adds (1–12 months, not already there); the caller checks the range."""
    created = new_round(plan, months)
    created.save()
    record(plan.agency, user, "progress.round_added",
           f"เพิ่มรอบรายงาน {created.name} (สิ้นสุด {thai_date(created.ends_on, False)}) ของมาตรการปี {plan.plan_year}",
           plan_year=plan.plan_year, months=months, ends_on=created.ends_on.isoformat())
    return created


@transaction.atomic
def set_round_memo(round: Round, number: str, day: dt.date | None, user) -> Round:
    """The report memo's number and date as the office chose them; raises RoundLocked once the
    round is locked (its report is what was reported)."""
    current = _open_round(round)
    current.memo_number, current.memo_date = number, day
    current.save(update_fields=["memo_number", "memo_date"])
    record(current.plan.agency, user, "progress.memo",
           f"กำหนดเลขที่และวันที่บันทึกรายงาน {current.name} ของมาตรการปี {current.plan.plan_year}",
           plan_year=current.plan.plan_year, months=current.months, number=number,
           date=day.isoformat() if day else None)
    return current


@transaction.atomic
def lock_round(round: Round, user) -> Round:
    """Lock the round as reported; raises RoundLocked if it already is."""
    current = _open_round(round)
    current.locked_at = timezone.now()
    current.locked_by = user
    current.save(update_fields=["locked_at", "locked_by"])
    record(current.plan.agency, user, "progress.locked",
           f"ล็อกผลการดำเนินการ {current.name} ของมาตรการปี {current.plan.plan_year}",
           plan_year=current.plan.plan_year, months=current.months, locked_at=current.locked_at.isoformat())
    return current


@transaction.atomic
def unlock_round(round: Round, reason: str, user) -> Round | None:
    """Unlock (agency admins only; the caller checks the level and that a reason is given).
    Returns None when the round was not locked (nothing is written then)."""
    current = Round.objects.select_for_update(of=("self",)).select_related("plan", "plan__agency", "locked_by") \
        .get(pk=round.pk)
    if not current.is_locked:
        return None
    previous = {"locked_by": _who(current.locked_by), "locked_at": current.locked_at.isoformat()}
    current.locked_at = None
    current.locked_by = None
    current.save(update_fields=["locked_at", "locked_by"])
    record(current.plan.agency, user, "progress.unlocked",
           f"ปลดล็อกผลการดำเนินการ {current.name} ของมาตรการปี {current.plan.plan_year}: {reason}",
           plan_year=current.plan.plan_year, months=current.months, reason=reason, previous_lock=previous)
    return current


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


# --- Sheet import ------------------------------------------------------------------------------


@transaction.atomic
def apply_progress_rows(plan: Plan, rows: list[SheetRow], user, source: str) -> int:
    """Write the filled rows of an imported progress sheet (``itadesk.progress_sheet``): each
    row replaces its measure's report of its round, links included.

    A row equal to what is stored (or a bare "not started" where nothing is stored) changes
    nothing. A row that would change a locked round is a problem: InputError lists every such
    row and nothing is written. Returns how many reports were created or changed, audited as one
    "progress.imported" entry.
    """
    rounds = {r.months: r for r in Round.objects.select_for_update(of=("self",)).filter(plan=plan)}
    measures = {measure_key(m): m for m in plan.measures.all()}
    stored = {(str(r.measure_id), r.round.months): r
              for r in MeasureReport.objects.filter(round__plan=plan).select_related("round")}
    problems: list[Problem] = []
    changes = []
    for row in rows:
        entry = row.progress
        rnd, measure = rounds.get(entry.months), measures.get(entry.measure_id)
        if rnd is None or measure is None:
            problems.append(Problem("ไม่มีมาตรการหรือรอบรายงานนี้ในแผนแล้ว (แผนถูกแก้ไขหลังดาวน์โหลดไฟล์ "
                                    "ดาวน์โหลดแบบฟอร์มใหม่)", source, row.row, entry.measure_id))
            continue
        report = stored.get((entry.measure_id, entry.months))
        current = report.as_core(entry.measure_id) if report else MeasureProgress(entry.measure_id, entry.months,
                                                                                   NOT_STARTED)
        if current == entry:
            continue
        if rnd.is_locked:
            problems.append(Problem(
                f"{rnd.name} ล็อกแล้ว จึงแก้ผลการดำเนินการของรอบนี้ผ่านไฟล์ไม่ได้ "
                "(ให้ผู้ดูแลหน่วยงานปลดล็อกก่อน หรือคงค่าเดิมของแถวนี้ไว้)", source, row.row, rnd.name))
            continue
        changes.append((entry, rnd, measure, report))
    if problems:
        raise InputError(problems)
    for entry, rnd, measure, report in changes:
        report = report or MeasureReport(round=rnd, measure=measure)
        for field in ("status", "done", "output", "outcome", "problems", "suggestions", "reason"):
            setattr(report, field, getattr(entry, field))
        report.links = list(entry.evidence)
        report.updated_by = user
        report.save()
    if changes:
        created = sum(1 for *_, report in changes if report is None)
        record(plan.agency, user, "progress.imported",
               f"นำเข้าผลการดำเนินการของมาตรการปี {plan.plan_year} จากไฟล์ {source}: "
               f"{len(changes)} รายงาน (ใหม่ {created} แก้ไข {len(changes) - created})",
               plan_year=plan.plan_year, source=source, created=created, updated=len(changes) - created,
               reports=[{"measure": measure.name, "round": rnd.name, "status": entry.status}
                        for entry, rnd, measure, _ in changes])
    return len(changes)


# --- Standing of many plans at once (the agencies list) -------------------------------------

@dataclass(frozen=True)
class PlanStanding:
    """Where an approved plan stands today: measures finished by their latest report, and
    measures past their due date without a finished report."""

    measures: int
    done: int
    overdue: int


def plan_standings(plans: list[Plan], today) -> dict[int, PlanStanding]:
    """The standing of each plan (by pk), in two queries however many plans there are."""
    latest: dict[int, tuple[int, str]] = {}   # measure pk → (months, status) of its latest report
    reports = MeasureReport.objects.filter(round__plan__in=plans).values_list("measure_id", "round__months", "status")
    for measure_id, months, status in reports:
        if measure_id not in latest or months > latest[measure_id][0]:
            latest[measure_id] = (months, status)
    counts: dict[int, list[int]] = {plan.pk: [0, 0, 0] for plan in plans}
    years = {plan.pk: plan.plan_year for plan in plans}
    measures = PlanMeasure.objects.filter(plan__in=plans).values_list("plan_id", "pk", "due_on")
    for plan_id, measure_id, due_on in measures:
        status = latest.get(measure_id, (0, NOT_STARTED))[1]
        count = counts[plan_id]
        count[0] += 1
        if status == DONE:
            count[1] += 1
        key = str(measure_id)
        if not is_finished(status) and deadline(key, {key: due_on} if due_on else {}, years[plan_id]) < today:
            count[2] += 1
    return {pk: PlanStanding(*count) for pk, count in counts.items()}
