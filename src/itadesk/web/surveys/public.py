"""The public answer page of a practice survey: the one route anyone may open, without login.

It reads the survey found by its unguessable token (with the agency's name) and the year's
questions from the core files, and writes at most one answer (and marks one one-time code used).
It reads nothing else: no session, no user, no other agency data; it sets no cookie (CSRF is
replaced by the signed one-time nonce of the form, which is all a form post needs here since
anyone may answer) and stores nothing about the person (see models.py).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from itadesk.thai import thai_date
from itadesk.web.surveys.models import Survey
from itadesk.web.surveys.services import (
    DUPLICATE,
    CodeRefused,
    definition_for,
    new_nonce,
    nonce_hash,
    store_web_answer,
)

TITLES = {Survey.IIT: "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)",
          Survey.EIT: "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)"}
TAMPERED = "แบบฟอร์มที่ส่งมาไม่ถูกต้องหรือถูกแก้ไข จึงไม่ได้บันทึกคำตอบ กรุณาเปิดลิงก์แบบสำรวจใหม่แล้วตอบอีกครั้ง"
MAX_CODE_CHARS = 20


def _page(request, survey, status=200, **context):
    response = render(request, "surveys/public.html", {
        "survey": survey, "agency_name": survey.agency.name, "title": TITLES[survey.tool], **context,
    }, status=status)
    response["Referrer-Policy"] = "no-referrer"      # the token is in the URL
    response["X-Robots-Tag"] = "noindex"
    return response


def _questions(definition, tool, chosen: dict[str, int]):
    rows = []
    for question in definition.questions_of(tool):
        columns = [{"key": c.key, "name": f"q_{c.key}", "text": c.text if question.has_subitems else "",
                    "options": [{"value": i, "label": o.label, "checked": chosen.get(c.key) == i}
                                for i, o in enumerate(c.scale.options)]}
                   for c in question.columns]
        rows.append({"code": question.code, "text": question.text, "columns": columns})
    return rows


@csrf_exempt
@never_cache
def answer(request, token: str):
    survey = Survey.objects.select_related("agency").filter(token=token).first()
    if survey is None:
        raise Http404("ไม่พบแบบสำรวจ")
    today = timezone.localdate()
    if today < survey.opens_on:
        return _page(request, survey, closed=f"แบบสำรวจนี้ยังไม่เปิดรับคำตอบ (เปิดวันที่ {thai_date(survey.opens_on)})")
    if today > survey.closes_on:
        return _page(request, survey, status=410,
                     closed=f"แบบสำรวจนี้ปิดรับคำตอบแล้ว เมื่อวันที่ {thai_date(survey.closes_on)} ขอบคุณที่สนใจ")
    found = definition_for(survey.fiscal_year)
    if found is None:
        return _page(request, survey, closed="แบบสำรวจนี้ยังไม่มีข้อคำถาม")
    definition = found[1]
    if request.method not in ("GET", "POST"):
        return _page(request, survey, status=405, closed="ใช้ได้เฉพาะการเปิดหน้าและส่งคำตอบ")
    if request.method == "GET":
        return _page(request, survey, questions=_questions(definition, survey.tool, {}), nonce=new_nonce(survey))

    signed = request.POST.get("nonce", "")
    digest = nonce_hash(survey, signed) if len(signed) < 200 else None
    if digest is None:
        return _page(request, survey, status=400, closed=TAMPERED)
    chosen, missing, bad = {}, [], False
    for column in definition.columns_of(survey.tool):
        raw = request.POST.get(f"q_{column.key}", "")
        if raw == "":
            missing.append(column.key)
            continue
        if not raw.isdigit() or int(raw) >= len(column.scale.options):
            bad = True
            continue
        chosen[column.key] = int(raw)
    if bad:
        return _page(request, survey, status=400, closed=TAMPERED)
    code = request.POST.get("code", "")[:MAX_CODE_CHARS]
    problems = []
    if missing:
        problems.append(f"ยังไม่ได้ตอบ {len(missing)} ข้อ (ข้อ {', '.join(missing)}) กรุณาตอบให้ครบทุกข้อ")
    if survey.uses_codes and not code.strip():
        problems.append("กรุณากรอกรหัสครั้งเดียวที่ได้รับ (พิมพ์อยู่บนใบรหัส)")
    if problems:
        return _page(request, survey, status=400, problems=problems, nonce=signed, code=code,
                     questions=_questions(definition, survey.tool, chosen))
    try:
        outcome = store_web_answer(survey, digest, chosen, code)
    except CodeRefused:
        return _page(request, survey, status=400, nonce=signed, questions=_questions(definition, survey.tool, chosen),
                     problems=["รหัสนี้ไม่ถูกต้องหรือถูกใช้ไปแล้ว จึงไม่ได้บันทึกคำตอบ (รหัสหนึ่งใช้ตอบได้ครั้งเดียว)"])
    return _page(request, survey, done=True, duplicate=outcome == DUPLICATE)
