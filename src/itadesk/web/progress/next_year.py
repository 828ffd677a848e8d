"""Next year's cycle: compare the new scores with last year's weak items and carry unfinished
measures of an approved plan into the plan of the next year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from itadesk.carryover import compare_weak_items, unfinished_measures
from itadesk.plan import plan_year_of, previous_year
from itadesk.progress import PROGRESS_LABEL
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.access import VIEW, agency_view, may_edit
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.plans.services import PlanLocked, carry_over
from itadesk.web.progress.services import progress_report
from itadesk.web.results.models import ResultSet
from itadesk.web.results.services import year_analysis

REFUSED = 409


def _comparison(agency, year: int):
    """Last year's weak items against this year's scores, or None when either year has no scores."""
    last = previous_year(year)
    sets = {s.fiscal_year: s for s in ResultSet.objects.filter(
        agency=agency, fiscal_year__in=(previous_year(last), last, year))}
    if year not in sets or last not in sets:
        return None
    return compare_weak_items(year_analysis(agency, last, sets), year_analysis(agency, year, sets))


def _unfinished(plan: Plan) -> list[dict]:
    """The plan's unfinished measures (rows) with their latest status and reported rounds."""
    core, progress = progress_report(plan, create_rounds=False)
    rows = {str(m.pk): m for m in plan.measures.all()}
    items = []
    for unfinished in unfinished_measures(core, progress):
        history = [{"round": h.round.name, "status": PROGRESS_LABEL[h.progress.status], "report": h.progress}
                   for h in unfinished.history]
        items.append({"row": rows[unfinished.measure.measure_id], "status": PROGRESS_LABEL[unfinished.status],
                      "history": history})
    return items


def _page(request, agency, plan: Plan, problem: str = "", chosen: set[int] | None = None, status: int = 200):
    year, next_year = plan.plan_year, plan_year_of(plan.plan_year)
    approved = plan.status == Plan.APPROVED
    next_plan = Plan.objects.filter(agency=agency, plan_year=next_year).first()
    carried = set(PlanMeasure.objects.filter(plan=next_plan, carried_from__isnull=False)
                  .values_list("carried_from_id", flat=True)) if next_plan else set()
    unfinished = _unfinished(plan) if approved else []
    for item in unfinished:
        pk = item["row"].pk
        item["carried"] = pk in carried
        item["checked"] = pk in chosen if chosen is not None else not item["carried"]
    comparison = _comparison(agency, year) if approved else None
    compared = [c for c in comparison or [] if c.score is not None]
    has_scores = ResultSet.objects.filter(agency=agency, fiscal_year=year).exists()
    can_edit = may_edit(request)
    return render(request, "progress/next_year.html", {
        "agency": agency, "plan": plan, "year": year, "last_year": previous_year(year), "next_year": next_year,
        "next_plan": next_plan,
        "approved": approved, "has_scores": has_scores, "comparison": comparison,
        "improved_count": sum(1 for c in compared if c.improved), "compared_count": len(compared),
        "uncompared_count": len(comparison or []) - len(compared),
        "unfinished": unfinished, "can_edit": can_edit,
        "can_start": (can_edit and approved and has_scores
                      and not (next_plan and next_plan.status == Plan.APPROVED)),
        "problem": problem,
    }, status=status)


def _chosen_ids(request) -> set[int] | None:
    try:
        return {int(value) for value in request.POST.getlist("measure")}
    except ValueError:
        return None


@agency_view(VIEW)
def next_year(request, agency, plan_year: int):
    plan = get_object_or_404(Plan.objects.select_related("agency"), agency=agency, plan_year=plan_year)
    if request.method != "POST":
        return _page(request, agency, plan)
    if not may_edit(request):
        raise PermissionDenied("ต้องเป็นผู้แก้ไขหรือผู้ดูแลหน่วยงาน")
    year, following = to_thai_digits(plan_year), to_thai_digits(plan_year_of(plan_year))
    if plan.status != Plan.APPROVED:
        return _page(request, agency, plan, status=REFUSED, problem=(
            f"มาตรการปีงบประมาณ {year} ยังไม่ได้อนุมัติ จึงยังเริ่มปีงบประมาณ {following} จากมาตรการนี้ไม่ได้"))
    if not ResultSet.objects.filter(agency=agency, fiscal_year=plan_year).exists():
        return _page(request, agency, plan, status=REFUSED, problem=(
            f"ยังไม่มีผลคะแนน ITA ปีงบประมาณ {year} กรุณานำเข้าผลคะแนนก่อน"))
    chosen = _chosen_ids(request)
    unfinished = {item["row"].pk: item["row"] for item in _unfinished(plan)}
    if chosen is None or not chosen <= set(unfinished):
        return _page(request, agency, plan, status=400, problem=(
            f"มาตรการที่เลือกไม่ตรงกับมาตรการที่ยังไม่แล้วเสร็จของปีงบประมาณ {year} "
            "ยังไม่ได้บันทึกข้อมูลใด ๆ กรุณาโหลดหน้าใหม่แล้วเลือกอีกครั้ง"))
    try:
        result = carry_over(plan, [row for pk, row in unfinished.items() if pk in chosen], request.user)
    except PlanLocked:
        return _page(request, agency, plan, chosen=chosen, status=REFUSED, problem=(
            f"มาตรการปีงบประมาณ {following} อนุมัติแล้ว จึงยกมาตรการเข้าไปไม่ได้ ยังไม่ได้บันทึกข้อมูลใด ๆ "
            "(ผู้ดูแลหน่วยงานต้องเปิดแก้ไขมาตรการปีนั้นก่อน)"))
    carried = len(result.added) + len(result.linked)
    if result.generated:
        messages.success(request, f"จัดทำมาตรการปีงบประมาณ {following} จากผลคะแนนปี {year} แล้ว "
                                  f"และยกมาตรการที่ยังไม่แล้วเสร็จมา {to_thai_digits(carried)} มาตรการ")
    elif carried:
        messages.success(request, f"ยกมาตรการที่ยังไม่แล้วเสร็จมาเพิ่มในร่างมาตรการปีงบประมาณ {following} "
                                  f"{to_thai_digits(carried)} มาตรการ")
    else:
        messages.info(request, f"ไม่มีมาตรการที่ต้องยกมาเพิ่ม ร่างมาตรการปีงบประมาณ {following} ไม่เปลี่ยนแปลง")
    return redirect("plan", agency_id=agency.pk, plan_year=result.plan.plan_year)
