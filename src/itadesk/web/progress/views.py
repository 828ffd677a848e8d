"""Progress of an approved plan: the overview, a round's measures, a measure's report with its
evidence, locking and unlocking a round, and the results report of any round."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from itadesk.attachments import ACCEPT, CONTENT_TYPES, EXTENSIONS, check_evidence
from itadesk.documents.results_report import build_results_report, report_memo_day
from itadesk.documents.results_report_docx import render_results_report_docx
from itadesk.documents.results_report_pdf import render_results_report_pdf
from itadesk.errors import InputError
from itadesk.limits import MB, size_text
from itadesk.progress import (
    PROGRESS_LABEL,
    STATUSES,
    deadline,
    due_soon,
    late_in_round,
    latest_status,
    overdue,
    summarize,
)
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.access import ADMIN, EDIT, VIEW, agency_view, is_admin, may_edit
from itadesk.web.agencies.models import AuditEntry, record
from itadesk.web.downloads import DOCUMENT_TYPES, content_disposition_header, download
from itadesk.web.plans.forms import MemoForm, memo_context, theme_choices
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.plans.services import memo_date, plan_inputs
from itadesk.web.progress.forms import AddRoundForm, ReportForm, UnlockForm
from itadesk.web.progress.models import EvidenceFile, MeasureReport, Round
from itadesk.web.progress.services import (
    RoundLocked,
    add_round,
    delete_evidence_file,
    ensure_rounds,
    lock_round,
    measure_key,
    progress_report,
    save_report,
    set_round_memo,
    unlock_round,
)

SOON_DAYS = 30
MAX_FILES_PER_POST = 10
LOCKED = 409
RENDERERS = {"docx": render_results_report_docx, "pdf": render_results_report_pdf}


READ, WRITE, READ_WRITE = ("GET", "HEAD"), ("POST",), ("GET", "HEAD", "POST")


def progress_view(needed: str, methods: tuple[str, ...] | None = None):
    """The agency check (``agency_view``), the method when ``methods`` are given (405 otherwise;
    a POST always needs the edit level), then the plan, which must be approved: the view gets
    ``(request, agency, plan, ...)``.
    A draft plan's progress pages lead back to the overview, which explains that the plan must
    be approved first."""

    def decorator(view):
        @agency_view(needed)
        @wraps(view)
        def wrapper(request, agency, plan_year: int, *args, **kwargs):
            if methods is not None and request.method not in methods:
                return HttpResponseNotAllowed(methods)
            if request.method == "POST" and not may_edit(request):
                raise PermissionDenied("ต้องมีสิทธิ์แก้ไขของหน่วยงาน")
            plan = get_object_or_404(Plan.objects.select_related("agency"), agency=agency, plan_year=plan_year)
            if plan.status != Plan.APPROVED:
                messages.info(request, "มาตรการนี้ยังไม่อนุมัติ จึงยังติดตามผลการดำเนินการไม่ได้")
                return redirect("progress", agency_id=agency.pk, plan_year=plan_year)
            return view(request, agency, plan, *args, **kwargs)

        return wrapper

    return decorator


def _round(plan: Plan, months: int) -> Round:
    ensure_rounds(plan)
    return get_object_or_404(Round.objects.select_related("locked_by", "plan"), plan=plan, months=months)


def _deadlines(measures) -> dict[str, dt.date]:
    return {measure_key(m): m.due_on for m in measures if m.due_on}


def _current_round(rounds: list[Round], today: dt.date) -> Round | None:
    """Where a measure's progress is reported now: the first unlocked round not yet over, else the last unlocked one."""
    unlocked = [r for r in rounds if not r.is_locked]
    return next((r for r in unlocked if r.ends_on >= today), unlocked[-1] if unlocked else None)


# --- Overview --------------------------------------------------------------------------------

def _overview_page(request, agency, plan: Plan, add_form: AddRoundForm | None = None, status: int = 200):
    today = timezone.localdate()
    core, progress = progress_report(plan)   # creates the criteria's rounds the first time
    rounds = list(plan.rounds.select_related("locked_by"))
    measures = list(plan.measures.all())
    by_key = {measure_key(m): m for m in measures}
    deadlines = _deadlines(measures)
    themes = dict(theme_choices(plan))
    summaries = []
    for rnd in rounds:
        summary = summarize(core, progress, rnd.months)
        late = late_in_round(core, progress, rnd.months, deadlines, today)
        late_per_theme = Counter(by_key[key].theme for key in late)
        summaries.append({
            "round": rnd, "counts": summary.counts, "late": len(late),
            "done_percent": f"{summary.counts.done_percent:.0f}",
            "themes": [{"name": themes.get(t.theme, to_thai_digits(t.theme)), "counts": t.counts,
                        "late": late_per_theme[t.theme]} for t in summary.themes],
        })

    def rows(keys: list[str]) -> list[dict]:
        return [{"measure": by_key[key], "due": deadline(key, deadlines, plan.plan_year),
                 "status": PROGRESS_LABEL[latest_status(progress, key)]} for key in keys]

    late_rows = rows(overdue(core, progress, deadlines, today))
    for row in late_rows:
        row["days"] = (today - row["due"]).days
    soon_rows = rows(due_soon(core, progress, deadlines, today, SOON_DAYS))
    closing = [r for r in rounds if not r.is_locked and today <= r.ends_on <= today + dt.timedelta(days=SOON_DAYS)]
    can_edit = may_edit(request)
    taken = {r.months for r in rounds}
    if add_form is None and can_edit:
        add_form = AddRoundForm(taken=taken)
    return render(request, "progress/overview.html", {
        "agency": agency, "plan": plan, "today": today, "summaries": summaries, "statuses": PROGRESS_LABEL,
        "overdue": late_rows, "due_soon": soon_rows, "closing": closing, "soon_days": SOON_DAYS,
        "current": _current_round(rounds, today), "measure_count": len(measures),
        "can_edit": can_edit, "add_form": add_form if len(taken) < 12 else None,
    }, status=status)


@agency_view(VIEW)
@require_safe
def overview(request, agency, plan_year: int):
    plan = get_object_or_404(Plan.objects.select_related("agency"), agency=agency, plan_year=plan_year)
    if plan.status != Plan.APPROVED:
        return render(request, "progress/draft.html", {"agency": agency, "plan": plan})
    return _overview_page(request, agency, plan)


@progress_view(EDIT, WRITE)
def add_round_view(request, agency, plan: Plan):
    taken = {r.months for r in ensure_rounds(plan)}
    form = AddRoundForm(request.POST, taken=taken)
    if not form.is_valid():
        return _overview_page(request, agency, plan, add_form=form, status=400)
    try:
        created = add_round(plan, form.cleaned_data["months"], request.user)
    except IntegrityError:  # added by someone else in between
        form.add_error("months", "มีรอบนี้อยู่แล้ว")
        return _overview_page(request, agency, plan, add_form=form, status=400)
    messages.success(request, f"เพิ่ม{to_thai_digits(created.name)}แล้ว")
    return redirect("progress_round", agency_id=agency.pk, plan_year=plan.plan_year, months=created.months)


# --- A round ---------------------------------------------------------------------------------

def _last_unlock(plan: Plan, rnd: Round) -> AuditEntry | None:
    return (AuditEntry.objects.filter(agency=plan.agency, action="progress.unlocked",
                                      details__plan_year=plan.plan_year, details__months=rnd.months)
            .select_related("user").order_by("-at", "-pk").first())


def _round_page(request, agency, plan: Plan, rnd: Round, unlock_form: UnlockForm | None = None, status: int = 200,
                ask_lock: bool = False, memo_form: MemoForm | None = None):
    today = timezone.localdate()
    if memo_form is None:
        memo_form = MemoForm(initial={"memo_number": rnd.memo_number, "memo_date": rnd.memo_date})
    measures = list(plan.measures.all())
    core, progress = progress_report(plan)
    late = set(late_in_round(core, progress, rnd.months, _deadlines(measures), today))
    reports = {r.measure_id: r for r in MeasureReport.objects.filter(round=rnd)}
    files: dict[int, list[EvidenceFile]] = {}
    for evidence in EvidenceFile.objects.filter(report__round=rnd).select_related("report"):
        files.setdefault(evidence.report.measure_id, []).append(evidence)
    themes = dict(theme_choices(plan))
    groups: dict[int, list[dict]] = {}
    for measure in measures:
        key = measure_key(measure)
        entry = progress.entry(key, rnd.months)
        groups.setdefault(measure.theme, []).append({
            "measure": measure, "entry": entry, "status": PROGRESS_LABEL[entry.status],
            "reported": measure.pk in reports, "from_round": entry.months if entry.months != rnd.months else None,
            "files": files.get(measure.pk, []), "late": key in late,
            "due": deadline(key, _deadlines([measure]), plan.plan_year),
        })
    counts = summarize(core, progress, rnd.months).counts
    unreported = sum(1 for rows in groups.values() for row in rows if not row["reported"])
    return render(request, "progress/round.html", {
        "unreported": unreported, "measure_total": len(measures), "ask_lock": ask_lock,
        "agency": agency, "plan": plan, "round": rnd, "today": today,
        "groups": [(themes.get(number, to_thai_digits(number)), rows) for number, rows in groups.items()],
        "counts": [(PROGRESS_LABEL[s], counts.get(s)) for s in STATUSES], "late_count": len(late),
        "can_edit": may_edit(request), "can_unlock": is_admin(request),
        "can_edit_memo": may_edit(request) and not rnd.is_locked,
        "unlock_form": unlock_form or UnlockForm(), "last_unlock": _last_unlock(plan, rnd),
        **memo_context(memo_form, rnd.memo_number, memo_date(rnd, rnd.locked_at),
                       report_memo_day(rnd.as_core(), today)),
    }, status=status)


@progress_view(VIEW, READ)
def round_view(request, agency, plan: Plan, months: int):
    return _round_page(request, agency, plan, _round(plan, months))


@progress_view(EDIT, WRITE)
def memo_view(request, agency, plan: Plan, months: int):
    rnd = _round(plan, months)
    form = MemoForm(request.POST)
    if not form.is_valid():
        return _round_page(request, agency, plan, rnd, memo_form=form, status=400)
    try:
        set_round_memo(rnd, form.cleaned_data["memo_number"], form.cleaned_data["memo_date"], request.user)
    except RoundLocked:
        messages.error(request, f"ไม่ได้บันทึก: {to_thai_digits(rnd.name)} ล็อกแล้ว ต้องให้ผู้ดูแลหน่วยงานปลดล็อกก่อน")
        return _round_page(request, agency, plan, _round(plan, months), status=LOCKED)
    messages.success(request, "บันทึกเลขที่และวันที่ของบันทึกรายงานแล้ว")
    return redirect("progress_round", agency_id=agency.pk, plan_year=plan.plan_year, months=months)


@progress_view(EDIT, WRITE)
def lock_view(request, agency, plan: Plan, months: int):
    rnd = _round(plan, months)
    if not rnd.is_locked and not request.POST.get("confirm") \
            and plan.measures.exclude(reports__round=rnd).exists():
        return _round_page(request, agency, plan, rnd, ask_lock=True)  # say how many are unreported, and ask
    try:
        lock_round(rnd, request.user)
    except RoundLocked:
        messages.info(request, f"{to_thai_digits(rnd.name)} ล็อกอยู่แล้ว")
    else:
        messages.success(request, f"ล็อก{to_thai_digits(rnd.name)}แล้ว ผลการดำเนินการของรอบนี้จะแก้ไขไม่ได้ "
                                  "จนกว่าผู้ดูแลหน่วยงานจะปลดล็อก")
    return redirect("progress_round", agency_id=agency.pk, plan_year=plan.plan_year, months=months)


@progress_view(ADMIN, WRITE)
def unlock_view(request, agency, plan: Plan, months: int):
    rnd = _round(plan, months)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        return _round_page(request, agency, plan, rnd, unlock_form=form, status=400)
    if unlock_round(rnd, form.cleaned_data["reason"], request.user) is None:
        messages.info(request, f"{to_thai_digits(rnd.name)} ไม่ได้ล็อกอยู่")
    else:
        messages.success(request, f"ปลดล็อก{to_thai_digits(rnd.name)}แล้ว แก้ไขผลการดำเนินการได้อีกครั้ง "
                                  "(บันทึกเหตุผลไว้ในบันทึกการเปลี่ยนแปลงแล้ว)")
    return redirect("progress_round", agency_id=agency.pk, plan_year=plan.plan_year, months=months)


# --- A measure in a round --------------------------------------------------------------------

def _measure_page(request, agency, plan: Plan, rnd: Round, measure: PlanMeasure, form: ReportForm | None = None,
                  problems: list[str] | None = None, locked: bool = False, status: int = 200):
    core, progress = progress_report(plan)
    entry = progress.entry(measure_key(measure), rnd.months)
    report = MeasureReport.objects.filter(round=rnd, measure=measure).select_related("updated_by").first()
    can_write = may_edit(request) and not rnd.is_locked
    if form is None and can_write:
        form = ReportForm(initial=ReportForm.initial_from(entry))
    return render(request, "progress/measure.html", {
        "agency": agency, "plan": plan, "round": rnd, "measure": measure, "entry": entry, "report": report,
        "status_label": PROGRESS_LABEL[entry.status],
        "from_round": entry.months if entry.months != rnd.months else None,
        "files": list(report.files.all()) if report else [],
        "due": deadline(measure_key(measure), _deadlines([measure]), plan.plan_year),
        "can_edit": may_edit(request), "can_write": can_write, "form": form, "problems": problems or [],
        "locked": locked, "accept": ACCEPT, "max_size": size_text(settings.EVIDENCE_MAX_BYTES),
        "max_files": MAX_FILES_PER_POST,
    }, status=status)


def _declared_body_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _max_body_bytes() -> int:
    """Every allowed file at its largest, plus room for the form's text."""
    return MAX_FILES_PER_POST * settings.EVIDENCE_MAX_BYTES + MB


def _checked_uploads(request) -> tuple[list, list[str]]:
    """Every uploaded file checked (type by content, extension, size); the problems of those refused."""
    uploads, problems = [], []
    files = request.FILES.getlist("files")
    if len(files) > MAX_FILES_PER_POST:
        return [], [f"แนบไฟล์ได้ครั้งละไม่เกิน {to_thai_digits(MAX_FILES_PER_POST)} ไฟล์ "
                    f"(เลือกมา {to_thai_digits(len(files))} ไฟล์)"]
    for upload in files:
        try:
            uploads.append(check_evidence(upload.name, upload, settings.EVIDENCE_MAX_BYTES))
        except InputError as exc:
            problems.extend(str(p) for p in exc.problems)
    return uploads, problems


@progress_view(VIEW, READ_WRITE)
def measure_view(request, agency, plan: Plan, months: int, measure_pk: int):
    rnd = _round(plan, months)
    measure = get_object_or_404(PlanMeasure, plan=plan, pk=measure_pk)
    if request.method != "POST":
        return _measure_page(request, agency, plan, rnd, measure)
    if _declared_body_size(request) > _max_body_bytes():
        # Refused before Django reads (and spools to disk) the upload; nothing of it is kept.
        return _measure_page(request, agency, plan, rnd, measure, problems=[
            f"ไฟล์ที่แนบรวมกันใหญ่เกินไป (ไฟล์ละไม่เกิน {size_text(settings.EVIDENCE_MAX_BYTES)} "
            f"ครั้งละไม่เกิน {to_thai_digits(MAX_FILES_PER_POST)} ไฟล์) ยังไม่ได้บันทึกข้อมูลใด ๆ"], status=413)
    form = ReportForm(request.POST)
    if rnd.is_locked:
        return _measure_page(request, agency, plan, rnd, measure, form, locked=True, status=LOCKED)
    uploads, problems = _checked_uploads(request)
    if not form.is_valid() or problems:
        return _measure_page(request, agency, plan, rnd, measure, form, problems, status=400)
    try:
        changes = save_report(rnd, measure, form.report_values(), uploads, request.user)
    except RoundLocked as exc:
        return _measure_page(request, agency, plan, exc.round, measure, form, locked=True, status=LOCKED)
    if changes is None:
        messages.info(request, "ไม่มีการเปลี่ยนแปลง จึงไม่ได้บันทึก")
    else:
        attached = f" แนบไฟล์ {to_thai_digits(len(changes['files']))} ไฟล์" if changes["files"] else ""
        messages.success(request, f"บันทึกผลการดำเนินการ{to_thai_digits(rnd.name)}ของมาตรการ "
                                  f"\"{measure.name}\" แล้ว{attached}")
    return redirect("progress_round", agency_id=agency.pk, plan_year=plan.plan_year, months=months)


# --- Evidence files --------------------------------------------------------------------------

def _evidence(plan: Plan, file_id: int) -> EvidenceFile:
    return get_object_or_404(EvidenceFile.objects.select_related("report__round__plan", "report__measure"),
                             pk=file_id, report__round__plan=plan)


@progress_view(VIEW, READ)
def file_view(request, agency, plan: Plan, file_id: int):
    evidence = _evidence(plan, file_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("ไม่พบไฟล์หลักฐานในที่เก็บ") from missing
    response = FileResponse(handle, content_type=CONTENT_TYPES[evidence.kind])
    extension = next(ext for ext, kind in EXTENSIONS.items() if kind == evidence.kind)
    response["Content-Disposition"] = content_disposition_header(f"evidence-{evidence.pk}{extension}", evidence.name)
    return response


@progress_view(EDIT, WRITE)
def file_delete_view(request, agency, plan: Plan, file_id: int):
    evidence = _evidence(plan, file_id)
    rnd, measure = evidence.report.round, evidence.report.measure
    try:
        delete_evidence_file(evidence, request.user)
    except RoundLocked:
        messages.error(request, f"ไม่ได้ลบ: {to_thai_digits(rnd.name)} ล็อกแล้ว ต้องให้ผู้ดูแลหน่วยงานปลดล็อกก่อน")
    else:
        messages.success(request, f"ลบไฟล์ {evidence.name} แล้ว")
    return redirect("progress_measure", agency_id=agency.pk, plan_year=plan.plan_year, months=rnd.months,
                    measure_pk=measure.pk)


# --- The results report (O35 in FY2567, O28 in FY2568, O26 in FY2569) ---------------------------

@progress_view(VIEW, READ)
def results_report_view(request, agency, plan: Plan, months: int, fmt: str):
    if fmt not in RENDERERS:
        raise Http404("ไม่มีเอกสารรูปแบบนี้")
    rnd = _round(plan, months)
    core, progress = progress_report(plan)
    analysis = plan_inputs(plan)[0]  # an approved plan's own scores, as approved
    document = build_results_report(analysis, core, progress, months, agency.profile(),
                                    day=memo_date(rnd, rnd.locked_at), memo_number=rnd.memo_number)
    data = RENDERERS[fmt](document)
    record(agency, request.user, "progress.downloaded",
           f"ดาวน์โหลดรายงานผลการดำเนินการตามมาตรการปี {plan.plan_year} {rnd.name} ({fmt.upper()})",
           plan_year=plan.plan_year, months=months, format=fmt)
    return download(data, DOCUMENT_TYPES[fmt], f"results-report-{plan.plan_year}-{months}m.{fmt}",
                    f"รายงานผลการดำเนินการตามมาตรการ-{plan.plan_year}-รอบ{months}เดือน.{fmt}")
