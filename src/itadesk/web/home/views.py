"""The pages over every app: the home page (an agency user's agencies, a supervisor's region
dashboard) and an agency's overview with its next step in the yearly cycle."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from itadesk.plan import plan_year_of
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.access import (
    VIEW,
    agency_view,
    is_admin,
    may_edit,
    region_agencies,
    request_supervisions,
    visible_agencies,
)
from itadesk.web.dashboard.views import dashboard
from itadesk.web.plans.models import Plan
from itadesk.web.progress.services import plan_standings
from itadesk.web.surveys.services import latest_prediction

AGENCIES_PER_PAGE = 200


@login_required
def home(request):
    """The agencies the user may see (a province office: all of its province), each with its
    results years, its latest plan and, for an approved plan, how far its measures are.
    Supervisors and system administrators get the region dashboard instead."""
    if region_agencies(request.user, request_supervisions(request)) is not None:
        return dashboard(request)
    page = Paginator(visible_agencies(request.user).prefetch_related("result_sets", "plans"),
                     AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    latest = {a.pk: max(a.plans.all(), key=lambda p: p.plan_year, default=None) for a in page}
    approved = [p for p in latest.values() if p is not None and p.status == Plan.APPROVED]
    standings = plan_standings(approved, timezone.localdate())
    rows = [(a, latest[a.pk], standings.get(latest[a.pk].pk) if latest[a.pk] else None) for a in page]
    return render(request, "home/home.html", {"rows": rows, "page": page})


def next_step(agency, result_sets, plans, profile_missing: list[str]) -> dict | None:
    """What the agency does next in its yearly cycle: upload → analysis → plan → progress."""
    if profile_missing:
        return {"kind": "profile", "text": "กรอกข้อมูลหน่วยงานให้ครบ: " + ", ".join(profile_missing)}
    if not result_sets:
        return {"kind": "upload", "text": "อัปโหลดผลคะแนน ITA ของปีล่าสุดจากระบบ ITAS"}
    latest = result_sets[0]
    plan = next((p for p in plans if p.assessed_year == latest.fiscal_year), None)
    if plan is None:
        return {"kind": "generate", "year": latest.fiscal_year,
                "text": f"ดูผลการวิเคราะห์ปี {to_thai_digits(latest.fiscal_year)} แล้วจัดทำมาตรการ"
                        f"ปีงบประมาณ {to_thai_digits(plan_year_of(latest.fiscal_year))}"}
    if plan.status == Plan.DRAFT:
        return {"kind": "plan", "plan": plan,
                "text": f"ตรวจ แก้ไข และอนุมัติมาตรการปีงบประมาณ {to_thai_digits(plan.plan_year)}"}
    return {"kind": "progress", "plan": plan,
            "text": f"บันทึกผลการดำเนินการตามมาตรการปีงบประมาณ {to_thai_digits(plan.plan_year)}"}


def profile_missing(agency) -> list[str]:
    missing = []
    roles = set(agency.signatories.values_list("role", flat=True))
    if not {"preparer", "endorser", "approver"} <= roles:
        missing.append("ผู้ลงนาม")
    if not agency.departments.exists():
        missing.append("หน่วยงานภายใน")
    if not agency.office or not agency.reference:
        missing.append("ส่วนราชการและเลขที่หนังสือ")
    return missing


@agency_view(VIEW)
def agency_detail(request, agency):
    result_sets, plans = list(agency.result_sets.all()), list(agency.plans.all())
    can_edit = may_edit(request)
    admin = is_admin(request)
    missing = profile_missing(agency) if admin else []
    return render(request, "home/agency.html", {
        "prediction": latest_prediction(agency),
        "agency": agency,
        "result_sets": result_sets,
        "plans": plans,
        "can_edit": can_edit,
        "is_admin": admin,
        "next": next_step(agency, result_sets, plans, missing) if can_edit else None,
    })
