"""Practice surveys on the web: creating them, the anonymous answer page (anonymity, double
submit, closed survey, tampered posts, one-time codes), the minimum-count rule, imports (page and
API), the practice analysis and the predicted ITA."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.support.pdf_text import norm, pdf_text


def today() -> dt.date:
    """Today in the application's time zone (Bangkok), as the pages and answers see it."""
    from django.utils import timezone

    return timezone.localdate()

LIKERT = ["น้อยที่สุดหรือไม่มีเลย", "น้อย", "มาก", "มากที่สุด"]


def make_survey(agency, tool="EIT", uses_codes=False, opens=-1, closes=30, population=None):
    from itadesk.web.surveys.services import create_survey

    return create_survey(agency, None, fiscal_year=2567, tool=tool, uses_codes=uses_codes, population=population,
                         opens_on=today() + dt.timedelta(days=opens), closes_on=today() + dt.timedelta(days=closes))


def columns(tool):
    from itadesk.criteria import load_criteria
    from itadesk.surveys import load_definition

    return [c.key for c in load_definition(load_criteria(2567)).columns_of(tool)]


def full_answer(tool, option=2) -> dict[str, str]:
    """Every question answered with option ``option`` (0-based; yes/no items take min(option, 1))."""
    from itadesk.criteria import load_criteria
    from itadesk.surveys import load_definition

    survey = load_definition(load_criteria(2567))
    return {f"q_{c.key}": str(min(option, len(c.scale.options) - 1)) for c in survey.columns_of(tool)}


def best_answer(tool) -> dict[str, int]:
    """The answer worth 100 points on every question (the lowest option on reverse-worded ones)."""
    from itadesk.criteria import load_criteria
    from itadesk.surveys import load_definition

    survey = load_definition(load_criteria(2567))
    return {c.key: 0 if c.reversed else len(c.scale.options) - 1 for c in survey.columns_of(tool)}


def nonce_of(response) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', response.content.decode()).group(1)


def answer_url(survey) -> str:
    return f"/s/{survey.token}/"


def submit(client, survey, option=2, **extra):
    page = client.get(answer_url(survey))
    return client.post(answer_url(survey), {"nonce": nonce_of(page), **full_answer(survey.tool, option), **extra})


def text(response) -> str:
    return response.content.decode()


def add_answers(survey, count, option=2):
    from itadesk.web.surveys.models import SurveyAnswer

    answers = best_answer(survey.tool) if option == "best" else {
        k.removeprefix("q_"): int(v) for k, v in full_answer(survey.tool, option).items()}
    SurveyAnswer.objects.bulk_create([SurveyAnswer(survey=survey, answered_on=today(), answers=answers,
                                                   source=SurveyAnswer.IMPORT) for _ in range(count)])


# --- Creating --------------------------------------------------------------------------------

def test_agency_admin_creates_a_survey_and_a_viewer_cannot(world, login):
    from itadesk.web.surveys.models import Survey

    a = world["a"]
    post = {"fiscal_year": "2567", "tool": "EIT", "opens_on": "2025-01-01", "closes_on": "2025-03-31"}
    viewer = login(world["users"]["viewer"])
    assert viewer.post(f"/agencies/{a.pk}/surveys/", post).status_code == 404
    assert not Survey.objects.exists()
    admin = login(world["users"]["admin"])
    response = admin.post(f"/agencies/{a.pk}/surveys/", post)
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agencies/{a.pk}/surveys/{survey.pk}/"
    assert (survey.tool, survey.fiscal_year, survey.closes_on) == ("EIT", 2567, dt.date(2025, 3, 31))
    assert len(survey.token) >= 32
    bad = admin.post(f"/agencies/{a.pk}/surveys/", {**post, "tool": "IIT", "closes_on": "2024-12-01"})
    assert bad.status_code == 400 and "วันปิดรับคำตอบต้องไม่ก่อนวันเปิดรับคำตอบ" in text(bad)
    assert Survey.objects.count() == 1
    page = admin.get(f"/agencies/{a.pk}/surveys/{survey.pk}/")
    assert survey.token in text(page) and "<svg" in text(page)


# --- Answering -------------------------------------------------------------------------------

def test_public_page_needs_no_login_sets_no_cookie_and_reads_only_the_survey(world):
    survey = make_survey(world["a"])
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(answer_url(survey))
    assert page.status_code == 200
    assert not page.cookies, f"cookies set: {list(page.cookies)}"
    body = text(page)
    assert world["a"].name in body and "เจ้าหน้าที่ปฏิบัติงานหรือให้บริการแก่ท่าน" in body
    assert "/agencies/" not in body
    tables = {t for q in queries.captured_queries for t in re.findall(r'FROM "(\w+)"', q["sql"])}
    assert tables <= {"surveys_survey", "agencies_agency"}, tables
    assert len(queries.captured_queries) == 1


def test_stored_answer_has_nothing_that_identifies_a_person_or_a_moment_finer_than_the_day(world):
    from itadesk.web.surveys.models import SurveyAnswer

    survey = make_survey(world["a"])
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Mozilla/5.0 (iPhone; Test-UA-1234)")
    response = submit(client, survey, option=3)
    assert response.status_code == 200 and "บันทึกคำตอบแล้ว" in text(response)
    assert not response.cookies
    row = SurveyAnswer.objects.get()
    fields = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert fields == {"id", "survey", "answered_on", "answers", "source", "nonce_hash"}
    assert type(row.answered_on) is dt.date and row.answered_on == today()
    assert not any(f.get_internal_type() in ("DateTimeField", "TimeField", "GenericIPAddressField")
                   for f in SurveyAnswer._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_surveyanswer")
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "203.0.113.77" not in raw and "Test-UA-1234" not in raw and "iPhone" not in raw
    assert row.answers["e1"] == 3 and row.answers["e3"] == 1


def test_double_submit_stores_one_answer(world):
    from itadesk.web.surveys.models import SurveyAnswer

    survey = make_survey(world["a"])
    client = Client()
    page = client.get(answer_url(survey))
    form = {"nonce": nonce_of(page), **full_answer("EIT")}
    first = client.post(answer_url(survey), form)
    second = client.post(answer_url(survey), form)
    assert "บันทึกคำตอบแล้ว" in text(first)
    assert second.status_code == 200 and "ได้รับคำตอบชุดนี้แล้ว" in text(second)
    assert SurveyAnswer.objects.count() == 1
    submit(client, survey)                      # a new form (new nonce) is a new answer
    assert SurveyAnswer.objects.count() == 2


@pytest.mark.parametrize("tamper", ["nonce", "foreign_nonce", "option", "missing"])
def test_bad_or_tampered_posts_store_nothing_and_say_why(world, tamper):
    from itadesk.web.surveys.models import SurveyAnswer

    survey = make_survey(world["a"])
    other = make_survey(world["b"])
    client = Client()
    form = {"nonce": nonce_of(client.get(answer_url(survey))), **full_answer("EIT")}
    if tamper == "nonce":
        form["nonce"] = form["nonce"][:-3] + "xyz"
    elif tamper == "foreign_nonce":
        form["nonce"] = nonce_of(client.get(answer_url(other)))
    elif tamper == "option":
        form["q_e1"] = "7"
    else:
        del form["q_e4"], form["q_e5"]
    response = client.post(answer_url(survey), form)
    assert response.status_code == 400
    expected = "ยังไม่ได้ตอบ 2 ข้อ (ข้อ e4, e5)" if tamper == "missing" else "แบบฟอร์มที่ส่งมาไม่ถูกต้องหรือถูกแก้ไข"
    assert expected in text(response)
    assert SurveyAnswer.objects.count() == 0


def test_closed_and_not_yet_open_surveys_say_so_in_thai_and_store_nothing(world):
    from itadesk.web.surveys.models import SurveyAnswer

    closed = make_survey(world["a"], opens=-30, closes=-1)
    client = Client()
    page = client.get(answer_url(closed))
    assert page.status_code == 410 and "แบบสำรวจนี้ปิดรับคำตอบแล้ว" in text(page)
    post = client.post(answer_url(closed), {"nonce": "x", **full_answer("EIT")})
    assert post.status_code == 410
    early = make_survey(world["a"], tool="IIT", opens=3, closes=30)
    assert "ยังไม่เปิดรับคำตอบ" in text(client.get(answer_url(early)))
    assert SurveyAnswer.objects.count() == 0
    assert Client().get("/s/not-a-real-token/").status_code == 404


def test_one_time_codes_work_once_and_are_not_linked_to_answers(world, login):
    from itadesk.web.surveys.models import SurveyAnswer, SurveyCode
    from itadesk.web.surveys.services import issue_codes

    survey = make_survey(world["a"], tool="IIT", uses_codes=True)
    codes = issue_codes(survey, None, 3)
    assert len(set(codes)) == 3 and all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in codes)
    stored = list(SurveyCode.objects.values_list("code_hash", flat=True))
    assert not any(c.replace("-", "") in h or c in h for c in codes for h in stored)   # only hashes
    client = Client()
    assert "บันทึกคำตอบแล้ว" in text(submit(client, survey, code=codes[0].lower()))
    again = submit(client, survey, code=codes[0])
    assert again.status_code == 400 and "รหัสนี้ไม่ถูกต้องหรือถูกใช้ไปแล้ว" in text(again)
    wrong = submit(client, survey, code="ZZZZ-ZZZZ")
    assert wrong.status_code == 400
    none = submit(client, survey)
    assert none.status_code == 400 and "กรุณากรอกรหัสครั้งเดียว" in text(none)
    assert SurveyAnswer.objects.count() == 1
    assert SurveyCode.objects.filter(used=True).count() == 1
    assert "code" not in {f.name for f in SurveyAnswer._meta.get_fields()}
    assert {f.name for f in SurveyCode._meta.get_fields()} == {"id", "survey", "code_hash", "used"}
    # The slips through the page: an A4 PDF with the codes, 12 more hashes stored
    admin = login(world["users"]["admin"])
    response = admin.post(f"/agencies/{world['a'].pk}/surveys/{survey.pk}/codes/", {"count": "12"})
    assert response["Content-Type"] == "application/pdf"
    assert SurveyCode.objects.count() == 15
    assert len(re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}", pdf_text(response.content))) == 12


# --- Results ---------------------------------------------------------------------------------

def test_minimum_count_rule_hides_the_breakdown(world, login, settings):
    survey = make_survey(world["a"])
    url = f"/agencies/{world['a'].pk}/surveys/{survey.pk}/"
    admin = login(world["users"]["admin"])
    add_answers(survey, 9)
    page = text(admin.get(url))
    assert "จะแสดงคะแนนเมื่อมีคำตอบอย่างน้อย ๑๐ ชุด" in page and "ขาดอีก ๑ ชุด" in page
    assert 'id="by-question"' not in page and "practice-analysis" not in page
    api = APIClient()
    api.force_authenticate(world["users"]["admin"])
    listed = api.get(f"/api/agencies/{world['a'].pk}/surveys/").json()[0]
    assert listed["answers"] == 9 and listed["score"] is None and listed["questions"] is None
    add_answers(survey, 1)
    page = text(admin.get(url))
    assert 'id="by-question"' in page and "ผลจากแบบสำรวจฝึกซ้อม ไม่ใช่ผลทางการ" in page and "ประมาณการ" in page
    assert api.get(f"/api/agencies/{world['a'].pk}/surveys/").json()[0]["questions"]["e1"]["score"] == 67.0
    settings.SURVEY_MIN_ANSWERS = 3                      # never below 5
    from itadesk.web.surveys.services import min_answers
    assert min_answers() == 5


def test_results_page_shows_the_seven_theme_analysis_of_the_practice_scores(world, login):
    survey = make_survey(world["a"])
    add_answers(survey, 10, option=1)                     # น้อย = 33 on every positive item → urgent
    page = text(login(world["users"]["viewer"]).get(f"/agencies/{world['a'].pk}/surveys/{survey.pk}/"))
    assert "practice-analysis" in page and "วิเคราะห์ราย ๗ ประเด็น" in page
    assert "e1 ปฏิบัติงานตามขั้นตอนและระยะเวลา: ๓๓.๐๐ (ต้องแก้ไขโดยเร่งด่วน)" in page
    # the weak questions lead to measures from the knowledge base, marked as practice results
    measures = page.split('id="practice-measures"')[1].split("</ul>")[0]
    assert "e1 ๓๓.๐๐" in measures and "ผลฝึกซ้อม" in measures


# --- Import ----------------------------------------------------------------------------------

def test_import_page_reports_row_and_column_and_writes_nothing(world, login):
    from itadesk.web.surveys.models import SurveyAnswer

    survey = make_survey(world["a"])
    editor = login(world["users"]["editor"])
    url = f"/agencies/{world['a'].pk}/surveys/{survey.pk}/import/"
    bad = "e1,e3\nมาก,ไม่เคย\nบ่อย,ไม่เคย\nมาก,๕\n".encode()
    response = editor.post(url, {"file": SimpleUploadedFile("paper.csv", bad)})
    assert response.status_code == 400
    body = text(response)
    assert "แถว 3 คอลัมน์ A (e1)" in body and "แถว 4 คอลัมน์ B (e3)" in body
    assert SurveyAnswer.objects.count() == 0
    good = "ลำดับ,e1,e3\n1,มาก,ไม่เคย\n2,4,1\n".encode()
    response = editor.post(url, {"file": SimpleUploadedFile("paper.csv", good)})
    assert response.status_code == 302
    assert sorted(r["e1"] for r in SurveyAnswer.objects.values_list("answers", flat=True)) == [2, 3]
    assert login(world["users"]["viewer"]).post(url, {"file": SimpleUploadedFile("paper.csv", good)}).status_code == 404
    assert SurveyAnswer.objects.count() == 2


def test_answers_template_filled_in_imports_back(world, login):
    import io

    import openpyxl

    from itadesk.web.surveys.models import SurveyAnswer

    survey = make_survey(world["a"], tool="IIT")
    editor = login(world["users"]["editor"])
    base = f"/agencies/{world['a'].pk}/surveys/{survey.pk}"
    book = openpyxl.load_workbook(io.BytesIO(editor.get(f"{base}/template.xlsx").content))
    header = [c.value for c in book["คำตอบ"][1]]
    assert header == ["ลำดับ", *columns("IIT")]
    guide = {r[0]: r[2] for r in book["ข้อคำถาม"].iter_rows(min_row=2, values_only=True)}
    assert guide["i3"] == "1 = ไม่มี / 2 = มี"
    book["คำตอบ"].append([1, *([4] * 15)])
    book["คำตอบ"]["D2"] = "ไม่มี"                               # i3 and i9 are yes/no
    book["คำตอบ"]["J2"] = 1
    out = io.BytesIO()
    book.save(out)
    response = editor.post(f"{base}/import/", {"file": SimpleUploadedFile("paper.xlsx", out.getvalue())})
    assert response.status_code == 302, text(response)
    answers = SurveyAnswer.objects.get().answers
    assert (answers["i1"], answers["i3"], answers["i9"]) == (3, 0, 0)


def test_import_through_the_api(world):
    from itadesk.web.surveys.models import SurveyAnswer

    survey = make_survey(world["a"], tool="IIT")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world['users']['editor']).key}")
    url = f"/api/agencies/{world['a'].pk}/surveys/{survey.pk}/answers/"
    bad = client.post(url, {"file": SimpleUploadedFile("a.csv", "i1,e1\nมาก,มาก\n".encode())}, format="multipart")
    assert bad.status_code == 400 and "แถว 1 คอลัมน์ B" in bad.json()["problems"][0]
    assert SurveyAnswer.objects.count() == 0
    ok = client.post(url, {"file": SimpleUploadedFile("a.csv", "i1,i3\nมาก,ไม่มี\nมากที่สุด,มี\n".encode())},
                     format="multipart")
    assert ok.status_code == 201 and ok.json()["imported"] == 2
    assert SurveyAnswer.objects.filter(source="import").count() == 2
    viewer = APIClient()
    viewer.force_authenticate(world["users"]["viewer"])
    assert viewer.post(url, {"file": SimpleUploadedFile("a.csv", b"i1\n1\n")}, format="multipart").status_code == 403


# --- Poster and predicted ITA ----------------------------------------------------------------

def test_eit_poster_is_an_a4_pdf_with_the_agency_and_the_link(world, login):
    eit, iit = make_survey(world["a"]), make_survey(world["a"], tool="IIT")
    viewer = login(world["users"]["viewer"])
    response = viewer.get(f"/agencies/{world['a'].pk}/surveys/{eit.pk}/poster.pdf")
    assert response["Content-Type"] == "application/pdf"
    content = norm(pdf_text(response.content))
    assert world["a"].name in content and eit.token in content
    assert viewer.get(f"/agencies/{world['a'].pk}/surveys/{iit.pk}/poster.pdf").status_code == 404
    qr = viewer.get(f"/agencies/{world['a'].pk}/surveys/{eit.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_predicted_ita_on_the_agency_page_and_as_pdf(world, login):
    from tests.web.test_access_matrix import oit_run_for

    a = world["a"]
    viewer = login(world["users"]["viewer"])
    eit, iit = make_survey(a), make_survey(a, tool="IIT")
    add_answers(eit, 10, option="best")
    add_answers(iit, 4, option="best")
    page = text(viewer.get(f"/agencies/{a.pk}/"))
    assert "แบบสำรวจ IIT มีคำตอบ 4 ชุด ต้องมีอย่างน้อย 10 ชุด" in page
    assert "ยังไม่ได้ตรวจหลักฐาน OIT" in page
    add_answers(iit, 6, option="best")
    run = oit_run_for(a)            # FY2567: O1 fails, every other item has no link → OIT 0
    assert run.oit == 0
    page = text(viewer.get(f"/agencies/{a.pk}/"))
    # IIT = EIT = 100 (best answer everywhere), OIT 0 → ITA 60 → ต้องปรับปรุงโดยด่วน;
    # the next level ต้องปรับปรุง needs ITA 70: OIT +25.0 (10 / 0.4); IIT or EIT alone cannot (+33.4 > 100)
    assert "๖๐.๐๐" in page and "ต้องปรับปรุงโดยด่วน" in page and "ผลจากแบบสำรวจฝึกซ้อม ไม่ใช่ผลทางการ" in page
    assert re.findall(r"<li>([^<]*→[^<]*)</li>", page) == ["OIT +25.0 → ต้องปรับปรุง"]
    response = viewer.get(f"/agencies/{a.pk}/surveys/prediction/2567.pdf")
    assert response["Content-Type"] == "application/pdf"
    content = norm(pdf_text(response.content))
    assert "คาดการณ์ผลการประเมินITA" in content and "๖๐.๐๐" in content and "ไม่ใช่ผลทางการ" in content


def test_sub_items_are_asked_one_by_one_and_scored_per_sub_item(world, login, tmp_path, monkeypatch):
    import yaml

    from itadesk.surveys import definition
    from itadesk.web.surveys.models import SurveyAnswer

    data = yaml.safe_load((definition.DATA_DIR / "survey-2567.yaml").read_text("utf-8"))
    data["questions"]["e1"] = {"subitems": [{"key": "1", "text": "ตามขั้นตอน"},
                                            {"key": "2", "text": "ล่าช้ากว่ากำหนด", "reversed": True}]}
    (tmp_path / "survey-2567.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("ITADESK_CRITERIA_DIR", str(tmp_path))
    definition._load.cache_clear()
    try:
        survey = make_survey(world["a"])
        client = Client()
        page = client.get(answer_url(survey))
        body = text(page)
        assert 'name="q_e1.1"' in body and 'name="q_e1.2"' in body and "ล่าช้ากว่ากำหนด" in body
        form = {"nonce": nonce_of(page), **full_answer("EIT", 3)}
        assert "q_e1.2" in form and "q_e1" not in form
        assert "บันทึกคำตอบแล้ว" in text(client.post(answer_url(survey), form))
        assert SurveyAnswer.objects.get().answers["e1.2"] == 3
        add_answers(survey, 9, option=3)
        results = text(login(world["users"]["viewer"]).get(f"/agencies/{world['a'].pk}/surveys/{survey.pk}/"))
        # e1.1 มากที่สุด 100; e1.2 (reverse) มากที่สุด 0 → e1 = 50
        row = results.split("<td>e1</td>")[1].split("</tr>")[0]
        assert "๕๐.๐๐" in row
        assert "<td>e1.2</td><td>ล่าช้ากว่ากำหนด</td><td class=\"num\">๐.๐๐</td>" in results
    finally:
        definition._load.cache_clear()


def test_prediction_takes_the_latest_oit_check_of_another_year_when_the_year_has_none(world, login):
    from tests.web.test_access_matrix import oit_run_for

    a = world["a"]
    for tool in ("EIT", "IIT"):
        add_answers(make_survey(a, tool=tool), 10, option="best")
    run = oit_run_for(a)
    run.fiscal_year = 2569
    run.save()
    page = text(login(world["users"]["viewer"]).get(f"/agencies/{a.pk}/"))
    assert "๖๐.๐๐" in page and "(ปีงบประมาณ ๒๕๖๙)" in page


def test_admin_closes_a_survey_early_and_the_page_says_it_is_closed(world, login):
    survey = make_survey(world["a"])
    url = f"/agencies/{world['a'].pk}/surveys/{survey.pk}/edit/"
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    form = {"opens_on": (today() - dt.timedelta(days=5)).isoformat(), "closes_on": yesterday, "population": "250"}
    assert login(world["users"]["editor"]).post(url, form).status_code == 404
    survey.refresh_from_db()
    assert survey.closes_on > today()
    assert login(world["users"]["admin"]).post(url, form).status_code == 302
    survey.refresh_from_db()
    assert survey.closes_on.isoformat() == yesterday and survey.population == 250
    assert "แบบสำรวจนี้ปิดรับคำตอบแล้ว" in text(Client().get(answer_url(survey)))
    bad = login(world["users"]["admin"]).post(url, {**form, "closes_on": "31/12/2567"}, follow=True)
    assert "วันปิดรับคำตอบ: ใส่วันที่ให้ถูกต้อง" in text(bad)
