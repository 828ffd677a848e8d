"""A year's ITA criteria for system administrators: download the sheet, import a filled-in one.

When the NACC publishes a new year, a system administrator exports the latest year's sheet,
types in what the ITAS report shows and imports it here; the same checks as
``itadesk criteria import`` apply, and nothing is installed unless the whole year validates.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from itadesk import limits
from itadesk.criteria import available_years, load_criteria
from itadesk.criteria.loader import criteria_file
from itadesk.criteria.sheet import criteria_workbook_bytes, install_criteria, read_criteria_workbook
from itadesk.errors import InputError
from itadesk.plan import next_year
from itadesk.web.agencies.access import system_admin_view
from itadesk.web.downloads import XLSX, download

log = logging.getLogger(__name__)


def _years() -> list[dict]:
    rows = []
    for year in sorted(available_years(), reverse=True):
        try:
            criteria = load_criteria(year)
        except InputError as exc:
            rows.append({"year": year, "problem": str(exc)})
            continue
        entries = criteria.entries
        rows.append({
            "year": year, "criteria": criteria,
            "questions": sum(1 for e in entries if not e.is_oit_item),
            "items": sum(1 for e in entries if e.is_oit_item),
            "unsure": sum(1 for e in entries if e.status != "confirmed"),
            "measures_item": criteria.entry_with_function("measures_plan"),
            "installed": criteria_file(year).installed,
        })
    return rows


@system_admin_view
def criteria_index(request, problems: list[str] | None = None, status: int = 200):
    years = _years()
    return render(request, "criteria/index.html", {
        "years": years, "problems": problems or [],
        "next_year": next_year(years[0]["year"]) if years else None,
        "max_mb": limits.active().max_bytes // limits.MB,
    }, status=status)


@system_admin_view
def criteria_sheet(request, year: int):
    if year not in available_years():
        raise Http404("ไม่มีเกณฑ์ของปีนี้")
    data = criteria_workbook_bytes(load_criteria(year))
    return download(data, XLSX, f"ita-criteria-{year}.xlsx", f"เกณฑ์-ITA-{year}.xlsx")


@system_admin_view
@require_POST
def criteria_import(request):
    upload = request.FILES.get("file")
    if upload is None:
        return criteria_index(request, ["กรุณาเลือกไฟล์เกณฑ์ (.xlsx)"], status=400)
    name = Path(upload.name).name
    if not name.lower().endswith(".xlsx"):
        return criteria_index(request, [f"{name}: ต้องเป็นไฟล์ Excel (.xlsx) ที่ดาวน์โหลดจากหน้านี้"], status=400)
    most = limits.active().max_bytes   # the one limit on users' files (itadesk.limits)
    if limits.upload_problem(name, upload.size, most):
        return criteria_index(request, [limits.upload_problem(name, upload.size, most)], status=413)
    try:
        criteria = read_criteria_workbook(upload.read(most + 1), name)
        written = install_criteria(criteria)
    except InputError as exc:
        return criteria_index(request, [f"{name}: {p}" for p in exc.problems], status=400)
    log.warning("criteria FY%s installed by %s into %s", criteria.fiscal_year, request.user.username, written)
    messages.success(request, f"ติดตั้งเกณฑ์ปีงบประมาณ {criteria.fiscal_year} แล้ว "
                              f"(ข้อคำถาม {sum(1 for e in criteria.entries if not e.is_oit_item)} ข้อ "
                              f"ข้อ OIT {sum(1 for e in criteria.entries if e.is_oit_item)} ข้อ)")
    return redirect("criteria")
