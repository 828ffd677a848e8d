"""Plan operations shared by the pages and the API."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.shortcuts import get_object_or_404

from itadesk.documents import render_measures
from itadesk.documents.o34 import build_measures_document
from itadesk.knowledge import load_knowledge
from itadesk.plan import generate_plan
from itadesk.web.agencies.models import record
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.results.models import ResultSet
from itadesk.workflow import analyze_results

DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def analysis_for(agency, assessed_year: int):
    result_set = get_object_or_404(ResultSet, agency=agency, fiscal_year=assessed_year)
    previous = ResultSet.objects.filter(agency=agency, fiscal_year=assessed_year - 1).first()
    return analyze_results(result_set.as_results(), previous.as_results() if previous else None)


@transaction.atomic
def create_plan(agency, assessed_year: int, user) -> Plan:
    """Generate the plan from the analysis and the knowledge base (replacing a draft, never an approved plan)."""
    analysis = analysis_for(agency, assessed_year)
    core_plan = generate_plan(analysis, load_knowledge(), agency.profile())
    plan, _ = Plan.objects.select_for_update().get_or_create(
        agency=agency, plan_year=core_plan.plan_year, defaults={"assessed_year": assessed_year}
    )
    if plan.status == Plan.APPROVED:
        return plan
    plan.measures.all().delete()
    PlanMeasure.objects.bulk_create([
        PlanMeasure(
            plan=plan, order=i, theme=m.theme, measure_id=m.measure_id, name=m.name, steps=m.steps,
            responsible=m.responsible, period=m.period, monitoring=m.monitoring,
            targets=[asdict(t) for t in m.targets],
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


def plan_documents(plan: Plan, thai_digits: bool = True) -> dict[str, bytes]:
    """DOCX and PDF from the plan as edited (not as generated)."""
    analysis = analysis_for(plan.agency, plan.assessed_year)
    document = build_measures_document(
        analysis, plan.as_core_plan(), plan.agency.profile(), load_knowledge(), thai_digits,
        plan.approved_at.date() if plan.approved_at else None,
    )
    return render_measures(document)
