"""Practice survey pages of an agency: list and create (admin), results with the minimum-count
rule and the seven-theme analysis of the practice scores, QR code, EIT poster, IIT one-time code
slips, answers import, and the predicted ITA as PDF. Every route goes through the agency check."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from itadesk import limits
from itadesk.analysis import analyze
from itadesk.errors import InputError
from itadesk.surveys import ESTIMATED_LABEL
from itadesk.thai import fiscal_year_of, thai_date, to_thai_digits
from itadesk.web.agencies.access import ADMIN, EDIT, VIEW, agency_view, is_admin, may_edit
from itadesk.web.downloads import PDF, download
from itadesk.web.surveys.models import Survey
from itadesk.web.surveys.services import (
    create_survey,
    import_answers,
    issue_codes,
    prediction_for,
    result_of,
    survey_years,
    update_survey,
)

PRACTICE_BANNER = "ผลจากแบบสำรวจฝึกซ้อม ไม่ใช่ผลทางการ"


def public_url(request, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("survey_answer", args=[survey.token]))


def qr_svg(url: str, scale: int = 1) -> str:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def _dates(post, fiscal_year: int | None) -> tuple[dict, list[str]]:
    problems, values = [], {}
    for field, label in (("opens_on", "วันเปิดรับคำตอบ"), ("closes_on", "วันปิดรับคำตอบ")):
        try:
            values[field] = dt.date.fromisoformat(post.get(field, ""))
        except ValueError:
            problems.append(f"{label}: ใส่วันที่ให้ถูกต้อง (ค่าที่พบ: {post.get(field, '')!r})")
    if len(values) == 2 and values["closes_on"] < values["opens_on"]:
        problems.append("วันปิดรับคำตอบต้องไม่ก่อนวันเปิดรับคำตอบ")
    raw = post.get("population", "").strip()
    values["population"] = None
    if raw:
        if not raw.isdigit() or not 1 <= int(raw) <= 10_000_000:
            problems.append(f"จำนวนผู้มีส่วนได้ส่วนเสียทั้งหมดต้องเป็นจำนวนเต็มบวก (ค่าที่พบ: {raw!r})")
        else:
            values["population"] = int(raw)
    return values, problems


@agency_view(VIEW)
def survey_list(request, agency):
    problems: list[str] = []
    years = survey_years()
    if request.method == "POST":
        if not is_admin(request):
            raise Http404("เฉพาะผู้ดูแลของหน่วยงาน")
        values, problems = _dates(request.POST, None)
        tool = request.POST.get("tool", "")
        year = request.POST.get("fiscal_year", "")
        if tool not in (Survey.IIT, Survey.EIT):
            problems.append("เลือกแบบวัด IIT หรือ EIT")
        if not year.isdigit() or int(year) not in years:
            problems.append(f"ปีงบประมาณนี้ยังไม่มีข้อคำถาม IIT/EIT (ค่าที่พบ: {year!r})")
        elif Survey.objects.filter(agency=agency, fiscal_year=int(year), tool=tool).exists():
            problems.append(f"มีแบบสำรวจ {tool} ของปีงบประมาณ {year} แล้ว")
        if not problems:
            survey = create_survey(agency, request.user, fiscal_year=int(year), tool=tool,
                                   uses_codes=request.POST.get("uses_codes") == "on", **values)
            messages.success(request, f"สร้างแบบสำรวจ {tool} ฝึกซ้อม ปีงบประมาณ {year} แล้ว")
            return redirect("survey", agency_id=agency.pk, survey_id=survey.pk)
    today = timezone.localdate()
    surveys = [(s, result_of(s)) for s in Survey.objects.filter(agency=agency)]
    return render(request, "surveys/list.html", {
        "agency": agency, "surveys": surveys, "years": years, "problems": problems,
        "is_admin": is_admin(request), "post": request.POST if problems else {},
        "default_year": fiscal_year_of(today) if fiscal_year_of(today) in years else (years[0] if years else None),
        "today": today.isoformat(), "in_30_days": (today + dt.timedelta(days=30)).isoformat(),
    }, status=400 if problems else 200)


def _survey(agency, survey_id: int) -> Survey:
    return get_object_or_404(Survey, agency=agency, pk=survey_id)


@agency_view(VIEW)
def survey_detail(request, agency, survey_id: int):
    survey = _survey(agency, survey_id)
    result = result_of(survey)
    analysis = measures = None
    if result.scores is not None and result.criteria is not None:
        from itadesk.knowledge import load_knowledge
        from itadesk.plan import generate_plan

        analysis = analyze(result.scores.scorecard(), result.criteria)
        # What the measures plan would take up from these practice scores: measures aimed at weak questions.
        plan = generate_plan(analysis, load_knowledge(), agency.profile())
        measures = [m for m in plan.measures if any(t.status != "maintain" for t in m.targets)]
    questions = []
    if result.scores is not None:
        for q in result.definition.questions_of(survey.tool):
            est = result.scores.questions.get(q.code)
            subs = [(c, result.scores.subitems.get(c.key)) for c in q.columns] if q.has_subitems else []
            questions.append({"q": q, "est": est, "subs": subs})
    indicators = []
    if result.scores is not None:
        for ind in result.criteria.indicators_of_tool(survey.tool):
            indicators.append((ind, result.scores.indicators.get(ind.number)))
    url = public_url(request, survey)
    return render(request, "surveys/detail.html", {
        "agency": agency, "survey": survey, "result": result, "questions": questions, "indicators": indicators,
        "analysis": analysis, "measures": measures, "banner": PRACTICE_BANNER, "estimated_label": ESTIMATED_LABEL,
        "url": url, "qr": qr_svg(url, scale=5), "is_admin": is_admin(request),
        "can_edit": may_edit(request), "open": survey.is_open(timezone.localdate()),
        "max_codes": settings.SURVEY_MAX_CODES,
    })


@agency_view(ADMIN)
def survey_edit(request, agency, survey_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    survey = _survey(agency, survey_id)
    values, problems = _dates(request.POST, survey.fiscal_year)
    if problems:
        for p in problems:
            messages.error(request, p)
    else:
        update_survey(survey, request.user, **values)
        messages.success(request, "บันทึกวันเปิด–ปิดแล้ว")
    return redirect("survey", agency_id=agency.pk, survey_id=survey.pk)



@agency_view(VIEW)
def survey_qr(request, agency, survey_id: int):
    survey = _survey(agency, survey_id)
    return download(qr_svg(public_url(request, survey), scale=10).encode(), "image/svg+xml",
                       f"qr-{survey.tool.lower()}-{survey.fiscal_year}.svg")


@agency_view(VIEW)
def survey_poster(request, agency, survey_id: int):
    survey = _survey(agency, survey_id)
    if survey.tool != Survey.EIT:
        raise Http404("โปสเตอร์มีเฉพาะแบบสำรวจ EIT")
    from itadesk.surveys.documents import render_poster_pdf

    url = public_url(request, survey)
    data = render_poster_pdf(agency.name, survey.fiscal_year, url, qr_svg(url), survey.closes_on,
                             agency.emblem_image())
    return download(data, PDF, f"eit-poster-{survey.fiscal_year}.pdf")


@agency_view(ADMIN)
def survey_codes(request, agency, survey_id: int):
    """POST: new one-time codes as an A4 PDF of slips, printed once (only hashes are kept)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    survey = _survey(agency, survey_id)
    if not survey.uses_codes:
        raise Http404("แบบสำรวจนี้ไม่ได้ใช้รหัสครั้งเดียว")
    raw = request.POST.get("count", "")
    if not raw.isdigit() or not 1 <= int(raw) <= settings.SURVEY_MAX_CODES:
        messages.error(request, f"จำนวนรหัสต้องเป็น ๑–{settings.SURVEY_MAX_CODES:,} (ค่าที่พบ: {raw!r})")
        return redirect("survey", agency_id=agency.pk, survey_id=survey.pk)
    from itadesk.surveys.documents import render_slips_pdf

    url = public_url(request, survey)
    codes = issue_codes(survey, request.user, int(raw))
    data = render_slips_pdf(agency.name, survey.fiscal_year, url, qr_svg(url), codes)
    return download(data, PDF, f"iit-codes-{survey.fiscal_year}.pdf")


@agency_view(VIEW)
def survey_template(request, agency, survey_id: int):
    """The answers sheet of this survey's questions, to fill in from paper forms and import."""
    from itadesk.surveys.template import answers_template_xlsx
    from itadesk.web.surveys.services import definition_for

    survey = _survey(agency, survey_id)
    found = definition_for(survey.fiscal_year)
    if found is None:
        raise Http404("ไม่มีข้อคำถามของปีงบประมาณนี้")
    return download(answers_template_xlsx(found[1], survey.tool),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       f"answers-{survey.tool.lower()}-{survey.fiscal_year}.xlsx")


@agency_view(EDIT)
def survey_import(request, agency, survey_id: int):
    survey = _survey(agency, survey_id)
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = ["กรุณาเลือกไฟล์ .xlsx หรือ .csv"]
        elif limits.upload_problem(upload.name, upload.size):
            problems = [limits.upload_problem(upload.name, upload.size)]
        else:
            try:
                count = import_answers(survey, request.user, upload.read(limits.active().max_bytes + 1),
                                       upload.name)
            except InputError as exc:
                problems = [str(p) for p in exc.problems]
            else:
                messages.success(request, f"นำเข้าคำตอบ {count:,} ชุด จาก {upload.name} แล้ว")
                return redirect("survey", agency_id=agency.pk, survey_id=survey.pk)
    return render(request, "surveys/import.html", {"agency": agency, "survey": survey, "problems": problems},
                  status=400 if problems else 200)


@agency_view(VIEW)
def prediction_pdf(request, agency, fiscal_year: int):
    view = prediction_for(agency, fiscal_year)
    if view.prediction is None:
        raise Http404("ยังคาดการณ์ ITA ไม่ได้: " + "; ".join(view.missing))
    from itadesk.surveys.documents import render_prediction_pdf

    run = view.oit_run
    checked = (f"ตรวจเมื่อ {thai_date(timezone.localtime(run.started_at).date())} "
               f"ปีงบประมาณ {to_thai_digits(run.fiscal_year)}")
    data = render_prediction_pdf(agency.name, view.prediction, {t: r.count for t, r in view.surveys.items()},
                                 timezone.localdate(), checked)
    return download(data, PDF, f"ita-prediction-{fiscal_year}.pdf")
