"""A province supervisor in a real browser: the dashboard, one district, its common weaknesses, the
XLSX of what is shown and the summary PDF. Pages are photographed on a desktop and a 390 px phone."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.browser.conftest import PASSWORD
from tests.browser.test_walkthrough import Visit, download, log_in


@pytest.fixture
def province(transactional_db, django_user_model):
    from itadesk.agency import load_agency
    from itadesk.results import load_results
    from itadesk.web.agencies.models import Supervision
    from itadesk.web.agencies.services import upsert_agency
    from itadesk.web.results.models import ResultSet
    from tests.browser.conftest import ROOT
    from tests.web.test_dashboard import make_agencies

    agency = upsert_agency(load_agency(ROOT / "demo" / "agency.yaml"))   # นครราชสีมา, โนนสูง
    ResultSet.objects.create(agency=agency, fiscal_year=2567, source="seed000",
                             scores=load_results(ROOT / "tests" / "data" / "seed000-2567.csv").scores)
    make_agencies(14, district="โนนสูง", seed=31)
    make_agencies(12, district="เมืองนครราชสีมา", seed=32, type_="เทศบาลตำบล")
    make_agencies(9, district="โชคชัย", seed=33)
    make_agencies(5, province="ขอนแก่น", district="พล", seed=34)   # another province: never shown
    user = django_user_model.objects.create_user("korat", password=PASSWORD, first_name="สมศรี",
                                                 last_name="ตรวจดี")
    Supervision.objects.create(user=user, province="นครราชสีมา")
    return {"agency": agency, "user": user}


@pytest.mark.browser
def test_supervisor_filters_a_district_opens_weaknesses_and_downloads(
        live_server, province, desktop, phone_context, shots):
    from tests.support.pdf_text import pdf_text

    desk = Visit(desktop, live_server.url, shots, "desktop")
    page = desk.page
    log_in(desk, "korat", PASSWORD)
    assert "ภาพรวมผลการประเมิน ITA ปีงบประมาณ ๒๕๖๗" in page.locator("h1").inner_text()
    table = page.get_by_test_id("dashboard")
    assert "หน่วยงาน (๓๖)" in page.locator("h2").first.inner_text()
    assert "ทดสอบ ๓๔-" not in table.inner_text()
    desk.check("50-dashboard")

    page.get_by_test_id("district").select_option("โนนสูง")
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_url("**district=*")
    assert "หน่วยงาน (๑๕)" in page.locator("h2").first.inner_text()
    rows = page.get_by_test_id("dashboard").locator("tbody tr")
    assert rows.count() == 15
    text = page.get_by_test_id("dashboard").inner_text()
    assert "ทดสอบ ๓๒-" not in text and "ทดสอบ ๓๓-" not in text and province["agency"].name in text
    desk.check("51-dashboard-district")

    page.get_by_test_id("weaknesses-link").click()
    page.wait_for_url("**/region/weaknesses/?*")
    weak = page.get_by_test_id("weaknesses")
    assert "นับจากหน่วยงานที่มีคะแนนรายข้อ ๑๕ แห่ง" in page.locator("main").inner_text()
    first = weak.locator("tbody tr").first
    code = first.get_attribute("data-code")
    first.locator("a.status-urgent, a.status-improve").first.click()
    page.wait_for_url(f"**code={code}*")
    detail = page.get_by_test_id("weakness-detail").inner_text()
    assert f"ข้อ {code}" in detail and "ทดสอบ ๓๓-" not in detail
    desk.check("52-weaknesses")

    page.get_by_role("link", name="← ภาพรวม").click()
    page.wait_for_url("**district=*")
    sheet = openpyxl.load_workbook(io.BytesIO(download(page, '[data-testid="export-link"]'))).worksheets[0]
    exported = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(exported) == 15 and {r[3] for r in exported} == {"โนนสูง"}
    text = "".join(pdf_text(download(page, '[data-testid="report-pdf"]')).split())
    assert "บันทึกข้อความ" in text and "อำเภอโนนสูงจังหวัดนครราชสีมา" in text and "ทดสอบ๓๓-" not in text

    phone = Visit(phone_context(desktop.storage_state()), live_server.url, shots, "phone")
    phone.page.goto(phone.url("/?district=โนนสูง"))
    assert phone.page.get_by_test_id("dashboard").locator("tbody tr").count() == 15
    phone.check("51-dashboard-district")
    phone.page.goto(phone.url(f"/region/weaknesses/?district=โนนสูง&code={code}&status=urgent"))
    phone.check("52-weaknesses")
    print(f"\nscreenshots: {shots}")
