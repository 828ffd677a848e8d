"""Practice EIT survey on a phone (390 px): the agency admin creates it, a citizen opens the link
the QR code holds (no login) and answers, then the admin reads the results and the predicted ITA
on the agency page. Screenshots of every step."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.test_walkthrough import Visit, log_in, submit


@pytest.mark.browser
def test_scan_to_answer_an_eit_survey_then_the_admin_sees_the_predicted_ita(
        live_server, editor_world, phone_context, desktop, shots):
    from django.utils import timezone

    from itadesk.web.agencies.models import Membership
    from itadesk.web.surveys.models import Survey, SurveyAnswer
    from tests.web.test_access_matrix import oit_run_for
    from tests.web.test_surveys import best_answer

    today = timezone.localdate()          # Bangkok, as the pages see it
    agency, user = editor_world["agency"], editor_world["user"]
    Membership.objects.filter(user=user).update(role=Membership.ADMIN)
    admin = Visit(phone_context(), live_server.url, shots, "phone")
    log_in(admin, editor_world["username"], editor_world["password"])
    page = admin.page

    page.goto(admin.url(f"/agencies/{agency.pk}/surveys/"))
    admin.check("60-surveys-list")
    page.select_option("select[name=fiscal_year]", "2567")
    page.get_by_label("EIT: ผู้มารับบริการและผู้ติดต่อ").check()
    submit(page, page.get_by_role("button", name="สร้างแบบสำรวจ"), "creating the survey")
    survey = Survey.objects.get(agency=agency)
    assert survey.tool == "EIT" and survey.opens_on == today
    admin.check("61-survey-new")
    link = page.locator("#public-link").inner_text().strip()
    assert link.endswith(f"/s/{survey.token}/")
    assert page.locator(".qr svg").is_visible()

    # The citizen's phone: what the QR code opens, no login, no cookie.
    citizen = Visit(phone_context(), live_server.url, shots, "phone")
    answer = citizen.page
    answer.goto(link)
    assert "/login/" not in answer.url
    assert "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)" in answer.locator("h1").inner_text()
    citizen.check("62-answer-form")
    answer.get_by_role("button", name="ส่งคำตอบ").click()         # nothing chosen: the browser asks first
    assert SurveyAnswer.objects.count() == 0
    for fieldset in answer.locator("fieldset.q").all():
        fieldset.locator("label").last.click()                    # the last option of every question
    citizen.check("63-answer-filled")
    with answer.expect_response(lambda r: r.request.method == "POST") as info:
        answer.get_by_role("button", name="ส่งคำตอบ").click()
    assert info.value.status == 200
    answer.wait_for_load_state()
    assert "บันทึกคำตอบแล้ว" in answer.locator(".done").inner_text()
    citizen.check("64-answer-thanks")
    assert answer.context.cookies() == []
    stored = SurveyAnswer.objects.get()
    assert stored.answered_on == today and stored.source == "web"
    assert stored.answers["e1"] == 3 and stored.answers["e3"] == 1   # มากที่สุด; เคย (ถูกเรียกรับสินบน)

    # Nine more citizens, a practice IIT of the staff, and the OIT self-check.
    eit_best = best_answer("EIT")
    SurveyAnswer.objects.bulk_create([SurveyAnswer(survey=survey, answered_on=today, answers=eit_best,
                                                   source="import") for _ in range(9)])
    iit = Survey.objects.create(agency=agency, fiscal_year=2567, tool="IIT", opens_on=today,
                                closes_on=today + dt.timedelta(days=30))
    SurveyAnswer.objects.bulk_create([SurveyAnswer(survey=iit, answered_on=today,
                                                   answers=best_answer("IIT"), source="import") for _ in range(12)])
    oit_run_for(agency)

    page.goto(admin.url(f"/agencies/{agency.pk}/surveys/{survey.pk}/"))
    assert "ผลจากแบบสำรวจฝึกซ้อม ไม่ใช่ผลทางการ" in page.locator(".banner").first.inner_text()
    assert page.locator("#by-question").is_visible()
    admin.check("65-survey-results")

    page.goto(admin.url(f"/agencies/{agency.pk}/"))
    card = page.locator("#predicted-ita")
    text = card.inner_text()
    # EIT: e3 answered เคย by one citizen of ten → e3 = 90, IND6 = 96.67, EIT = 98.89; IIT 100; OIT 0
    # → ITA 0.3·100 + 0.3·98.89 + 0 = 59.67 → ต้องปรับปรุงโดยด่วน; OIT +25.9 reaches ต้องปรับปรุง (70)
    assert "๕๙.๖๗" in text and "ต้องปรับปรุงโดยด่วน" in text, text
    assert "OIT +25.9 → ต้องปรับปรุง" in text
    admin.check("66-agency-predicted-ita")

    # The same two pages on a desktop.
    desk = Visit(desktop, live_server.url, shots, "desktop")
    log_in(desk, editor_world["username"], editor_world["password"])
    desk.page.goto(desk.url(f"/agencies/{agency.pk}/surveys/{survey.pk}/"))
    assert desk.page.locator("#practice-analysis").is_visible()
    desk.check("65-survey-results")
    desk.page.goto(desk.url(f"/agencies/{agency.pk}/"))
    assert "๕๙.๖๗" in desk.page.locator("#predicted-ita").inner_text()
    desk.check("66-agency-predicted-ita")
