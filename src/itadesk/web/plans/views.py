from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from itadesk.web.agencies.access import EDIT, VIEW, agency_view
from itadesk.web.agencies.models import record
from itadesk.web.plans.models import Plan
from itadesk.web.plans.services import DOCUMENT_TYPES, create_plan, plan_documents


@require_POST
@agency_view(EDIT)
def generate_plan(request, agency, assessed_year: int):
    plan = create_plan(agency, assessed_year, request.user)
    messages.success(request, f"จัดทำมาตรการปีงบประมาณ {plan.plan_year} แล้ว ({plan.measures.count()} มาตรการ)")
    return redirect("plan", agency_id=agency.pk, plan_year=plan.plan_year)


@agency_view(VIEW)
def plan_detail(request, agency, plan_year: int):
    plan = get_object_or_404(Plan, agency=agency, plan_year=plan_year)
    return render(request, "plans/detail.html", {
        "agency": agency, "plan": plan, "measures": plan.measures.all(),
        "can_edit": request.agency_level in ("edit", "admin") and plan.status == Plan.DRAFT,
    })


@agency_view(VIEW)
def plan_document(request, agency, plan_year: int, fmt: str):
    if fmt not in DOCUMENT_TYPES:
        raise Http404("ไม่มีเอกสารรูปแบบนี้")
    plan = get_object_or_404(Plan, agency=agency, plan_year=plan_year)
    data = plan_documents(plan)[fmt]
    record(agency, request.user, "plan.downloaded", f"ดาวน์โหลดมาตรการปี {plan_year} ({fmt.upper()})",
           plan_year=plan_year, format=fmt)
    response = HttpResponse(data, content_type=DOCUMENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="o34-measures-{plan_year}.{fmt}"'
    return response
