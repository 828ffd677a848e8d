"""Enter or upload an agency's official scores, and read their analysis."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from itadesk.criteria import available_years, load_criteria
from itadesk import limits
from itadesk.errors import InputError, Problem
from itadesk.results import check_scores, parse_results
from itadesk.template import template_rows
from itadesk.web.agencies.access import EDIT, VIEW, agency_view
from itadesk.web.results.analysis_view import analysis_context
from itadesk.web.results.models import ResultSet
from itadesk.web.results.services import save_results

ALLOWED_UPLOADS = (".csv", ".xlsx", ".yaml", ".yml", ".json")


HELD_BACK_SHOWN = 10


def _warn_held_back(request, results) -> None:
    """Rows saved nowhere because the year's questions are unknown: say so, never drop silently."""
    for problem in results.held_back[:HELD_BACK_SHOWN]:
        messages.warning(request, str(problem))
    if len(results.held_back) > HELD_BACK_SHOWN:
        messages.warning(request, f"และอีก {len(results.held_back) - HELD_BACK_SHOWN} แถวที่ยังไม่ได้ใช้ด้วยเหตุผลเดียวกัน")


@agency_view(EDIT)
def upload_results(request, agency):
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        year = request.POST.get("fiscal_year") or None
        if upload is None:
            problems = ["กรุณาเลือกไฟล์ผลคะแนน"]
        elif not upload.name.lower().endswith(ALLOWED_UPLOADS):
            problems = [f"{upload.name}: ชนิดไฟล์ไม่รองรับ ใช้ .csv .xlsx .yaml หรือ .json"]
        elif upload.size > limits.active().max_bytes:
            problems = [f"{upload.name}: ไฟล์ใหญ่เกิน {limits.active().max_bytes // limits.MB} MB"]
        elif year is not None and _year(year) is None:
            problems = [limits.year_hint()]
        else:
            try:
                results = parse_results(upload.read(limits.active().max_bytes + 1), upload.name, _year(year))
            except InputError as exc:
                problems = [str(p) for p in exc.problems]
            else:
                save_results(agency, request.user, results)
                messages.success(request, f"บันทึกผลคะแนนปีงบประมาณ {results.fiscal_year} แล้ว")
                _warn_held_back(request, results)
                return redirect("analysis", agency_id=agency.pk, year=results.fiscal_year)
    return render(request, "results/upload.html", {
        "agency": agency, "problems": problems, "years": available_years(),
    }, status=400 if problems else 200)


def _year(raw: str | None) -> int | None:
    """A fiscal year typed or picked in a form or query string, or None when it is not one."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    return int(text) if limits.plausible_year(int(text)) else None


@agency_view(EDIT)
def enter_results(request, agency, year: int | None = None):
    asked = request.GET.get("year")
    year = _year(asked) if asked else (year or max(available_years()))
    try:
        if year is None:
            raise InputError.single(limits.year_hint(), value=asked)
        criteria = load_criteria(year)
    except InputError as exc:
        messages.error(request, str(exc))
        return redirect("agency", agency_id=agency.pk)
    existing = ResultSet.objects.filter(agency=agency, fiscal_year=year).first()
    values = dict(existing.scores) if existing else {}
    problems: list[str] = []
    if request.method == "POST":
        scores = {}
        for code, *_ in template_rows(criteria):
            raw = request.POST.get(code, "")[:limits.active().max_cell_chars].strip()
            values[code] = raw
            if raw:
                scores[code] = raw     # one value per field, never parsed as more rows
        try:
            results = check_scores(scores, year, "แบบฟอร์ม")
        except InputError as exc:
            problems = [str(Problem(p.message, value=p.value)) for p in exc.problems]
        else:
            save_results(agency, request.user, results)
            messages.success(request, f"บันทึกผลคะแนนปีงบประมาณ {year} แล้ว")
            return redirect("analysis", agency_id=agency.pk, year=year)
    rows = [
        {"code": code, "name": name, "context": context, "group": is_group, "value": values.get(code, "")}
        for code, name, context, is_group in template_rows(criteria)
    ]
    return render(request, "results/form.html", {
        "agency": agency, "year": year, "rows": rows, "problems": problems, "years": available_years(),
    }, status=400 if problems else 200)


@agency_view(VIEW)
def analysis(request, agency, year: int):
    result_set = get_object_or_404(ResultSet, agency=agency, fiscal_year=year)
    context = analysis_context(agency, result_set)
    context["can_edit"] = request.agency_level in ("edit", "admin")
    return render(request, "results/analysis.html", context)
