"""The OIT self-check in a real browser: an editor enters evidence links (served by a local test
website on 127.0.0.1, the only network allowed), runs the check and reads the verdicts and the
predicted OIT score; the PDF report downloads. Pages are photographed on a desktop and a phone.
"""

from __future__ import annotations

import re

import pytest

from itadesk.oit import safety
from tests.browser.test_walkthrough import Visit, download, log_in, submit
from tests.test_oit_support import EvidenceSite, local_resolver

FY = 2568


@pytest.fixture
def site():
    with EvidenceSite() as s:
        yield s


@pytest.fixture
def loopback_only(settings):
    settings.ITADESK_OIT_ALLOWED_NETWORKS = "127.0.0.1/32"
    safety.set_resolver(local_resolver())
    yield
    safety.set_resolver(None)


@pytest.mark.browser
def test_editor_enters_links_runs_the_check_and_reads_the_verdicts(
        live_server, editor_world, desktop, phone_context, shots, site, loopback_only):
    from itadesk.web.oit.models import CheckRunRecord

    agency = editor_world["agency"]
    agency.website = site.base
    agency.save()
    desk = Visit(desktop, live_server.url, shots, "desktop")
    page = desk.page
    log_in(desk, editor_world["username"], editor_world["password"])

    evidence_path = f"/agencies/{agency.pk}/oit/{FY}/evidence/"
    page.goto(desk.url(evidence_path))
    assert "ลิงก์หลักฐาน OIT ปีงบประมาณ ๒๕๖๘" in page.locator("h1").inner_text()
    desk.check("20-oit-evidence")

    page.get_by_label("O1 ลิงก์ที่ 1", exact=True).fill(site.url("/good.html"))
    page.get_by_label("O3 ลิงก์ที่ 1", exact=True).fill(site.url("/missing"))
    page.get_by_label("O4 ลิงก์ที่ 1", exact=True).fill(site.url("/old-year.html"))
    page.get_by_label("O11 ลิงก์ที่ 1", exact=True).fill("http://10.0.0.1/")
    page.get_by_label("O27 ลิงก์ที่ 1", exact=True).fill(site.url("/plan-2568.pdf"))
    page.get_by_label("O27 หมายเหตุ", exact=True).fill("มาตรการส่งเสริมคุณธรรม ปี ๖๘")
    submit(page, page.get_by_role("button", name="บันทึกลิงก์หลักฐาน"), "saving the evidence links")
    page.wait_for_url(desk.url(evidence_path))
    assert "บันทึกลิงก์หลักฐาน OIT ปีงบประมาณ ๒๕๖๘ แล้ว (๕ ข้อ)" in page.locator(".messages").inner_text()

    page.get_by_label("O8 ลิงก์ที่ 1", exact=True).fill(site.url("/good.html"))  # typed, not saved: the check saves it first
    submit(page, page.get_by_role("button", name="บันทึกและตรวจสอบ", exact=True), "running the check")
    # The check is a background job (here, without a broker, a thread of the server): its page
    # refreshes itself and, once done, goes on to the run's page.
    page.wait_for_url(re.compile(rf"/agencies/{agency.pk}/oit/runs/\d+/$"), timeout=60_000)
    saved = CheckRunRecord.objects.get(agency=agency)
    assert page.url == desk.url(f"/agencies/{agency.pk}/oit/runs/{saved.pk}/")
    assert page.get_by_test_id("verdict-O1").inner_text() == "ผ่าน"
    assert page.get_by_test_id("verdict-O3").inner_text() == "ไม่ผ่าน"
    assert page.get_by_test_id("verdict-O4").inner_text() == "ไม่แน่ใจ"
    assert page.get_by_test_id("verdict-O11").inner_text() == "ไม่ผ่าน"
    assert page.get_by_test_id("verdict-O27").inner_text() == "ผ่าน"
    from itadesk.thai import format_score

    assert page.get_by_test_id("oit-score").inner_text().strip() == format_score(saved.oit)
    verdict = page.locator("#verdict-O11").inner_text()
    assert "http://10.0.0.1/ (ที่อยู่นี้อยู่ในเครือข่ายภายใน ไม่ตรวจให้)" in verdict and "private" not in verdict
    colour = page.get_by_test_id("verdict-O1").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(30, 122, 70)"
    desk.check("21-oit-results")
    assert not any("10.0.0.1" in host for _, host, _ in site.requests)

    pdf = download(page, f'a[href$="/oit/runs/{saved.pk}/report/pdf/"]')
    assert pdf.startswith(b"%PDF")
    (shots / "oit-report.pdf").write_bytes(pdf)
    xlsx = download(page, f'a[href$="/oit/runs/{saved.pk}/report/xlsx/"]')
    assert xlsx.startswith(b"PK\x03\x04")

    phone = Visit(phone_context(desktop.storage_state()), live_server.url, shots, "phone")
    for name, path in (("20-oit-evidence", evidence_path),
                       ("21-oit-results", f"/agencies/{agency.pk}/oit/runs/{saved.pk}/"),
                       ("22-oit-home", f"/agencies/{agency.pk}/oit/")):
        phone.page.goto(phone.url(path))
        phone.check(name)
    print(f"\nscreenshots: {shots}")
