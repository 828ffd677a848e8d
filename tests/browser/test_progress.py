"""Following up an approved plan in a real browser: an editor records the 6-month round for a
measure (status, results, an evidence PDF), sees it listed, locks the round and downloads the
O35 results report as PDF. Pages are photographed on a desktop and a 390 px phone."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.test_walkthrough import SEED000, Visit, download, log_in, submit

EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OUTPUT = "เจ้าหน้าที่ผ่านการอบรมเรื่องการเปิดเผยข้อมูล ๔๒ คน"
OUTCOME = "เผยแพร่ข้อมูลครบทุกข้อภายในกำหนด"


@pytest.fixture
def approved_plan(editor_world, settings, tmp_path):
    from itadesk.results import load_results
    from itadesk.web.plans.services import approve_plan, create_plan
    from itadesk.web.results.models import ResultSet

    settings.MEDIA_ROOT = tmp_path / "media"
    agency, user = editor_world["agency"], editor_world["user"]
    ResultSet.objects.create(agency=agency, fiscal_year=2567, scores=load_results(SEED000).scores, source="seed000")
    plan = create_plan(agency, 2567, user)
    return approve_plan(plan, plan.version, "นายกเทศมนตรีตำบลตัวอย่าง", dt.date(2024, 10, 20), user)


@pytest.mark.browser
def test_editor_records_a_round_with_evidence_locks_it_and_downloads_o35(
        live_server, editor_world, approved_plan, desktop, phone_context, shots, tmp_path):
    from itadesk.thai import to_thai_digits
    from itadesk.web.progress.models import EvidenceFile, MeasureReport
    from tests.support.pdf_text import norm, pdf_text

    agency, plan = editor_world["agency"], approved_plan
    measure = plan.measures.first()
    base = f"/agencies/{agency.pk}/plans/{plan.plan_year}/progress/"
    desk = Visit(desktop, live_server.url, shots, "desktop")
    page = desk.page
    page.on("dialog", lambda dialog: dialog.accept())  # the lock button asks for confirmation
    log_in(desk, editor_world["username"], editor_world["password"])

    page.goto(desk.url(f"/agencies/{agency.pk}/plans/{plan.plan_year}/"))
    page.get_by_role("link", name="ติดตามผลการดำเนินการ").click()
    page.wait_for_url(desk.url(base))
    assert "ติดตามผลการดำเนินการตามมาตรการ ปีงบประมาณ ๒๕๖๘" in page.locator("h1").inner_text()
    desk.check("30-progress")

    page.get_by_test_id("round-6").get_by_role("link", name="รายงานผลรอบนี้").click()
    page.wait_for_url(desk.url(f"{base}6/"))
    desk.check("31-progress-round")

    page.get_by_test_id(f"measure-{measure.pk}").get_by_role("link", name="บันทึกผล").click()
    page.wait_for_url(desk.url(f"{base}6/measures/{measure.pk}/"))
    desk.check("32-progress-measure")
    page.get_by_label("สถานะ", exact=True).select_option(label="ดำเนินการแล้วเสร็จ")
    page.get_by_label("ผลการดำเนินการ", exact=True).fill("จัดอบรมเจ้าหน้าที่ ๒ รุ่น เมื่อเดือนกุมภาพันธ์ ๒๕๖๘")
    page.get_by_label("ผลผลิต", exact=True).fill(OUTPUT)
    page.get_by_label("ผลลัพธ์/ผลสัมฤทธิ์", exact=True).fill(OUTCOME)
    page.get_by_label("ลิงก์หลักฐาน (บรรทัดละหนึ่งลิงก์)").fill("https://www.example.go.th/news/training-2568")
    evidence = tmp_path / "ภาพกิจกรรมอบรม.pdf"
    evidence.write_bytes(EVIDENCE_PDF)
    page.set_input_files('input[name="files"]', str(evidence))
    submit(page, page.get_by_role("button", name="บันทึกผลการดำเนินการ"), "saving the measure's report")
    page.wait_for_url(desk.url(f"{base}6/"))
    assert "บันทึกผลการดำเนินการรอบ ๖ เดือนของมาตรการ" in page.locator(".messages").inner_text()
    row = page.get_by_test_id(f"measure-{measure.pk}")
    assert "ดำเนินการแล้วเสร็จ" in row.inner_text() and "ภาพกิจกรรมอบรม.pdf" in row.inner_text()
    report = MeasureReport.objects.get(measure=measure, round__months=6)
    assert report.output == OUTPUT and EvidenceFile.objects.get(report=report).name == "ภาพกิจกรรมอบรม.pdf"
    desk.check("33-progress-reported")

    stored = download(page, f'[data-testid="measure-{measure.pk}"] a[href*="/progress/files/"]')
    assert stored == EVIDENCE_PDF

    submit(page, page.get_by_role("button", name="ล็อกรอบนี้ (รายงานแล้ว)"), "locking the round")
    page.wait_for_url(desk.url(f"{base}6/"))
    assert "ล็อกแล้วโดย สมชาย ใจดี" in page.get_by_test_id("locked-6").inner_text()
    assert page.get_by_role("link", name="ดูผล").count() == plan.measures.count()
    desk.check("34-progress-locked")

    pdf = download(page, 'a[href$="/6/results-report/pdf/"]')
    assert pdf.startswith(b"%PDF-")
    text = norm(pdf_text(pdf))
    for expected in (to_thai_digits(measure.name), OUTPUT, OUTCOME, "รอบ ๖ เดือน"):
        assert norm(expected) in text, expected

    phone = Visit(phone_context(desktop.storage_state()), live_server.url, shots, "phone")
    for name, path in (("30-progress", base), ("31-progress-round", f"{base}6/"),
                       ("32-progress-measure", f"{base}6/measures/{measure.pk}/")):
        phone.page.goto(phone.url(path))
        phone.check(name)
    assert phone.page.get_by_text(OUTPUT).is_visible()
    print(f"\nscreenshots: {shots}")
