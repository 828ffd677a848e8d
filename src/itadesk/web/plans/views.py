"""The measures plan: generate it, edit it (with an optimistic lock), approve it, reopen it, download it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from itadesk.documents.measures_plan import plan_memo_day
from itadesk.plan import plan_year_of
from itadesk.thai import thai_date, to_thai_digits
from itadesk.web.agencies.access import ADMIN, EDIT, VIEW, agency_view, is_admin, may_edit
from itadesk.web.agencies.models import record
from itadesk.web.downloads import DOCUMENT_TYPES, download
from itadesk.web.plans.forms import (
    ApproveForm,
    MeasureFormSet,
    MemoForm,
    ReopenForm,
    initial_measures,
    memo_context,
    theme_choices,
)
from itadesk.web.plans.models import Plan
from itadesk.web.plans.services import (
    MeasuresHaveProgress,
    PlanConflict,
    PlanLocked,
    StaleForm,
    approve_plan,
    create_plan,
    memo_date,
    plan_file,
    reopen_plan,
    save_plan,
    set_plan_memo,
)
from itadesk.web.templatetags import be_datetime

CONFLICT, LOCKED = 409, 409


def _when(moment) -> str:
    """'๕ มีนาคม ๒๕๖๘ เวลา ๑๔.๓๕ น.' in Thai time."""
    if not moment:
        return ""
    return be_datetime(moment)


def _who(user) -> str:
    if user is None:
        return "ผู้ใช้อื่น"
    return user.get_full_name() or user.username


def _conflict(plan: Plan) -> dict:
    return {"by": _who(plan.updated_by), "at": _when(plan.updated_at), "version": plan.version}


def _locked(plan: Plan) -> dict:
    return {"by": plan.approved_by, "at": thai_date(timezone.localdate(plan.approved_at)) if plan.approved_at else ""}


def _get_plan(agency, plan_year: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("updated_by", "agency"), agency=agency, plan_year=plan_year)


def _posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_POST
@agency_view(EDIT)
def plan_generate(request, agency, assessed_year: int):
    try:
        plan = create_plan(agency, assessed_year, request.user)
    except MeasuresHaveProgress as exc:
        messages.error(request, exc.message)
        return redirect("analysis", agency_id=agency.pk, year=assessed_year)
    if plan.status == Plan.APPROVED:
        messages.warning(request, f"มาตรการปีงบประมาณ {plan.plan_year} อนุมัติแล้ว จึงไม่ได้จัดทำใหม่ "
                                  "(ผู้ดูแลหน่วยงานต้องเปิดแก้ไขก่อน)")
    else:
        messages.success(request, f"จัดทำมาตรการปีงบประมาณ {plan.plan_year} แล้ว ({plan.measures.count()} มาตรการ)")
    return redirect("plan", agency_id=agency.pk, plan_year=plan.plan_year)


def _detail_page(request, agency, plan: Plan, approve_form=None, conflict=None, locked=None, status=200,
                 memo_form=None):
    can_edit = may_edit(request)
    if memo_form is None:
        memo_form = MemoForm(initial={"memo_number": plan.memo_number, "memo_date": plan.memo_date})
    if approve_form is None:
        approver = agency.signatories.filter(role="approver").first()
        approve_form = ApproveForm(initial={
            "version": plan.version, "approved_by": approver.name if approver else "",
            "approved_on": timezone.localdate(),
        })
    themes = dict(theme_choices(plan))
    groups: dict[int, list] = {}
    for measure in plan.measures.all():
        groups.setdefault(measure.theme, []).append(measure)
    return render(request, "plans/detail.html", {
        "agency": agency, "plan": plan, "next_plan_year": plan_year_of(plan.plan_year),
        "groups": [(number, themes.get(number, to_thai_digits(number)), rows) for number, rows in groups.items()],
        "measure_count": sum(len(rows) for rows in groups.values()),
        "can_edit": can_edit and plan.status == Plan.DRAFT,
        "can_reopen": is_admin(request) and plan.status == Plan.APPROVED,
        "approve_form": approve_form, "reopen_form": ReopenForm(),
        "updated_when": _when(plan.updated_at), "updated_by": _who(plan.updated_by) if plan.updated_by else "",
        "conflict": conflict, "locked": locked,
        **memo_context(memo_form, plan.memo_number, memo_date(plan, plan.approved_at),
                       plan_memo_day(plan.plan_year, timezone.localdate())),
    }, status=status)


@agency_view(VIEW)
def plan_detail(request, agency, plan_year: int):
    return _detail_page(request, agency, _get_plan(agency, plan_year))


def _edit_page(request, agency, plan: Plan, formset, version: int | None, conflict=None, locked=None,
               problem: str = "", status: int = 200):
    existing = {m.pk: m for m in plan.measures.all()}
    blocks = []
    for form in formset.forms:
        try:
            measure = existing.get(int(form["id"].value() or 0))
        except (TypeError, ValueError):
            measure = None
        blocks.append({"form": form, "measure": measure, "new": form.empty_permitted})
    error_count = sum(len(f.errors) for f in formset.forms) + len(formset.non_form_errors())
    return render(request, "plans/edit.html", {
        "agency": agency, "plan": plan, "formset": formset, "blocks": blocks, "version": version,
        "empty_block": {"form": formset.empty_form, "measure": None, "new": True},
        "conflict": conflict, "locked": locked, "problem": problem,
        "error_count": error_count if formset.is_bound else 0,
    }, status=status)


@agency_view(EDIT)
def plan_edit(request, agency, plan_year: int):
    plan = _get_plan(agency, plan_year)
    if request.method != "POST":
        if plan.status == Plan.APPROVED:
            messages.info(request, "มาตรการนี้อนุมัติแล้ว จึงแก้ไขไม่ได้ ผู้ดูแลหน่วยงานต้องเปิดแก้ไขก่อน")
            return redirect("plan", agency_id=agency.pk, plan_year=plan_year)
        formset = MeasureFormSet(initial=initial_measures(plan), plan=plan)
        return _edit_page(request, agency, plan, formset, plan.version)

    formset = MeasureFormSet(request.POST, plan=plan)
    version = _posted_version(request)
    if plan.status == Plan.APPROVED:
        return _edit_page(request, agency, plan, formset, version, locked=_locked(plan), status=LOCKED)
    if version is None:
        return _edit_page(request, agency, plan, formset, version, status=400,
                          problem="แบบฟอร์มไม่สมบูรณ์ ยังไม่ได้บันทึกข้อมูลใด ๆ")
    if version != plan.version:
        return _edit_page(request, agency, plan, formset, version, conflict=_conflict(plan), status=CONFLICT)
    if not formset.is_valid():
        return _edit_page(request, agency, plan, formset, version, status=400)
    try:
        changes = save_plan(plan, version, formset.measures(), formset.deleted_ids(), request.user)
    except PlanLocked as exc:
        return _edit_page(request, agency, exc.plan, formset, version, locked=_locked(exc.plan), status=LOCKED)
    except PlanConflict as exc:
        return _edit_page(request, agency, exc.plan, formset, version, conflict=_conflict(exc.plan), status=CONFLICT)
    except StaleForm:
        return _edit_page(request, agency, plan, formset, version, status=CONFLICT,
                          problem="แบบฟอร์มไม่ตรงกับมาตรการที่บันทึกไว้ ยังไม่ได้บันทึกข้อมูลใด ๆ กรุณาโหลดหน้าใหม่")
    except MeasuresHaveProgress as exc:
        return _edit_page(request, agency, plan, formset, version, status=CONFLICT, problem=exc.message)
    if changes is None:
        messages.info(request, "ไม่มีการเปลี่ยนแปลง จึงไม่ได้บันทึก")
    else:
        messages.success(request, f"บันทึกร่างมาตรการแล้ว (ฉบับที่ {to_thai_digits(plan.version)})")
    target = "plan_edit" if request.POST.get("then") == "edit" else "plan"
    return redirect(target, agency_id=agency.pk, plan_year=plan_year)


@agency_view(EDIT)
@require_POST
def plan_approve(request, agency, plan_year: int):
    plan = _get_plan(agency, plan_year)
    form = ApproveForm(request.POST)
    if plan.status == Plan.APPROVED:
        return _detail_page(request, agency, plan, locked=_locked(plan), status=LOCKED)
    if not form.is_valid():
        if "version" in form.errors:
            return _detail_page(request, agency, plan, conflict=_conflict(plan), status=CONFLICT)
        return _detail_page(request, agency, plan, approve_form=form, status=400)
    data = form.cleaned_data
    try:
        approve_plan(plan, data["version"], data["approved_by"], data["approved_on"], request.user)
    except PlanLocked as exc:
        return _detail_page(request, agency, exc.plan, locked=_locked(exc.plan), status=LOCKED)
    except PlanConflict as exc:
        return _detail_page(request, agency, exc.plan, conflict=_conflict(exc.plan), status=CONFLICT)
    messages.success(request, f"บันทึกการอนุมัติมาตรการปีงบประมาณ {to_thai_digits(plan_year)} แล้ว "
                              "มาตรการนี้จะแก้ไขไม่ได้จนกว่าผู้ดูแลหน่วยงานจะเปิดแก้ไข")
    return redirect("plan", agency_id=agency.pk, plan_year=plan_year)


@agency_view(EDIT)
@require_POST
def plan_memo(request, agency, plan_year: int):
    plan = _get_plan(agency, plan_year)
    form = MemoForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, agency, plan, memo_form=form, status=400)
    try:
        set_plan_memo(plan, form.cleaned_data["memo_number"], form.cleaned_data["memo_date"], request.user)
    except PlanLocked as exc:
        return _detail_page(request, agency, exc.plan, locked=_locked(exc.plan), status=LOCKED)
    messages.success(request, "บันทึกเลขที่และวันที่ของบันทึกข้อความแล้ว")
    return redirect("plan", agency_id=agency.pk, plan_year=plan_year)


@agency_view(ADMIN)
@require_POST
def plan_reopen(request, agency, plan_year: int):
    plan = _get_plan(agency, plan_year)
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")[:300]
    if plan.status != Plan.APPROVED:
        messages.info(request, "มาตรการนี้ยังเป็นร่างอยู่แล้ว")
    else:
        reopen_plan(plan, reason.strip(), request.user)
        messages.success(request, "เปิดแก้ไขมาตรการแล้ว สถานะกลับเป็นร่าง ต้องอนุมัติใหม่หลังแก้ไข")
    return redirect("plan", agency_id=agency.pk, plan_year=plan_year)


@agency_view(VIEW)
def plan_document(request, agency, plan_year: int, fmt: str):
    if fmt not in DOCUMENT_TYPES:
        raise Http404("ไม่มีเอกสารรูปแบบนี้")
    plan = get_object_or_404(Plan, agency=agency, plan_year=plan_year)
    data = plan_file(plan, fmt)
    record(agency, request.user, "plan.downloaded", f"ดาวน์โหลดมาตรการปี {plan_year} ({fmt.upper()})",
           plan_year=plan_year, format=fmt)
    return download(data, DOCUMENT_TYPES[fmt], f"measures-plan-{plan_year}.{fmt}")
