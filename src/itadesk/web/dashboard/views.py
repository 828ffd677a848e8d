"""The supervisor's dashboard: every agency of the province/district (the country for system
administrators) at a glance, its common weaknesses, the XLSX of what is shown, the summary report
and, for system administrators, the national results file."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from itadesk import limits
from itadesk.criteria import criteria_in_force, load_criteria
from itadesk.errors import InputError
from itadesk.plan import plan_year_of
from itadesk.status import CLASSIFICATION_LABEL, IMPROVE, URGENT
from itadesk.thai import fiscal_year_of, format_score, to_arabic_digits, to_thai_digits
from itadesk.web.agencies.access import region_view
from itadesk.web.dashboard import freshness
from itadesk.web.dashboard import queries as q
from itadesk.web.dashboard.export import dashboard_xlsx
from itadesk.web.downloads import DOCUMENT_TYPES, XLSX, download
from itadesk.web.jobs import runner
from itadesk.web.jobs.models import Job

PER_PAGE = 50
FILTER_KEYS = ("year", "province", "district", "type", "level", "behind", "q", "sort")


def region_name(request) -> str:
    if request.user.is_superuser:
        return "ทั้งประเทศ"
    parts = [f"อำเภอ{s.district} จังหวัด{s.province}" if s.district else f"จังหวัด{s.province}"
             for s in request.supervisions]
    return ", ".join(parts) or "-"


def _filters(request, years: list[int]) -> tuple[q.Filters, str]:
    get = request.GET
    year = to_arabic_digits(get.get("year", "")).strip()
    if not (year.isdigit() and int(year) in years):
        year = str(years[0] if years else fiscal_year_of(timezone.localdate()))
    year = int(year)
    province = get.get("province", "").strip()[:100]
    f = q.Filters(year=year, district=get.get("district", "").strip()[:100], type=get.get("type", "").strip()[:100],
                  level=get.get("level", "").strip()[:20], behind=get.get("behind") == "1",
                  q=" ".join(get.get("q", "").split())[:100], sort=get.get("sort", "name"))
    return f, province


def _scope(request) -> tuple[q.Filters, object, dict]:
    """The filters, the filtered agencies, and what the filter form needs."""
    region = request.region
    years = q.years_of(region)
    f, province = _filters(request, years)
    if province:
        region = region.filter(province=province)
    try:
        criteria = load_criteria(f.year)
    except InputError:
        criteria = None
    country = request.user.is_superuser and not province
    form = {
        "years": years, "province": province, "country": country,
        "provinces": q.choices(request.region, "province") if request.user.is_superuser else [],
        # the country has some 900 districts, many with the same name: a province first
        "districts": [] if country else q.choices(region, "district"), "types": q.choices(region, "type"),
        "levels": [(lv.code, lv.name) for lv in criteria.levels] if criteria else [],
        "query": {k: v for k, v in request.GET.items() if k in FILTER_KEYS and k != "page"},
    }
    return f, q.filtered(region, f, timezone.localdate()), {**form, "criteria": criteria}


def _querystring(params: dict, **changes) -> str:
    from urllib.parse import urlencode

    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in ("", None)})


_ID = 987654321   # reversed once per page, then filled per row (a reverse() per cell costs more than the SQL)


def _paths(name: str, *args) -> str:
    return reverse(name, args=[_ID, *args]).replace(str(_ID), "{}")


def display_rows(agencies, f: q.Filters, level_names: dict[str, str]) -> list[dict]:
    """The page's rows with their text and links ready: the template only prints them."""
    plan_year = plan_year_of(f.year)
    analysis, agency = _paths("analysis", f.year), _paths("agency")
    plan, progress = _paths("plan", plan_year), _paths("progress", plan_year)
    rows = []
    for a in agencies:
        change = None if a.change is None else ("+" if a.change >= 0 else "") + to_thai_digits(f"{a.change:.2f}")
        rows.append({
            "name": a.name, "province": a.province, "district": a.district or "-", "type": a.type,
            "url": (analysis if a.ita is not None else agency).format(a.pk),
            "ita": format_score(a.ita), "level": a.level_code or "none",
            "level_name": level_names.get(a.level_code or "", "ยังไม่มีผล"), "change": change,
            "plan": a.plan_status, "plan_url": plan.format(a.pk),
            "measures": a.measures, "done": to_thai_digits(a.done or 0),
            "measures_text": to_thai_digits(a.measures or 0), "progress_url": progress.format(a.pk),
            "overdue": a.overdue and to_thai_digits(a.overdue),
            "locked": a.locked_months and to_thai_digits(a.locked_months),
            "oit": None if a.predicted_oit is None else format_score(a.predicted_oit),
            "rank": to_thai_digits(a.type_rank) if getattr(a, "type_rank", None) and a.ita is not None else "",
        })
    return rows


@region_view
@require_safe
def dashboard(request):
    region = region_name(request)
    body = freshness.cached_body("home", request, (*FILTER_KEYS, "page"), lambda: dashboard_body(request, region))
    return render(request, "dashboard/home.html", {"region": region, "body": body})


def dashboard_body(request, region: str) -> str:
    """The dashboard below the site's header, as text (cached by freshness.cached_body)."""
    f, qs, form = _scope(request)
    today = timezone.localdate()
    mark = (form["criteria"] or criteria_in_force(f.year)).pass_mark   # a year not yet published: the latest's
    totals = q.totals(qs, mark)
    paginator = Paginator(q.table(qs, f, today), PER_PAGE)
    paginator.__dict__["count"] = totals["agencies"]   # counted with the totals: no COUNT(*) of its own
    page = paginator.get_page(request.GET.get("page"))
    level_names = dict(form["levels"])
    place = "province" if form["country"] else "district"
    places, by_type = q.levels_by(qs, place), q.by_type(qs)
    level_order = [code for code, _ in form["levels"]] + [""]
    district_bars = []
    for district in form["provinces"] if form["country"] else form["districts"]:
        counts = places.get(district, {})
        n = sum(counts.values())
        if n:
            district_bars.append({"district": district or "-", "n": n, "parts": [
                {"code": code or "none", "name": level_names.get(code, "ยังไม่มีผล"), "n": to_thai_digits(counts[code]),
                 "width": f"{100 * counts[code] / n:.2f}"} for code in level_order if counts.get(code)]})
    bins = q.histogram_bins(mark)
    top = max([totals[f"b{i}"] for i in range(len(bins))] + [1])
    histogram = [{"label": f"{lo:g}–{min(hi, 100):g}" if hi < 100 else f"{lo:g}–100", "n": totals[f"b{i}"],
                  "height": f"{100 * totals[f'b{i}'] / top:.1f}", "passed": lo >= mark}
                 for i, (lo, hi) in enumerate(bins)]
    params = form["query"]
    return render_to_string("dashboard/_home_body.html", {
        **form, "f": f, "plan_year": plan_year_of(f.year), "page": page,
        "rows": display_rows(page, f, level_names), "totals": totals, "district_bars": district_bars,
        "place_label": "จังหวัด" if form["country"] else "อำเภอ", "histogram": histogram, "by_type": by_type,
        "pass_mark": f"{mark:g}", "region": region, "is_superuser": request.user.is_superuser,
        "show_province": request.user.is_superuser and not form["province"],
        "show_district": (len(form["districts"]) > 1 or form["country"]) and not f.district,
        "show_rank": f.sort in ("ita", "-ita"),
        "qs": _querystring(params), "qs_page": _querystring(params, page=""),
        "sorts": [("name", "ชื่อ (ก–ฮ)"), ("ita", "ITA สูงสุดก่อน"), ("-ita", "ITA ต่ำสุดก่อน"),
                  ("change", "ดีขึ้นมากสุดก่อน"), ("-change", "ลดลงมากสุดก่อน"), ("district", "อำเภอ"),
                  ("type", "ประเภท")],
    })


@region_view
@require_safe
def export(request):
    f, qs, form = _scope(request)
    rows = q.table(qs, f, timezone.localdate())
    body = dashboard_xlsx(rows, f, dict(form["levels"]), region_name(request))
    return download(body, XLSX, f"ita-dashboard-{f.year}.xlsx")


def weakness_table(qs, f: q.Filters, criteria) -> tuple[list[dict], int]:
    """Per question and OIT item of the year's criteria: how many agencies are urgent / to improve."""
    counts, agencies = q.weakness_counts(qs, f.year, criteria)
    rows = []
    for indicator in criteria.indicators:
        for entry in criteria.entries_of_indicator[indicator.number]:
            c = counts.get(entry.code)
            if not c:
                continue
            scored = sum(c.values())
            rows.append({"code": entry.code, "name": entry.label, "indicator": indicator.number,
                         "topic": entry.topic, "urgent": c[URGENT], "improve": c[IMPROVE], "scored": scored,
                         "weak": c[URGENT] + c[IMPROVE]})
    rows.sort(key=lambda r: (-r["weak"], -r["urgent"], r["indicator"], r["code"]))
    return rows, agencies


@region_view
@require_safe
def weaknesses(request):
    region = region_name(request)
    body = freshness.cached_body("weaknesses", request, (*FILTER_KEYS, "code", "status"),
                                 lambda: weaknesses_body(request, region))
    return render(request, "dashboard/weaknesses.html", {"region": region, "body": body})


def weaknesses_body(request, region: str) -> str:
    f, qs, form = _scope(request)
    criteria = form["criteria"]
    rows, agencies = weakness_table(qs, f, criteria) if criteria else ([], 0)
    code, status = request.GET.get("code", ""), request.GET.get("status", "")
    detail = None
    if criteria and code in criteria.entry_by_code and status in (URGENT, IMPROVE):
        detail = {"code": code, "name": criteria.entry_by_code[code].label, "status": CLASSIFICATION_LABEL[status],
                  "agencies": q.weakness_agencies(qs, f.year, criteria, code, status)}
    params = form["query"]
    return render_to_string("dashboard/_weaknesses_body.html", {
        **form, "f": f, "rows": rows, "agencies": agencies, "detail": detail,
        "region": region, "qs": _querystring(params), "total": qs.order_by().count(),
    })


@region_view
@require_safe
def summary_report(request, fmt: str):
    from itadesk.web.dashboard.report import summary_document

    if fmt not in ("pdf", "docx"):
        raise Http404("ไม่รองรับรูปแบบนี้")
    f, qs, form = _scope(request)
    if form["criteria"] is None:
        raise Http404("ไม่มีเกณฑ์ของปีนี้")
    body = summary_document(request, f, qs, form, fmt)
    return download(body, DOCUMENT_TYPES[fmt], f"ita-summary-{f.year}.{fmt}")


@region_view
@require_http_methods(["GET", "POST"])
def national_import(request):
    if not request.user.is_superuser:
        raise Http404("ไม่พบหน้านี้")
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        year = to_arabic_digits(request.POST.get("year", "")).strip()
        if upload is None:
            problems = ["กรุณาเลือกไฟล์ผลระดับประเทศ (.csv หรือ .xlsx)"]
        elif too_big := limits.upload_problem(upload.name, upload.size, limits.NATIONAL["max_bytes"]):
            problems = [too_big]
        elif not year.isdigit():
            problems = ["ปีงบประมาณต้องเป็นตัวเลข พ.ศ. เช่น 2568"]
        else:
            # Read, checked and stored by a background job (web/jobs); its page shows the outcome or
            # every problem of the file, and nothing is written unless all rows are good.
            job = runner.start(Job.NATIONAL, request.user, int(year), request.POST.get("request_key", ""),
                               options={"source": upload.name[:200],
                                        "accept_new": request.POST.get("accept_new") == "1"},
                               files={"input": upload.read()})
            return redirect("region_job", batch_id=job.pk)
    return render(request, "dashboard/national.html", {"problems": problems},
                  status=400 if problems else 200)
