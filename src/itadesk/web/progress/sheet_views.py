"""A plan's progress as an XLSX sheet: download it, fill it in, import it back (bulk update)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from itadesk import limits
from itadesk.errors import InputError
from itadesk.progress_sheet import read_progress_xlsx, write_progress_xlsx
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.access import EDIT, VIEW
from itadesk.web.downloads import XLSX, download
from itadesk.web.progress.services import apply_progress_rows, measure_key, progress_report
from itadesk.web.progress.views import progress_view


@require_safe
@progress_view(VIEW)
def progress_sheet(request, agency, plan):
    """The plan and everything reported, one row per measure and round, to fill in and import back."""
    core, progress = progress_report(plan)
    deadlines = {measure_key(m): m.due_on for m in plan.measures.all() if m.due_on}
    data = write_progress_xlsx(core, progress, agency.name, deadlines)
    return download(data, XLSX, f"progress-{plan.plan_year}.xlsx")


def _upload_problems(upload, limit: int) -> list[str]:
    if upload is None:
        return ["กรุณาเลือกไฟล์ .xlsx ที่ดาวน์โหลดจากหน้านี้แล้วกรอกผล"]
    if not upload.name.lower().endswith(".xlsx"):
        return [f"{upload.name}: ชนิดไฟล์ไม่รองรับ ใช้ไฟล์ Excel .xlsx"]
    too_big = limits.upload_problem(upload.name, upload.size, limit)
    if too_big:
        return [too_big]
    return []


@require_http_methods(["GET", "POST"])
@progress_view(EDIT)
def progress_sheet_import(request, agency, plan):
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        limit = limits.active().max_bytes
        problems = _upload_problems(upload, limit)
        if not problems:
            core, progress = progress_report(plan)
            try:
                rows = read_progress_xlsx(upload.read(limit + 1), upload.name, core, progress.rounds)
                changed = apply_progress_rows(plan, rows, request.user, upload.name[:200])
            except InputError as exc:
                problems = [str(p) for p in exc.problems]
            else:
                if changed:
                    messages.success(request, f"นำเข้าผลการดำเนินการจาก {upload.name} แล้ว "
                                              f"({to_thai_digits(changed)} รายงาน)")
                else:
                    messages.info(request, f"{upload.name}: ไม่มีการเปลี่ยนแปลง")
                return redirect("progress", agency_id=agency.pk, plan_year=plan.plan_year)
    return render(request, "progress/sheet_import.html", {
        "agency": agency, "plan": plan, "problems": problems,
        "max_mb": limits.active().max_bytes // limits.MB,
    }, status=400 if problems else 200)
