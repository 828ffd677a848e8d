"""Plan operations shared by the pages and the API."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from itadesk.carryover import retarget
from itadesk.criteria import criteria_in_force, load_criteria
from itadesk.documents import FORMATS, render_measures
from itadesk.documents.measures_plan import build_measures_document
from itadesk.knowledge import load_knowledge
from itadesk.plan import Target, generate_plan, period_dates, period_text, plan_year_of
from itadesk.thai import thai_date
from itadesk.web import dataversion
from itadesk.web.agencies.models import record
from itadesk.web.plans import frozen
from itadesk.web.plans.models import FrozenDocument, MemoChoice, Plan, PlanMeasure
from itadesk.web.results.services import results_from_json, scores_of, year_analysis
from itadesk.workflow import analyze_results


def _freeze(plan: Plan) -> dict:
    """The snapshot an approved plan's documents are made from (see plans/frozen.py)."""
    return frozen.snapshot(*scores_of(plan.agency, plan.assessed_year), plan.agency.profile())


def plan_inputs(plan: Plan):
    """(analysis, agency profile) the plan's documents are made from: as approved for an approved
    plan, as they are now for a draft."""
    if plan.status == Plan.APPROVED:
        if plan.frozen is None:  # approved before snapshots were kept: freeze what there is now
            plan.frozen = _freeze(plan)
            Plan.objects.filter(pk=plan.pk).update(frozen=plan.frozen)
        snap = plan.frozen
        results = results_from_json(snap["results"])
        return (analyze_results(results, results_from_json(snap["previous"])),
                frozen.profile_from_json(snap["profile"]))
    return year_analysis(plan.agency, plan.assessed_year), plan.agency.profile()


@transaction.atomic
def create_plan(agency, assessed_year: int, user) -> Plan:
    """Generate the plan from the analysis and the knowledge base (replacing a draft, never an approved plan)."""
    analysis = year_analysis(agency, assessed_year)
    knowledge = load_knowledge()
    core_plan = generate_plan(analysis, knowledge, agency.profile())
    plan, _ = Plan.objects.select_for_update().get_or_create(
        agency=agency, plan_year=core_plan.plan_year, defaults={"assessed_year": assessed_year}
    )
    if plan.status == Plan.APPROVED:
        return plan
    _refuse_losing_progress(plan.measures.all())
    plan.measures.all().delete()
    PlanMeasure.objects.bulk_create([
        PlanMeasure(
            plan=plan, order=i, theme=m.theme, measure_id=m.measure_id, name=m.name, steps=m.steps,
            responsible=m.responsible, period=m.period, monitoring=m.monitoring,
            targets=[t.to_json() for t in m.targets],
            due_on=period_dates(knowledge.measures[m.measure_id].period, core_plan.plan_year)[1],
        )
        for i, m in enumerate(core_plan.measures)
    ])
    plan.assessed_year = assessed_year
    plan.version += 1
    plan.updated_by = user
    plan.save()
    record(agency, user, "plan.generated",
           f"จัดทำมาตรการปีงบประมาณ {plan.plan_year} จากผลการวิเคราะห์ ({len(core_plan.measures)} มาตรการ)",
           plan_year=plan.plan_year)
    return plan


def plan_file(plan: Plan, fmt: str) -> bytes:
    """The plan's DOCX or PDF (only the one asked for is made); see ``plan_files``."""
    return plan_files(plan, (fmt,))[fmt]


def plan_files(plan: Plan, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The plan's documents in ``formats``, from the plan as edited (not as generated), its model
    built once for all of them. An approved plan's document is made once from what was approved
    and kept: every download of that format gives the same bytes until the plan is reopened."""
    approved = plan.status == Plan.APPROVED
    files: dict[str, bytes] = {}
    if approved:
        files = {kept.fmt: bytes(kept.data) for kept in plan.frozen_documents.filter(fmt__in=formats)}
    missing = tuple(fmt for fmt in formats if fmt not in files)
    if not missing:
        return files
    analysis, profile = plan_inputs(plan)
    document = build_measures_document(
        analysis, plan.as_core_plan(), profile, load_knowledge(), True, memo_date(plan, plan.approved_at),
        criteria_in_force(plan.plan_year), plan.memo_number,
    )
    made = render_measures(document, formats=missing)
    for fmt, data in made.items():
        files[fmt] = _kept(plan, fmt, data) if approved else data
    return files


def memo_date(chosen: MemoChoice, fixed_at: dt.datetime | None) -> dt.date | None:
    """The memo's date: the office's choice, else the day the document was fixed (a plan approved,
    a round locked), else None (the document's default: ``plan_memo_day`` / ``report_memo_day``)."""
    return chosen.memo_date or (timezone.localdate(fixed_at) if fixed_at else None)


def _kept(plan: Plan, fmt: str, data: bytes) -> bytes:
    """An approved plan's document as first kept: ``data`` unless another download kept one first."""
    try:
        with transaction.atomic():
            kept, _ = FrozenDocument.objects.get_or_create(
                plan=plan, fmt=fmt, defaults={"data": data, "sha256": hashlib.sha256(data).hexdigest()})
    except IntegrityError:  # another download kept it first: that one is the document
        kept = plan.frozen_documents.get(fmt=fmt)
    return bytes(kept.data)


def draft_documents(agency, assessed_year: int) -> dict[str, bytes] | None:
    """The measures documents a province batch puts in its ZIP for one agency: its plan for the year
    after ``assessed_year`` as edited (approved: as approved), else the draft the plan page would
    generate from the year's scores (nothing stored); None without the year's scores."""
    plan = Plan.objects.filter(agency=agency, assessed_year=assessed_year).first()
    if plan is not None:
        return plan_files(plan, FORMATS)
    if not agency.result_sets.filter(fiscal_year=assessed_year).exists():
        return None
    analysis = year_analysis(agency, assessed_year)
    knowledge = load_knowledge()
    profile = agency.profile()
    core_plan = generate_plan(analysis, knowledge, profile)
    document = build_measures_document(analysis, core_plan, profile, knowledge, True, None,
                                       criteria_in_force(core_plan.plan_year))
    return render_measures(document)


# --- Editing, approval and reopening -------------------------------------------------------
#
# Plan.version is an optimistic lock: a page or API client sends back the version it loaded,
# and a change made from an older version is refused (PlanConflict) before anything is written.

EDITABLE_FIELDS = ("theme", "name", "steps", "responsible", "period", "monitoring")
FIELD_LABELS = {
    "theme": "ประเด็น", "name": "ชื่อมาตรการ", "steps": "ขั้นตอน", "responsible": "ผู้รับผิดชอบ",
    "period": "ระยะเวลา", "monitoring": "การติดตามประเมินผล",
}


class PlanConflict(Exception):
    """Someone changed the plan after the caller loaded it; ``plan`` is the current one."""

    def __init__(self, plan: Plan):
        super().__init__(f"plan {plan.pk} is at version {plan.version}")
        self.plan = plan


class PlanLocked(Exception):
    """The plan is approved: read-only until an agency admin reopens it."""

    def __init__(self, plan: Plan):
        super().__init__(f"plan {plan.pk} is approved")
        self.plan = plan


class StaleForm(Exception):
    """The submitted measures do not match the plan's measures (a tampered or truncated form)."""


class MeasuresHaveProgress(Exception):
    """Removing or regenerating these measures would delete the progress reported for them."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names

    @property
    def message(self) -> str:
        return ("มาตรการต่อไปนี้มีผลการดำเนินการบันทึกไว้แล้ว จึงลบหรือจัดทำใหม่ไม่ได้ "
                f"(ยังไม่ได้บันทึกข้อมูลใด ๆ): {', '.join(self.names)}")


def _refuse_losing_progress(measures) -> None:
    """Raise MeasuresHaveProgress if any of ``measures`` (a queryset) has reported progress."""
    names = list(measures.filter(reports__isnull=False).distinct().values_list("name", flat=True))
    if names:
        raise MeasuresHaveProgress(names)


@dataclass
class MeasureInput:
    """One measure as the officer left it. ``id`` is None for a measure added by hand."""

    id: int | None
    theme: int
    name: str
    steps: list[str]
    responsible: str = ""
    period: str = ""
    monitoring: str = ""


def _lock(plan: Plan, expected_version: int | None) -> Plan:
    """The plan row, locked for this transaction, after the draft and version checks."""
    current = Plan.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=plan.pk)
    if current.status == Plan.APPROVED:
        raise PlanLocked(current)
    if expected_version is not None and current.version != expected_version:
        raise PlanConflict(current)
    return current


def _bump(current: Plan, user, **fields) -> Plan:
    """Write the new version only if nobody else did in between (the lock is a no-op on SQLite)."""
    now = timezone.now()
    done = Plan.objects.filter(pk=current.pk, version=current.version).update(
        version=current.version + 1, updated_by=user, updated_at=now, **fields,
    )
    if not done:
        raise PlanConflict(Plan.objects.select_related("updated_by").get(pk=current.pk))
    dataversion.changed()   # QuerySet.update sends no signal
    current.refresh_from_db()
    return current


@transaction.atomic
def save_plan(plan: Plan, expected_version: int, measures: list[MeasureInput],
              deleted_ids: set[int], user) -> dict | None:
    """Replace the plan's measures with ``measures`` (in their final order).

    Every existing measure must be either in ``measures`` or in ``deleted_ids``. Returns what
    changed (also written to the audit log), or None when nothing did (nothing is saved then).
    Raises PlanLocked, PlanConflict, StaleForm or MeasuresHaveProgress without writing anything.
    """
    current = _lock(plan, expected_version)
    existing = {m.pk: m for m in current.measures.all()}
    kept_ids = [m.id for m in measures if m.id is not None]
    if (len(set(kept_ids)) != len(kept_ids) or set(kept_ids) & deleted_ids
            or set(kept_ids) | deleted_ids != set(existing)):
        raise StaleForm("submitted measures do not match the plan")

    old_sequence = list(existing)  # model ordering: theme, order, id
    new_sequence = [m.id for m in sorted(measures, key=lambda m: m.theme) if m.id is not None]
    added = [m.name for m in measures if m.id is None]
    removed = [existing[pk].name for pk in old_sequence if pk in deleted_ids]
    changed = []
    for m in measures:
        if m.id is None:
            continue
        row = existing[m.id]
        fields = [f for f in EDITABLE_FIELDS if getattr(row, f) != getattr(m, f)]
        if fields:
            changed.append({"id": m.id, "name": m.name, "fields": fields})
    reordered = [pk for pk in old_sequence if pk not in deleted_ids] != new_sequence
    if not (added or removed or changed or reordered):
        return None
    _refuse_losing_progress(PlanMeasure.objects.filter(pk__in=deleted_ids))

    current = _bump(current, user)
    PlanMeasure.objects.filter(plan=current, pk__in=deleted_ids).delete()
    for order, m in enumerate(measures):
        values = {f: getattr(m, f) for f in EDITABLE_FIELDS}
        if m.id is None:
            PlanMeasure.objects.create(plan=current, order=order, measure_id="", targets=[], **values)
        else:
            row = existing[m.id]
            for field, value in {**values, "order": order}.items():
                setattr(row, field, value)
            row.save()

    parts = [f"{label} {len(items)}" for label, items in (("เพิ่ม", added), ("ลบ", removed), ("แก้ไข", changed)) if items]
    if reordered:
        parts.append("เปลี่ยนลำดับ")
    summary = f"แก้ไขมาตรการปีงบประมาณ {current.plan_year}: {' '.join(parts)} (ฉบับที่ {current.version})"
    changes = {
        "plan_year": current.plan_year, "version": current.version, "added": added, "removed": removed,
        "changed": [{"name": c["name"], "fields": [FIELD_LABELS[f] for f in c["fields"]]} for c in changed],
        "reordered": reordered,
    }
    record(current.agency, user, "plan.edited", summary, **changes)
    plan.refresh_from_db()
    return changes


def approval_moment(day: dt.date) -> dt.datetime:
    """Noon, Thai time, of the approval day: the same calendar day in any time zone near Thailand."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)), timezone.get_default_timezone())


@transaction.atomic
def approve_plan(plan: Plan, expected_version: int, approved_by: str, approved_on: dt.date, user) -> Plan:
    """Mark the plan approved by ``approved_by`` on ``approved_on``; it is read-only afterwards."""
    current = _lock(plan, expected_version)
    current = _bump(current, user, status=Plan.APPROVED, approved_by=approved_by,
                    approved_at=approval_moment(approved_on), frozen=_freeze(current))
    record(current.agency, user, "plan.approved",
           f"อนุมัติมาตรการปีงบประมาณ {current.plan_year} โดย {approved_by} เมื่อ {thai_date(approved_on, False)}",
           plan_year=current.plan_year, version=current.version, approved_by=approved_by,
           approved_on=approved_on.isoformat())
    plan.refresh_from_db()
    return current


@transaction.atomic
def set_plan_memo(plan: Plan, number: str, day: dt.date | None, user) -> Plan:
    """The plan memo's number and date as the office chose them; raises PlanLocked once the plan
    is approved (its documents are what was approved)."""
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.status == Plan.APPROVED:
        raise PlanLocked(current)
    current.memo_number, current.memo_date = number, day
    current.save(update_fields=["memo_number", "memo_date", "updated_at"])
    record(current.agency, user, "plan.memo", f"กำหนดเลขที่และวันที่บันทึกขออนุมัติมาตรการปี {current.plan_year}",
           plan_year=current.plan_year, number=number, date=day.isoformat() if day else None)
    plan.refresh_from_db()
    return current


@transaction.atomic
def reopen_plan(plan: Plan, reason: str, user) -> Plan:
    """Back to draft (agency admins only; the caller checks the level). Does nothing to a draft."""
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.status != Plan.APPROVED:
        return current
    previous = {"approved_by": current.approved_by,
                "approved_on": timezone.localdate(current.approved_at).isoformat() if current.approved_at else None}
    current = _bump(current, user, status=Plan.DRAFT, approved_by="", approved_at=None, frozen=None)
    current.frozen_documents.all().delete()
    record(current.agency, user, "plan.reopened",
           f"เปิดแก้ไขมาตรการปีงบประมาณ {current.plan_year} ที่อนุมัติแล้ว" + (f": {reason}" if reason else ""),
           plan_year=current.plan_year, version=current.version, reason=reason, previous_approval=previous)
    plan.refresh_from_db()
    return current


# --- Next year: carrying unfinished measures -----------------------------------------------


@dataclass
class CarryOver:
    """What ``carry_over`` did to the plan of the next year."""

    plan: Plan
    generated: bool               # the plan was generated by this call (it did not exist)
    added: list[str]              # names of measures added as continuations
    linked: list[str]             # generated measures (same knowledge-base measure) marked as continuations
    already: list[str]            # measures carried by an earlier run, left as they are


def _carried_period(measure_id: str, knowledge, plan_year: int) -> tuple[str, dt.date]:
    """The knowledge-base period of the measure in ``plan_year``, or the whole fiscal year."""
    period = knowledge.measures[measure_id].period if measure_id in knowledge.measures else ""
    return period_text(period, plan_year), period_dates(period, plan_year)[1]


@transaction.atomic
def carry_over(plan: Plan, measures: list[PlanMeasure], user) -> CarryOver:
    """Start the plan of the year after ``plan`` from that year's scores and carry ``measures``
    (unfinished measures of ``plan``, chosen by the caller) into it, each pointing back to the
    measure it continues, whose reported progress is its history.

    The next plan is generated with ``create_plan`` when it does not exist; an existing draft is
    kept as edited. A measure already carried is skipped, so running it again adds nothing. A
    generated measure from the same knowledge-base measure becomes the continuation instead of a
    duplicate (taking last year's wording when the plan was generated by this call). Added
    measures keep theme, name, steps, responsible and monitoring; their period and due date are
    the knowledge-base period in the new year (the whole year for hand-added ones) and their
    targets are this year's scores of the same topics. Raises PlanLocked, writing nothing, when
    the next plan is approved.
    """
    agency, next_year = plan.agency, plan_year_of(plan.plan_year)
    existing = Plan.objects.select_for_update().filter(agency=agency, plan_year=next_year).first()
    if existing is not None and existing.status == Plan.APPROVED:
        raise PlanLocked(existing)
    target = existing or create_plan(agency, plan.plan_year, user)
    if target.status == Plan.APPROVED:
        raise PlanLocked(target)
    generated = existing is None

    rows = list(target.measures.all())
    carried = {row.carried_from_id for row in rows if row.carried_from_id}
    linkable = {row.measure_id: row for row in rows if row.measure_id and not row.carried_from_id}
    knowledge = load_knowledge()
    previous_criteria = load_criteria(plan.assessed_year)
    analysis = year_analysis(agency, plan.plan_year)
    next_order = max((row.order for row in rows), default=-1) + 1
    added, linked, already = [], [], []
    for old in measures:
        if old.pk in carried:
            already.append(old.name)
        elif old.measure_id in linkable:
            row = linkable.pop(old.measure_id)
            row.carried_from = old
            if generated:
                row.name, row.steps, row.responsible, row.monitoring = (
                    old.name, list(old.steps), old.responsible, old.monitoring)
            row.save()
            linked.append(old.name)
        else:
            period, due_on = _carried_period(old.measure_id, knowledge, next_year)
            targets = retarget([Target.from_json(t) for t in old.targets], previous_criteria, analysis)
            PlanMeasure.objects.create(
                plan=target, order=next_order, theme=old.theme, measure_id=old.measure_id, name=old.name,
                steps=list(old.steps), responsible=old.responsible, period=period, monitoring=old.monitoring,
                targets=[t.to_json() for t in targets], due_on=due_on, carried_from=old,
            )
            next_order += 1
            added.append(old.name)
    if not (generated or added or linked):
        return CarryOver(target, generated, added, linked, already)
    if not generated:
        target = _bump(target, user)
    record(agency, user, "plan.carried_over",
           f"เริ่มมาตรการปีงบประมาณ {next_year}: ยกมาตรการที่ยังไม่แล้วเสร็จจากปี {plan.plan_year} "
           f"มา {len(added) + len(linked)} มาตรการ",
           plan_year=next_year, from_plan_year=plan.plan_year, generated=generated,
           added=added, linked=linked, already=already)
    return CarryOver(target, generated, added, linked, already)
