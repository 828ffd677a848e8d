"""The OIT self-check pages: the evidence register (form, XLSX import, template), the check against a
local evidence website on 127.0.0.1 (the only network the tests allow), the results and the reports.

A bad form or file shows what is wrong (status 400) and writes nothing. The check is POST-only at
edit level; a viewer reads the results but cannot save or run (404). A private address
(http://10.0.0.1/) is refused and reported, and no connection to it is ever attempted.
"""

from __future__ import annotations

import io
import ipaddress

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_oit_support import EvidenceSite, attempts, no_dns  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

FY = 2568



@pytest.fixture
def site():
    with EvidenceSite(big_bytes=300_000, slow_seconds=1.0) as s:
        yield s


@pytest.fixture
def loopback_only(settings):
    settings.ITADESK_OIT_ALLOWED_NETWORKS = "127.0.0.1/32"



@pytest.fixture
def editor(world, login):
    return login(world["users"]["editor"])


def base(world) -> str:
    return f"/agencies/{world['a'].pk}/oit"


def stored() -> tuple:
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.oit.models import CheckRunRecord, EvidenceEntry

    return (list(EvidenceEntry.objects.order_by("pk").values()), CheckRunRecord.objects.count(),
            AuditEntry.objects.count())


def text(response) -> str:
    return response.content.decode()


def set_evidence(agency, links: dict[str, list[str]]):
    from itadesk.web.oit.models import EvidenceEntry

    EvidenceEntry.objects.filter(agency=agency, fiscal_year=FY).delete()
    for code, urls in links.items():
        EvidenceEntry.objects.create(agency=agency, fiscal_year=FY, code=code, urls=urls)


# --- the register form -----------------------------------------------------------------------

def test_register_form_lists_every_o_item_and_saves_with_an_audit_line(world, editor):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.oit.models import EvidenceEntry

    page = editor.get(f"{base(world)}/{FY}/evidence/")
    assert page.status_code == 200
    body = text(page)
    assert "O1 โครงสร้างและอำนาจหน้าที่" in body and 'name="url-O26-5"' in body and 'name="note-O26"' in body
    response = editor.post(f"{base(world)}/{FY}/evidence/", {
        "url-O1-1": "https://www.bansuanhom.go.th/structure", "url-O1-3": " https://www.bansuanhom.go.th/chart ",
        "url-O1-2": "https://www.bansuanhom.go.th/structure",          # a duplicate is kept once
        "note-O1": "ผังใหม่", "note-O2": "ยังไม่มี",
    })
    assert response.status_code == 302 and response["Location"].endswith(f"/oit/{FY}/evidence/")
    o1 = EvidenceEntry.objects.get(agency=world["a"], fiscal_year=FY, code="O1")
    assert o1.urls == ["https://www.bansuanhom.go.th/structure", "https://www.bansuanhom.go.th/chart"]
    assert o1.note == "ผังใหม่" and o1.updated_by == world["users"]["editor"]
    assert EvidenceEntry.objects.get(code="O2").urls == []
    entry = AuditEntry.objects.get(action="oit.evidence_saved")
    assert entry.user == world["users"]["editor"] and entry.details["codes"] == ["O1", "O2"]
    assert "https://www.bansuanhom.go.th/chart" in text(editor.get(f"{base(world)}/{FY}/evidence/"))

    # Emptying an item removes it; saving the same values again writes no audit line.
    editor.post(f"{base(world)}/{FY}/evidence/", {"url-O1-1": "https://www.bansuanhom.go.th/structure"})
    assert list(EvidenceEntry.objects.values_list("code", flat=True)) == ["O1"]
    audits = AuditEntry.objects.count()
    editor.post(f"{base(world)}/{FY}/evidence/", {"url-O1-1": "https://www.bansuanhom.go.th/structure"})
    assert AuditEntry.objects.count() == audits


def test_register_form_errors_are_shown_and_nothing_is_written(world, editor):
    set_evidence(world["a"], {"O1": ["https://www.bansuanhom.go.th/old"]})
    before = stored()
    response = editor.post(f"{base(world)}/{FY}/evidence/", {
        "url-O1-1": "https://www.bansuanhom.go.th/new",
        "url-O2-1": "ftp://www.bansuanhom.go.th/file",
        "url-O3-2": "javascript:alert(1)",
        "url-O4-1": "https://www.bans uanhom.go.th/",
        "url-O5-1": "https://user:secret@www.bansuanhom.go.th/",
        "note-O6": "ก" * 1001,
        "note-O7": "<script>alert(1)</script>",
    })
    assert response.status_code == 400
    body = text(response)
    assert "ยังไม่ได้บันทึก" in body
    for expected in ("ข้อ O2: ลิงก์ที่ 1: URL ต้องขึ้นต้นด้วย http:// หรือ https://",
                     "ข้อ O3: ลิงก์ที่ 2: URL ต้องขึ้นต้นด้วย", "ข้อ O4: ลิงก์ที่ 1: URL มีช่องว่าง",
                     "ข้อ O5: ลิงก์ที่ 1: URL ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน", "ข้อ O6: หมายเหตุยาวเกิน"):
        assert expected in body, expected
    assert 'value="https://www.bansuanhom.go.th/new"' in body      # what was typed stays in the form
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body   # escaped, kept
    assert stored() == before


# --- XLSX import and template ----------------------------------------------------------------

def xlsx(rows: list[list]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, world, name: str, data: bytes):
    return client.post(f"{base(world)}/{FY}/evidence/import/", {"file": SimpleUploadedFile(name, data)})


def test_template_download_and_import_replace_the_register(world, editor):
    import openpyxl

    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.oit.models import EvidenceEntry

    set_evidence(world["a"], {"O1": ["https://www.bansuanhom.go.th/o1"], "O2": ["https://www.bansuanhom.go.th/o2"]})
    response = editor.get(f"{base(world)}/{FY}/evidence/template/")
    assert response.status_code == 200 and response.content.startswith(b"PK\x03\x04")
    assert f"oit-evidence-{FY}.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    assert rows["O1"][1] == "https://www.bansuanhom.go.th/o1" and "O26" in rows
    # fill in the template: O1 gets a second link, O2 is cleared, O3 gets a link and a note
    for row in sheet.iter_rows(min_row=1):
        if row[0].value == "O1":
            row[2].value = "https://www.bansuanhom.go.th/o1-b"
        elif row[0].value == "O2":
            row[1].value = None
        elif row[0].value == "O3":
            row[1].value, row[6].value = "https://www.bansuanhom.go.th/contact", "โทร ๐๔๓"
    out = io.BytesIO()
    book.save(out)
    response = upload(editor, world, "หลักฐาน.xlsx", out.getvalue())
    assert response.status_code == 302, text(response)
    got = {e.code: (e.urls, e.note) for e in EvidenceEntry.objects.filter(agency=world["a"], fiscal_year=FY)}
    assert got == {"O1": (["https://www.bansuanhom.go.th/o1", "https://www.bansuanhom.go.th/o1-b"], ""),
                   "O3": (["https://www.bansuanhom.go.th/contact"], "โทร ๐๔๓")}
    entry = AuditEntry.objects.get(action="oit.evidence_imported")
    assert entry.details["source"] == "หลักฐาน.xlsx" and set(entry.details["codes"]) == {"O1", "O2", "O3"}


@pytest.mark.parametrize("name, data, expected", [
    ("links.csv", b"O1,https://x.go.th/\n", "ชนิดไฟล์ไม่รองรับ"),
    ("links.xlsx", b"this is not a spreadsheet", "ไม่ใช่ไฟล์ Excel"),
    ("links.xlsx", b"PK\x03\x04" + b"\0" * 100, "อ่านไฟล์ XLSX ไม่ได้"),
    ("links.xlsx", b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024 + 10), "ไฟล์ใหญ่เกิน 2 MB"),
    ("links.xlsx", xlsx([["ปีงบประมาณ", FY], ["O1", "ftp://x.go.th/"], ["O99", "https://x.go.th/"],
                         ["X1", "https://x.go.th/"]]), "ข้อ O1: URL ต้องขึ้นต้นด้วย"),
    ("links.xlsx", xlsx([["ปีงบประมาณ", FY], ["O1", *[f"https://x.go.th/{i}" for i in range(3)]],
                         ["O1", *[f"https://x.go.th/{i}" for i in range(3, 6)]]]),
     "ไม่เกิน 5 ลิงก์"),
    ("links.xlsx", xlsx([["ปีงบประมาณ", 2567], ["O1", "https://x.go.th/"]]), "ไฟล์เป็นของปีงบประมาณ 2567"),
])
def test_import_errors_are_reported_and_nothing_is_written(world, editor, name, data, expected):
    set_evidence(world["a"], {"O1": ["https://www.bansuanhom.go.th/o1"]})
    before = stored()
    response = upload(editor, world, name, data)
    assert response.status_code == 400
    body = text(response)
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in body and expected in body, body[-1500:]
    assert stored() == before


def test_import_reports_every_problem_with_its_row(world, editor):
    data = xlsx([["ปีงบประมาณ", FY], ["O1", "ftp://x.go.th/"], ["O99", "https://x.go.th/"], ["X1", "https://x.go.th/"]])
    body = text(upload(editor, world, "links.xlsx", data))
    assert "links.xlsx, แถว 2: ข้อ O1: URL ต้องขึ้นต้นด้วย" in body
    assert "links.xlsx, แถว 3: ไม่มีข้อ O99 ในเกณฑ์ปี 2568" in body
    assert "links.xlsx, แถว 4: รหัสข้อต้องเป็นข้อ OIT" in body


# --- the check -------------------------------------------------------------------------------

def through_job(client, response):
    """A check starts a job (run here inline, see conftest) and answers with its page, which sends
    a finished check on to the run's page: that redirect, or ``response`` if no job was started."""
    if response.status_code == 302 and "/jobs/" in response["Location"]:
        return client.get(response["Location"])
    return response


def run_check(client, world):
    return through_job(client, client.post(f"{base(world)}/{FY}/check/"))


def test_check_runs_against_the_local_site_and_shows_verdicts_scores_and_changes(
        world, editor, site, loopback_only, attempts):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.oit.models import CheckRunRecord

    agency = world["a"]
    agency.website = site.base
    agency.save()
    set_evidence(agency, {
        "O1": [site.url("/good.html")],                   # pass
        "O3": [site.url("/missing")],                     # HTTP 404: fail
        "O4": [site.url("/old-year.html")],               # news of FY2566 only: doubtful
        "O11": ["http://10.0.0.1/"],                      # private: refused, never fetched
        "O27": [site.url("/plan-2568.pdf")],              # PDF with the year: pass
    })
    response = run_check(editor, world)
    assert response.status_code == 302
    saved = CheckRunRecord.objects.get()
    assert response["Location"] == f"{base(world)}/runs/{saved.pk}/"
    assert saved.started_by == world["users"]["editor"] and saved.urls == 5
    assert set(attempts) == {"127.0.0.1"}                              # 10.0.0.1 was never contacted
    assert not any("10.0.0.1" in host for _, host, _ in site.requests)
    prediction = saved.oit_prediction()
    verdicts = {i.code: i.verdict for i in prediction.items}
    assert (verdicts["O1"], verdicts["O3"], verdicts["O4"], verdicts["O11"], verdicts["O27"]) == \
        ("pass", "fail", "doubtful", "fail", "pass")
    refused = prediction.item("O11")
    assert "10.0.0.1" in refused.reasons[0] and "ถูกปฏิเสธ" in refused.reasons[0]
    audit = AuditEntry.objects.get(action="oit.checked")
    assert audit.details["run_id"] == saved.pk

    page = editor.get(response["Location"])
    assert page.status_code == 200
    body = text(page)
    assert 'data-testid="oit-score"' in body and f">{format_th(prediction.oit)}<" in body
    assert 'data-testid="indicator-9"' in body and 'data-testid="indicator-10"' in body
    assert 'class="verdict verdict-pass" data-testid="verdict-O1">ผ่าน<' in body
    assert 'class="verdict verdict-doubtful" data-testid="verdict-O4">ไม่แน่ใจ<' in body
    assert 'class="verdict verdict-fail" data-testid="verdict-O11">ไม่ผ่าน<' in body
    assert "http://10.0.0.1/ (ที่อยู่นี้อยู่ในเครือข่ายภายใน ไม่ตรวจให้)" in body and "เปิดไม่ได้ (รหัสตอบกลับ 404)" in body
    assert 'data-testid="fix-first"' in body and "นี่คือการตรวจครั้งแรกของปีนี้" in body

    # Fix O3 and O4, check again: the page shows what changed since the previous run.
    set_evidence(agency, {"O1": [site.url("/good.html")], "O3": [site.url("/good.html")],
                          "O4": [site.url("/tis620.html")], "O11": ["http://10.0.0.1/"],
                          "O27": [site.url("/plan-2568.pdf")]})
    second = run_check(editor, world)
    latest = CheckRunRecord.objects.first()
    assert latest.pk != saved.pk and latest.oit > saved.oit
    assert latest.previous() == saved
    body = text(editor.get(second["Location"]))
    assert "สิ่งที่เปลี่ยนไปจากการตรวจครั้งก่อน" in body
    assert "<strong>O3</strong> ไม่ผ่าน → " in body and "<strong>O4</strong> ไม่แน่ใจ → " in body
    assert set(attempts) == {"127.0.0.1"}

    # Reports of the stored run.
    xlsx_report = editor.get(f"{base(world)}/runs/{saved.pk}/report/xlsx/")
    assert xlsx_report.status_code == 200 and xlsx_report.content.startswith(b"PK\x03\x04")
    pdf = editor.get(f"{base(world)}/runs/{saved.pk}/report/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf.content.rstrip().endswith(b"%%EOF")
    assert editor.get(f"{base(world)}/runs/{saved.pk}/report/docx/").status_code == 404


def format_th(value: float) -> str:
    from itadesk.thai import format_score

    return format_score(value)


def test_without_the_setting_only_public_addresses_are_allowed(world, editor, site, settings, attempts):
    settings.ITADESK_OIT_ALLOWED_NETWORKS = ""
    agency = world["a"]
    agency.website = site.base
    agency.save()
    set_evidence(agency, {"O1": [site.url("/good.html")]})
    assert run_check(editor, world).status_code == 302
    from itadesk.web.oit.models import CheckRunRecord

    check = CheckRunRecord.objects.get().check_run().checks[0]
    assert check.outcome == "refused" and check.detail == "ที่อยู่นี้อยู่ในเครือข่ายภายใน ไม่ตรวจให้"
    assert "127.0.0.1" not in check.detail and "loopback" not in check.detail
    assert attempts == [] and site.requests == []


def test_the_check_button_saves_the_links_typed_first(world, editor, site, loopback_only):
    from itadesk.web.oit.models import CheckRunRecord, EvidenceEntry

    agency = world["a"]
    agency.website = site.base
    agency.save()
    response = through_job(editor, editor.post(f"{base(world)}/{FY}/evidence/",
                                               {"url-O1-1": site.url("/good.html"), "then": "check"}))
    saved = CheckRunRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{base(world)}/runs/{saved.pk}/"
    assert EvidenceEntry.objects.get(agency=agency, fiscal_year=FY, code="O1").urls == [site.url("/good.html")]
    assert saved.urls == 1
    # A bad link typed: nothing saved, nothing checked, the page says what is wrong.
    refused = editor.post(f"{base(world)}/{FY}/evidence/", {"url-O1-1": "ftp://x", "then": "check"})
    assert refused.status_code == 400 and CheckRunRecord.objects.count() == 1
    assert 'value="ftp://x"' in text(refused)


def test_check_needs_a_post_links_a_website_and_a_valid_setting(world, editor, site, settings):
    settings.ITADESK_OIT_ALLOWED_NETWORKS = "127.0.0.1/32"
    from itadesk.web.oit.models import CheckRunRecord

    assert editor.get(f"{base(world)}/{FY}/check/").status_code == 405
    response = run_check(editor, world)                      # no links yet
    assert response.status_code == 302 and response["Location"].endswith(f"/oit/{FY}/evidence/")
    assert "ยังไม่มีลิงก์หลักฐาน" in text(editor.get(response["Location"]))
    set_evidence(world["a"], {"O1": [site.url("/good.html")]})
    world["a"].website = ""
    world["a"].save()
    response = run_check(editor, world)
    assert "ยังไม่ได้ระบุเว็บไซต์หลัก" in text(editor.get(response["Location"]))
    world["a"].website = site.base
    world["a"].save()
    settings.ITADESK_OIT_ALLOWED_NETWORKS = "127.0.0.1/32, not-a-network"
    response = run_check(editor, world)
    assert "ตั้งค่า ITADESK_OIT_ALLOWED_NETWORKS ไม่ถูกต้อง" in text(editor.get(response["Location"]))
    assert CheckRunRecord.objects.count() == 0 and site.requests == []
    assert editor.get(f"{base(world)}/2500/evidence/").status_code == 404   # no criteria for that year


def test_viewer_reads_results_but_cannot_save_import_or_run(world, login, site, loopback_only, attempts):
    from itadesk.web.oit.models import CheckRunRecord

    agency = world["a"]
    agency.website = site.base
    agency.save()
    set_evidence(agency, {"O1": [site.url("/good.html")]})
    editor = login(world["users"]["editor"])
    run_check(editor, world)
    saved = CheckRunRecord.objects.get()
    requests_before = len(site.requests)

    viewer = login(world["users"]["viewer"])
    page = viewer.get(f"{base(world)}/runs/{saved.pk}/")
    assert page.status_code == 200 and "ผลรายข้อ" in text(page)
    assert "ตรวจสอบอีกครั้ง" not in text(page) and "แก้ไขลิงก์หลักฐาน" not in text(page)
    assert viewer.get(f"{base(world)}/").status_code == 200
    assert viewer.get(f"{base(world)}/runs/{saved.pk}/report/pdf/").content.startswith(b"%PDF")
    before = stored()
    assert viewer.get(f"{base(world)}/{FY}/evidence/").status_code == 404
    assert viewer.post(f"{base(world)}/{FY}/evidence/", {"url-O1-1": "https://x.go.th/"}).status_code == 404
    assert upload(viewer, world, "l.xlsx", xlsx([["O1", "https://x.go.th/"]])).status_code == 404
    assert run_check(viewer, world).status_code == 404
    assert stored() == before and len(site.requests) == requests_before

    # Another agency's run is not found, even through agency A's URL.
    other = CheckRunRecord.objects.create(agency=world["b"], fiscal_year=FY, started_at=saved.started_at,
                                          finished_at=saved.finished_at, run=saved.run, prediction=saved.prediction)
    assert editor.get(f"{base(world)}/runs/{other.pk}/").status_code == 404
    assert editor.get(f"{base(world)}/runs/{other.pk}/report/xlsx/").status_code == 404


def test_the_allowed_networks_setting_may_name_ports(settings):
    from itadesk.web.oit.services import network_policy

    settings.ITADESK_OIT_ALLOWED_NETWORKS = "127.0.0.1/32:8080, 10.0.0.0/8"
    policy = network_policy()
    assert policy.refusal(ipaddress.ip_address("127.0.0.1"), 8080) is None
    assert policy.refusal(ipaddress.ip_address("127.0.0.1"), 8081) is not None
    assert policy.refusal(ipaddress.ip_address("10.1.1.1"), 22) is None
