"""OIT self-check pages: the evidence register (form, XLSX import, template), the check, the results."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from itadesk import limits
from itadesk.criteria import available_years
from itadesk.errors import InputError
from itadesk.links import MAX_ITEM_LINKS
from itadesk.oit.evidence import parse_evidence_xlsx, write_evidence_xlsx
from itadesk.oit.verdict import DOUBTFUL, FAIL, PASS, VERDICT_TH, compare
from itadesk.web.agencies.access import EDIT, VIEW, agency_view, may_edit
from itadesk.web.downloads import PDF, XLSX, download
from itadesk.web.jobs import runner
from itadesk.web.jobs.models import Job
from itadesk.web.oit.models import CheckRunRecord, EvidenceEntry
from itadesk.web.oit.services import (
    check_problem,
    criteria_for,
    items_from_post,
    items_from_register,
    register_for,
    save_items,
    stored_items,
)

REPORT_TYPES = {"xlsx": XLSX, "pdf": PDF}


def _criteria_or_404(fiscal_year: int):
    criteria = criteria_for(fiscal_year)
    if criteria is None:
        raise Http404("ไม่มีเกณฑ์ของปีงบประมาณนี้")
    return criteria


@agency_view(VIEW)
def oit_home(request, agency):
    years = sorted(available_years(), reverse=True)
    rows = []
    for year in years:
        entries = EvidenceEntry.objects.filter(agency=agency, fiscal_year=year)
        rows.append({
            "year": year,
            "items": sum(1 for e in entries if e.urls),
            "links": sum(len(e.urls) for e in entries),
            "latest": CheckRunRecord.objects.filter(agency=agency, fiscal_year=year).first(),
        })
    runs = CheckRunRecord.objects.filter(agency=agency).select_related("started_by")[:20]
    return render(request, "oit/home.html", {
        "agency": agency, "rows": rows, "runs": runs, "can_edit": may_edit(request),
    })


@agency_view(EDIT)
def evidence_form(request, agency, fiscal_year: int):
    criteria = _criteria_or_404(fiscal_year)
    if request.method == "POST":
        items = items_from_post(request.POST, criteria)
        if not any(i.errors for i in items):
            changed = save_items(agency, request.user, fiscal_year, items, "oit.evidence_saved")
            if changed:
                messages.success(request, f"บันทึกลิงก์หลักฐาน OIT ปีงบประมาณ {fiscal_year} แล้ว ({len(changed)} ข้อ)")
            elif request.POST.get("then") != "check":
                messages.info(request, "ไม่มีการเปลี่ยนแปลง")
            if request.POST.get("then") == "check":  # "ตรวจสอบ": the links typed are saved first
                return _check(request, agency, fiscal_year, criteria)
            return redirect("oit_evidence", agency_id=agency.pk, fiscal_year=fiscal_year)
    else:
        items = stored_items(agency, fiscal_year, criteria)
    problems = [f"ข้อ {i.code}: {e}" for i in items for e in i.errors]
    return render(request, "oit/evidence.html", {
        "agency": agency, "year": fiscal_year, "items": items, "problems": problems,
        "years": available_years(), "max_urls": MAX_ITEM_LINKS,
        "latest": CheckRunRecord.objects.filter(agency=agency, fiscal_year=fiscal_year).first(),
    }, status=400 if problems else 200)


@agency_view(EDIT)
def evidence_import(request, agency, fiscal_year: int):
    criteria = _criteria_or_404(fiscal_year)
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = ["กรุณาเลือกไฟล์ .xlsx"]
        elif not upload.name.lower().endswith(".xlsx"):
            problems = [f"{upload.name}: ชนิดไฟล์ไม่รองรับ ใช้ไฟล์ Excel .xlsx"]
        elif limits.upload_problem(upload.name, upload.size):
            problems = [limits.upload_problem(upload.name, upload.size)]
        else:
            data = upload.read(limits.active().max_bytes + 1)
            if not data.startswith(b"PK\x03\x04"):
                problems = [f"{upload.name}: ไม่ใช่ไฟล์ Excel .xlsx"]
            else:
                try:
                    register = parse_evidence_xlsx(data, upload.name, criteria, fiscal_year)
                except InputError as exc:
                    problems = [str(p) for p in exc.problems]
                else:
                    if register.fiscal_year != fiscal_year:
                        problems = [f"{upload.name}: ไฟล์เป็นของปีงบประมาณ {register.fiscal_year} "
                                    f"แต่หน้านี้คือปีงบประมาณ {fiscal_year}"]
                    else:
                        items = items_from_register(register, criteria)
                        changed = save_items(agency, request.user, fiscal_year, items, "oit.evidence_imported",
                                             source=upload.name[:200])
                        messages.success(request, f"นำเข้าลิงก์หลักฐานจาก {upload.name} แล้ว "
                                                  f"({len(changed)} ข้อเปลี่ยนแปลง)")
                        return redirect("oit_evidence", agency_id=agency.pk, fiscal_year=fiscal_year)
    return render(request, "oit/import.html", {
        "agency": agency, "year": fiscal_year, "problems": problems,
    }, status=400 if problems else 200)


def _xlsx_bytes(write) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.xlsx"
        write(path)
        return path.read_bytes()


@agency_view(VIEW)
def evidence_template(request, agency, fiscal_year: int):
    """The register of the year as XLSX, one row for every O item (fill in and import back)."""
    criteria = _criteria_or_404(fiscal_year)
    register = register_for(agency, fiscal_year, criteria)
    data = _xlsx_bytes(lambda path: write_evidence_xlsx(register, path, criteria))
    return download(data, XLSX, f"oit-evidence-{fiscal_year}.xlsx")


@agency_view(EDIT)
def start_check(request, agency, fiscal_year: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _check(request, agency, fiscal_year, _criteria_or_404(fiscal_year))


def _check(request, agency, fiscal_year: int, criteria):
    """Start the check of the year's saved links as a background job and show its page (or say why
    it cannot be done). The request never waits for the check."""
    problem = check_problem(agency, fiscal_year)
    if problem:
        messages.error(request, problem)
        return redirect("oit_evidence", agency_id=agency.pk, fiscal_year=fiscal_year)
    job = runner.start(Job.OIT_CHECK, request.user, fiscal_year, request.POST.get("request_key", ""), agency=agency)
    return redirect("agency_job", agency_id=agency.pk, job_id=job.pk)


VERDICT_CLASS = {PASS: "verdict-pass", DOUBTFUL: "verdict-doubtful", FAIL: "verdict-fail"}


@agency_view(VIEW)
def run_detail(request, agency, run_id: int):
    saved = get_object_or_404(CheckRunRecord, agency=agency, pk=run_id)
    prediction = saved.oit_prediction()
    run = saved.check_run()
    previous = saved.previous()
    comparison = compare(previous.oit_prediction(), prediction) if previous else None
    changes = []
    if comparison:
        for c in comparison.changes:
            changes.append({"code": c.code, "before": VERDICT_TH.get(c.before or "", "-"),
                            "after": VERDICT_TH.get(c.after or "", "-"), "delta": c.score_delta,
                            "after_class": VERDICT_CLASS.get(c.after or "", ""),
                            "same": c.before == c.after, "reasons": c.reasons_after})
    items = [{"item": i, "class": VERDICT_CLASS[i.verdict], "checks": run.of_item(i.code)} for i in prediction.items]
    return render(request, "oit/run.html", {
        "agency": agency, "saved": saved, "prediction": prediction, "run": run, "items": items,
        "fix_first": prediction.fix_first, "counts": prediction.counts(), "previous": previous,
        "comparison": comparison, "changes": changes, "can_edit": may_edit(request),
        "indicators": sorted(prediction.indicators.items()),
        "newer": CheckRunRecord.objects.filter(agency=agency, fiscal_year=saved.fiscal_year,
                                               started_at__gt=saved.started_at).exists(),
    })


@agency_view(VIEW)
def run_report(request, agency, run_id: int, fmt: str):
    if fmt not in REPORT_TYPES:
        raise Http404("ไม่มีรายงานรูปแบบนี้")
    saved = get_object_or_404(CheckRunRecord, agency=agency, pk=run_id)
    run, prediction = saved.check_run(), saved.oit_prediction()
    stamp = timezone.localtime(saved.started_at).strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        from itadesk.oit.report import write_report_xlsx

        data = _xlsx_bytes(lambda path: write_report_xlsx(run, prediction, path))
    else:
        from itadesk.oit.report_pdf import render_oit_report_pdf

        data = render_oit_report_pdf(run, prediction, agency.name, saved.fiscal_year)
    return download(data, REPORT_TYPES[fmt], f"oit-check-{saved.fiscal_year}-{stamp}.{fmt}")
