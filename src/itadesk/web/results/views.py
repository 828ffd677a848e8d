"""Enter or upload an agency's official scores, and read their analysis."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from itadesk import limits
from itadesk.criteria import available_years, load_criteria
from itadesk.errors import InputError, Problem, cap
from itadesk.results import check_scores, parse_results
from itadesk.template import results_template_bytes, template_rows
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.access import EDIT, VIEW, agency_view, may_edit
from itadesk.web.downloads import XLSX, download
from itadesk.web.results.analysis_view import analysis_context
from itadesk.web.results.models import ResultSet
from itadesk.web.results.services import (
    REPLACE_NOTE,
    describe_plans,
    needs_confirmation,
    results_from_json,
    results_json,
    save_results,
    score_history,
)

ALLOWED_UPLOADS = (".csv", ".xlsx", ".yaml", ".yml", ".json")


def _warn_held_back(request, results) -> None:
    """Rows saved nowhere because the year's questions are unknown: say so, never drop silently
    (the first ones, the rest counted, by the one rule of errors.cap)."""
    for problem in cap(list(results.held_back)):
        messages.warning(request, str(problem))


PENDING = "itadesk.pending_results"


def _confirmation(plans, year: int) -> dict:
    return {"year": year, "plans": describe_plans(plans), "note": REPLACE_NOTE}


def _saved(request, agency, results):
    save_results(agency, request.user, results)
    messages.success(request, f"บันทึกผลคะแนนปีงบประมาณ {to_thai_digits(results.fiscal_year)} แล้ว")
    _warn_held_back(request, results)
    return redirect("analysis", agency_id=agency.pk, year=results.fiscal_year)


def _confirmed_upload(request, agency):
    """The second step of replacing scores that plans use: the file read at the first step, kept in the session."""
    pending = request.session.pop(PENDING, None)
    if not pending or pending.get("agency") != agency.pk:
        return None
    return _saved(request, agency, results_from_json(pending["results"]))


@agency_view(EDIT)
def upload_results(request, agency):
    problems: list[str] = []
    confirm = None
    year = None
    if request.method == "POST" and request.POST.get("confirm"):
        done = _confirmed_upload(request, agency)
        if done is not None:
            return done
        problems = ["ไม่พบไฟล์ที่รอการยืนยัน กรุณาเลือกไฟล์อีกครั้ง"]
    elif request.method == "POST":
        upload = request.FILES.get("file")
        year = request.POST.get("fiscal_year") or None
        if upload is None:
            problems = ["กรุณาเลือกไฟล์ผลคะแนน"]
        elif not upload.name.lower().endswith(ALLOWED_UPLOADS):
            problems = [f"{upload.name}: ชนิดไฟล์ไม่รองรับ ใช้ .csv .xlsx .yaml หรือ .json"]
        elif limits.upload_problem(upload.name, upload.size):
            problems = [limits.upload_problem(upload.name, upload.size)]
        elif year is not None and _year(year) is None:
            problems = [limits.year_hint()]
        else:
            try:
                results = parse_results(upload.read(limits.active().max_bytes + 1), upload.name, _year(year))
            except InputError as exc:
                problems = [str(p) for p in exc.problems]
            else:
                plans = needs_confirmation(agency, results.fiscal_year)
                if not plans:
                    return _saved(request, agency, results)
                request.session[PENDING] = {"agency": agency.pk, "results": results_json(results)}
                confirm = _confirmation(plans, results.fiscal_year)
    return render(request, "results/upload.html", {
        "agency": agency, "problems": problems, "years": available_years(), "confirm": confirm,
        "chosen_year": int(year) if year and str(year).isdigit() else None,
    }, status=400 if problems else 200)


def _year(raw: str | None) -> int | None:
    """A fiscal year typed or picked in a form or query string, or None when it is not one."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    return int(text) if limits.plausible_year(int(text)) else None



@agency_view(VIEW)
def results_template(request, agency, year: int):
    """The year's results sheet to fill in from the ITAS report (what ``itadesk template`` writes)."""
    try:
        criteria = load_criteria(year)
    except InputError:
        raise Http404("ไม่มีเกณฑ์ของปีนี้") from None
    return download(results_template_bytes(criteria), XLSX, f"results-template-{year}.xlsx")


@agency_view(EDIT)
def enter_results(request, agency, year: int | None = None):
    asked = request.GET.get("year")
    current = _year(asked) if asked else (year or max(available_years()))
    switch = request.POST.get("switch_year", "") if request.method == "POST" else ""
    if current is None or _year(switch) is None or _year(switch) == current or _year(switch) not in available_years():
        switch = ""  # the year select is sent with every save: only another known year is a switch
    typed = {}
    if switch:
        # The year was changed with scores typed in: the new year's form keeps them (nothing saved).
        typed = {k: v.strip()[:limits.active().max_cell_chars] for k, v in request.POST.items()
                 if k not in ("csrfmiddlewaretoken", "switch_year") and isinstance(v, str) and v.strip()}
    year = _year(switch) if switch else current
    try:
        if year is None:
            raise InputError.single(limits.year_hint(), value=asked)
        criteria = load_criteria(year)
    except InputError as exc:
        messages.error(request, str(exc))
        return redirect("agency", agency_id=agency.pk)
    existing = ResultSet.objects.filter(agency=agency, fiscal_year=year).first()
    values = dict(existing.scores) if existing else {}
    values.update(typed)
    problems: list[str] = []
    confirm = None
    if request.method == "POST" and not switch:
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
            plans = needs_confirmation(agency, year)
            if not plans or request.POST.get("confirm"):
                return _saved(request, agency, results)
            confirm = _confirmation(plans, year)
    rows = [
        {"code": code, "name": name, "context": context, "group": is_group, "value": values.get(code, "")}
        for code, name, context, is_group in template_rows(criteria)
    ]
    return render(request, "results/form.html", {
        "agency": agency, "year": year, "rows": rows, "problems": problems, "years": available_years(),
        "confirm": confirm,
    }, status=400 if problems else 200)


@agency_view(VIEW)
def analysis(request, agency, year: int):
    result_set = get_object_or_404(ResultSet, agency=agency, fiscal_year=year)
    context = analysis_context(agency, result_set)
    context["can_edit"] = may_edit(request)
    context["history"] = score_history(agency, year)
    return render(request, "results/analysis.html", context)
