"""A real office on day one, from an empty database, in a real browser.

A system administrator creates the agency from the XLSX list; the invited admin sets a password on
a Thai page, fills the profile (departments, signatories, emblem), uploads the scores, generates,
edits and approves the plan and downloads the PDF, whose memo carries the signatories typed.
Then the scores are replaced: the page asks first, and the approved PDF downloaded again is
byte-identical. Pages are photographed on a desktop and a 390 px phone.

The emblem uploaded on the profile page is printed on the PDF memo's first page.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from openpyxl import Workbook

from tests.browser.test_walkthrough import ROOT, SEED000, Visit, download, submit
from tests.support.pdf_text import norm, pdf_text

AGENCY = "องค์การบริหารส่วนตำบลทุ่งทอง"
ADMIN_EMAIL = "admin@thungthong.go.th"
PASSWORD = "ทุ่งทอง-2568-ใหม่!"
APPROVER = ("นายประยูร ทองดี", "นายกองค์การบริหารส่วนตำบลทุ่งทอง")
ENDORSER = ("นางสาวพิมพ์ใจ ซื่อตรง", "ปลัดองค์การบริหารส่วนตำบลทุ่งทอง")
PREPARER = ("นายกิตติ ขยันยิ่ง", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ")


def agency_list(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["ชื่อหน่วยงาน", "ประเภท", "จังหวัด", "อำเภอ", "เว็บไซต์", "อีเมลผู้ดูแล"])
    sheet.append([AGENCY, "องค์การบริหารส่วนตำบล", "สุพรรณบุรี", "อู่ทอง", "https://www.thungthong.go.th", ADMIN_EMAIL])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.browser
def test_a_new_office_from_an_empty_database_to_an_approved_plan_that_does_not_change(
        live_server, transactional_db, django_user_model, settings, desktop, phone_context, browser, shots, tmp_path):
    from itadesk.web.agencies.models import Agency
    from itadesk.web.plans.models import Plan

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    django_user_model.objects.create_user("root", password="root-2567-pass", is_superuser=True, is_staff=True)

    # 1. The system administrator creates the agency from the list.
    sys = Visit(desktop, live_server.url, shots, "desktop")
    page = sys.page
    page.goto(sys.url("/login/"))
    page.get_by_label("ชื่อผู้ใช้").fill("root")
    page.get_by_label("รหัสผ่าน").fill("root-2567-pass")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(sys.url("/"))
    page.get_by_role("link", name="เพิ่มหน่วยงาน").click()
    page.wait_for_url(sys.url("/agencies/new/"))
    sys.check("60-agency-setup")
    page.set_input_files('input[name="file"]', str(agency_list(tmp_path / "รายชื่อ.xlsx")))
    submit(page, page.get_by_role("button", name="ตรวจและสร้างทุกหน่วยงาน"), "creating agencies from the list")
    assert "สร้างหน่วยงาน ๑ แห่งแล้ว" in page.locator(".messages").inner_text()
    agency = Agency.objects.get(name=AGENCY)
    [invitation] = mail.outbox
    link = re.search(r"https?://\S+", invitation.body).group(0)
    assert link.startswith(live_server.url + "/password/set/")

    # 2. The invited admin sets a password on a Thai page (a weak one is refused in Thai first).
    office_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", accept_downloads=True)
    office = Visit(office_context, live_server.url, shots, "desktop")
    page = office.page
    page.goto(link)
    assert page.locator("h1").inner_text() == "ตั้งรหัสผ่าน"
    office.check("61-set-password")
    page.get_by_label("รหัสผ่านใหม่", exact=True).fill("12345678")
    page.get_by_label("ยืนยันการตั้งรหัสผ่านใหม่").fill("12345678")
    page.get_by_role("button", name="บันทึกรหัสผ่าน").click()
    page.wait_for_load_state()
    assert "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in page.content()
    office.failed.clear()
    page.get_by_label("รหัสผ่านใหม่", exact=True).fill(PASSWORD)
    page.get_by_label("ยืนยันการตั้งรหัสผ่านใหม่").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="บันทึกรหัสผ่าน"), "setting the password")
    page.goto(office.url("/login/"))
    page.get_by_label("ชื่อผู้ใช้").fill(ADMIN_EMAIL)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(office.url("/"))

    # 3. The agency page says what to do first: the profile.
    page.get_by_role("link", name=AGENCY).click()
    assert "กรอกข้อมูลหน่วยงานให้ครบ" in page.locator("#next-step").inner_text()
    office.check("62-agency-next-step")
    page.get_by_role("link", name="กรอกข้อมูลหน่วยงาน").first.click()
    page.wait_for_url(office.url(f"/agencies/{agency.pk}/profile/"))
    page.get_by_label("ส่วนราชการที่จัดทำบันทึกข้อความ").fill("สำนักปลัด")
    page.get_by_label("เลขที่หนังสือ (ที่) เช่น นม ๗๘๙๐๑").fill("สพ ๗๒๑๖๐")
    for label, (name, position) in (("ผู้จัดทำ/ผู้รายงาน", PREPARER), ("ผู้เห็นชอบ (ปลัด)", ENDORSER),
                                    ("ผู้อนุมัติ (ผู้บริหารสูงสุด)", APPROVER)):
        page.get_by_label(f"{label}: ชื่อ (ตามที่พิมพ์ในบันทึก)").fill(name)
        page.get_by_label(f"{label}: ตำแหน่ง").fill(position)
    first = page.locator("fieldset.department").first
    first.get_by_label("ชื่อหน่วย").fill("สำนักปลัด")
    first.locator("summary").click()
    for role in ("งานวิเคราะห์นโยบายและแผน", "งานบริหารงานทั่วไป"):
        first.get_by_label(role).check()
    second = page.locator("fieldset.department").nth(1)
    second.get_by_label("ชื่อหน่วย").fill("กองคลัง")
    page.set_input_files('input[name="emblem_file"]', str(ROOT / "demo" / "emblem.png"))
    office.check("63-profile")
    submit(page, page.get_by_role("button", name="บันทึกข้อมูลหน่วยงาน"), "saving the profile")
    assert "บันทึกข้อมูลหน่วยงานแล้ว" in page.locator(".messages").inner_text()
    assert page.get_by_alt_text("ตราหน่วยงานปัจจุบัน").is_visible()
    profile = Agency.objects.get(pk=agency.pk).profile()
    assert profile.emblem is not None and profile.signatories["approver"].name == APPROVER[0]

    # 4. Scores, analysis, plan.
    page.goto(office.url(f"/agencies/{agency.pk}/"))
    assert "อัปโหลดผลคะแนน ITA" in page.locator("#next-step").inner_text()
    page.locator("#next-step").get_by_role("link", name="อัปโหลดไฟล์ผลคะแนน").click()
    page.set_input_files('input[name="file"]', str(SEED000))
    submit(page, page.get_by_role("button", name="อัปโหลดและวิเคราะห์"), "uploading the scores")
    assert page.get_by_test_id("ita-score").inner_text().strip() == "๗๒.๙๗"
    submit(page, page.get_by_role("button", name="จัดทำมาตรการจากผลการวิเคราะห์"), "generating the plan")
    page.wait_for_url(office.url(f"/agencies/{agency.pk}/plans/2568/"))
    page.goto(office.url(f"/agencies/{agency.pk}/plans/2568/edit/"))
    edited = "อบรมเจ้าหน้าที่ทุ่งทองเรื่องการเปิดเผยข้อมูล (แก้ไขโดยสำนักงาน)"
    page.locator('textarea[name$="-0-name"]').fill(edited)
    submit(page, page.get_by_role("button", name="บันทึกร่าง", exact=True), "saving the edited plan")
    approval = page.get_by_label("วันที่อนุมัติ (พ.ศ.)")
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/25\d\d", approval.input_value())  # shown in พ.ศ.
    approval.fill("15/10/2567")
    submit(page, page.get_by_role("button", name="บันทึกว่าอนุมัติแล้ว"), "approving the plan")
    assert "อนุมัติแล้ว" in page.content() and "๑๕ ตุลาคม ๒๕๖๗" in page.content()
    office.check("64-plan-approved")
    plan = Plan.objects.get(agency=agency, plan_year=2568)
    assert plan.status == Plan.APPROVED and plan.frozen["profile"]["emblem"]

    pdf = download(page, 'a[href$="/plans/2568/documents/pdf/"]')
    text = norm(pdf_text(pdf))
    import io

    from pypdf import PdfReader

    (emblem,) = PdfReader(io.BytesIO(pdf)).pages[0].images          # the memo carries the emblem
    assert emblem.image.size == (profile.emblem.width, profile.emblem.height)
    for name, position in (APPROVER, ENDORSER, PREPARER):
        assert norm(name) in text and norm(position) in text
    assert norm(edited) in text and "สพ๗๒๑๖๐" in text and "๗๒.๙๗" in text

    # 5. The scores are replaced: asked first, and the approved PDF stays what it was.
    better = tmp_path / "คะแนนใหม่.csv"
    better.write_text(SEED000.read_text(encoding="utf-8").replace("O8,50", "O8,100"), encoding="utf-8")
    page.goto(office.url(f"/agencies/{agency.pk}/results/upload/"))
    page.set_input_files('input[name="file"]', str(better))
    page.get_by_role("button", name="อัปโหลดและวิเคราะห์").click()
    page.wait_for_load_state()
    asking = page.locator("#confirm-replace")
    assert "ใช้ในมาตรการปีงบประมาณ ๒๕๖๘ (อนุมัติแล้ว)" in asking.inner_text()
    office.check("65-replace-asks")
    submit(page, asking.get_by_role("button", name="ยืนยันแทนที่ผลคะแนน"), "confirming the replacement")
    assert agency.result_sets.get(fiscal_year=2567).scores["O8"] == 100
    page.goto(office.url(f"/agencies/{agency.pk}/plans/2568/"))
    again = download(page, 'a[href$="/plans/2568/documents/pdf/"]')
    assert again == pdf

    # The same pages on a phone.
    phone = Visit(phone_context(office_context.storage_state()), live_server.url, shots, "phone")
    for name, path in (("62-agency-next-step", f"/agencies/{agency.pk}/"), ("63-profile", f"/agencies/{agency.pk}/profile/"),
                       ("64-plan-approved", f"/agencies/{agency.pk}/plans/2568/"),
                       ("66-audit", f"/agencies/{agency.pk}/audit/")):
        phone.page.goto(phone.url(path))
        phone.check(name)
    office_context.close()
    print(f"\nscreenshots: {shots}")
