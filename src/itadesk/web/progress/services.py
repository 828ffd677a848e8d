"""Progress operations shared by the pages, the sheet import, the reminders and the API.

In the database a measure is a PlanMeasure row (hand-added measures have no knowledge-base
id), so the core package sees the plan with every measure keyed by its primary key as text.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction

from itadesk.plan import MeasuresPlan
from itadesk.progress import ProgressReport, reporting_rounds, round_end
from itadesk.thai import to_thai_digits
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.progress.models import MeasureReport, Round


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


def progress_report(plan: Plan) -> tuple[MeasuresPlan, ProgressReport]:
    """The keyed core plan and everything reported for it, round by round."""
    core = keyed_plan(plan)
    rounds = ensure_rounds(plan)
    entries: dict[str, dict[int, object]] = {}
    reports = MeasureReport.objects.filter(round__plan=plan).select_related("round", "round__plan")
    for report in reports:
        key = str(report.measure_id)
        entries.setdefault(key, {})[report.round.months] = report.as_core(key)
    return core, ProgressReport(plan.plan_year, tuple(r.as_core() for r in rounds), entries)


def round_label(round: Round, thai_digits: bool = True) -> str:
    return to_thai_digits(round.name) if thai_digits else round.name
