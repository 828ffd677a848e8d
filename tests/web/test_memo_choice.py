"""The memo's number and date as the office chooses them (plan page and a round's page): printed
in the documents; refused once the plan is approved or the round locked; bad input refused with
its reason and nothing saved; without a choice, a date that suits the document, with a warning
when today is long past the period it covers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.support.pdf_text import norm, pdf_text
from tests.web.conftest import on_day

pytestmark = pytest.mark.django_db


def url(name: str, plan_year: int, agency, **kwargs) -> str:
    return reverse(name, kwargs={"agency_id": agency.pk, "plan_year": plan_year, **kwargs})


def memo_page_text(client, plan_year, agency, fmt="pdf") -> str:
    response = client.get(url("plan_document", plan_year, agency, fmt=fmt))
    assert response.status_code == 200
    return norm(pdf_text(response.content).split("เรียน")[0])   # the memo's head: ที่, วันที่, เรื่อง


def test_the_editor_chooses_the_plans_memo_number_and_date_and_the_pdf_prints_them(world, login):
    from itadesk.web.plans.services import create_plan

    a = world["a"]
    plan = create_plan(a, 2567, world["users"]["editor"])
    client = login(world["users"]["editor"])
    page = client.get(url("plan", 2568, a)).content.decode()
    assert "เลขที่และวันที่ของบันทึกข้อความ" in page and "ที่ นม ๗๘๙๐๑/......" in page
    assert "วันนี้เลยช่วงที่เอกสารกล่าวถึงแล้ว" in page   # FY2568 ended 30 Sep 2025: the default is 1 Oct 2024
    assert norm("ที่ นม ๗๘๙๐๑/......") in memo_page_text(client, 2568, a)

    answer = client.post(url("plan_memo", 2568, a), {"memo_number": "45", "memo_date": "๑๕/๑๐/๒๕๖๗"})
    assert answer.status_code == 302
    plan.refresh_from_db()
    assert (plan.memo_number, plan.memo_date) == ("45", dt.date(2024, 10, 15))
    head = memo_page_text(client, 2568, a)
    assert norm("ที่ นม ๗๘๙๐๑/๔๕") in head and norm("วันที่ ๑๕ ตุลาคม ๒๕๖๗") in head
    page = client.get(url("plan", 2568, a)).content.decode()
    assert "ที่ นม ๗๘๙๐๑/๔๕" in page and "วันนี้เลยช่วง" not in page


@pytest.mark.parametrize("values, message", [
    ({"memo_number": "<b>1</b>", "memo_date": ""}, "เลขที่บันทึกข้อความพิมพ์ได้เฉพาะตัวเลข"),
    ({"memo_number": "1", "memo_date": "31/2/2568"}, "วันที่ไม่ถูกต้อง"),
    ({"memo_number": "1" * 41, "memo_date": ""}, "ยาวเกิน ๔๐"),
])
def test_bad_memo_input_is_refused_with_its_reason_and_nothing_is_saved(world, login, values, message):
    from itadesk.web.plans.services import create_plan

    plan = create_plan(world["a"], 2567, world["users"]["editor"])
    client = login(world["users"]["editor"])
    assert client.post(url("plan_memo", 2568, world["a"]), {"memo_number": "7", "memo_date": ""}).status_code == 302
    answer = client.post(url("plan_memo", 2568, world["a"]), values)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert message in page.replace("40", "๔๐")
    assert "ที่ นม ๗๘๙๐๑/๗" in page   # the card still says what is saved
    plan.refresh_from_db()
    assert (plan.memo_number, plan.memo_date) == ("7", None)


def test_a_viewer_cannot_set_the_memo(world, login):
    from itadesk.web.plans.services import create_plan

    plan = create_plan(world["a"], 2567, world["users"]["editor"])
    answer = login(world["users"]["viewer"]).post(url("plan_memo", 2568, world["a"]), {"memo_number": "9"})
    assert answer.status_code in (403, 404)
    plan.refresh_from_db()
    assert plan.memo_number == ""


def test_an_approved_plans_memo_is_what_was_approved(world, login, approved_plan):
    a = world["a"]
    client = login(world["users"]["admin"])
    head = memo_page_text(client, 2568, a)
    assert norm("วันที่ ๑๕ ตุลาคม ๒๕๖๗") in head   # no choice: the approval date
    answer = client.post(url("plan_memo", 2568, a), {"memo_number": "77", "memo_date": "1/10/2567"})
    assert answer.status_code == 409 and "อนุมัติแล้ว" in answer.content.decode()
    approved_plan.refresh_from_db()
    assert approved_plan.memo_number == "" and memo_page_text(client, 2568, a) == head
    assert 'action="/agencies/' not in answer.content.decode().split('id="memo"')[1].split("</div>")[0]


def test_a_rounds_report_memo_defaults_to_after_the_round_and_takes_the_offices_choice(
        world, login, approved_plan, monkeypatch):
    on_day(monkeypatch, dt.date(2026, 12, 2))   # long after the FY2568 six-month round (ended 31 Mar 2025)
    a = world["a"]
    client = login(world["users"]["editor"])
    page = client.get(url("progress_round", 2568, a, months=6)).content.decode()
    memo_card = page.split('id="memo"')[1].split("</form>")[0]
    assert "วันนี้เลยช่วงที่เอกสารกล่าวถึงแล้ว" in memo_card and "ลงวันที่ <strong>๑๕ เมษายน ๒๕๖๘</strong>" in memo_card

    def report_head() -> str:
        response = client.get(url("progress_results_report", 2568, a, months=6, fmt="pdf"))
        assert response.status_code == 200
        return norm(pdf_text(response.content).split("เรียน")[0])

    assert norm("วันที่ ๑๕ เมษายน ๒๕๖๘") in report_head()   # not today
    answer = client.post(url("progress_memo", 2568, a, months=6), {"memo_number": "12/1", "memo_date": "5/4/2568"})
    assert answer.status_code == 302
    head = report_head()
    assert norm("ที่ นม ๗๘๙๐๑/๑๒/๑") in head and norm("วันที่ ๕ เมษายน ๒๕๖๘") in head

    assert client.post(url("progress_lock", 2568, a, months=6), {"confirm": "1"}).status_code == 302
    refused = client.post(url("progress_memo", 2568, a, months=6), {"memo_number": "99", "memo_date": ""})
    assert refused.status_code == 409
    assert report_head() == head
