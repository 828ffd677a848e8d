"""Progress pages of an approved plan, as officers use them: rounds, reports, evidence files,
locking and the audited unlock, the overview's counts and deadlines, and the O35 report."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itadesk.thai import to_thai_digits
from tests.support.docx_text import docx_text
from tests.support.pdf_text import norm, pdf_text
from tests.web.conftest import on_day

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def plan(approved_plan):
    return approved_plan


def url(name: str, plan, **kwargs) -> str:
    return reverse(name, kwargs={"agency_id": plan.agency_id, "plan_year": plan.plan_year, **kwargs})


def measure_url(plan, measure, months: int = 6) -> str:
    return url("progress_measure", plan, months=months, measure_pk=measure.pk)


def report(status="done", **fields) -> dict:
    data = {"status": status, "done": "จัดอบรมเจ้าหน้าที่ ๒ ครั้ง", "output": "เจ้าหน้าที่ ๔๐ คนผ่านการอบรม",
            "outcome": "ร้องเรียนลดลงร้อยละ ๒๐", "problems": "งบประมาณจำกัด", "suggestions": "จัดอบรมออนไลน์",
            "reason": "", "links": "https://www.example.go.th/news/1"}
    data.update(fields)
    return data


def stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def counts() -> tuple[int, int, int]:
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.progress.models import EvidenceFile, MeasureReport

    return MeasureReport.objects.count(), EvidenceFile.objects.count(), AuditEntry.objects.count()


def text(response) -> str:
    return response.content.decode()


# --- Rounds ----------------------------------------------------------------------------------

def test_a_draft_plan_has_no_progress_yet_and_says_so(world, login):
    from itadesk.web.plans.services import create_plan
    from itadesk.web.progress.models import Round

    plan = create_plan(world["a"], 2567, world["users"]["editor"])
    client = login(world["users"]["editor"])
    page = client.get(url("progress", plan))
    assert page.status_code == 200
    assert "ยังเป็นร่าง" in text(page) and reverse("plan", args=[plan.agency_id, plan.plan_year]) in text(page)
    assert client.get(url("progress_round", plan, months=6)).url == url("progress", plan)
    assert client.post(url("progress_add_round", plan), {"months": "3"}).status_code == 302
    assert not Round.objects.exists()


def test_overview_creates_the_six_and_twelve_month_rounds_and_the_plan_page_links_to_it(world, login, plan):
    client = login(world["users"]["viewer"])
    assert url("progress", plan) in text(client.get(reverse("plan", args=[plan.agency_id, plan.plan_year])))
    page = client.get(url("progress", plan))
    assert page.status_code == 200
    rounds = [(r.months, r.name, r.ends_on) for r in plan.rounds.all()]
    assert rounds == [(6, "รอบ 6 เดือน", dt.date(2025, 3, 31)), (12, "รอบ 12 เดือน", dt.date(2025, 9, 30))]
    body = text(page)
    assert "รอบ ๖ เดือน" in body and "รอบ ๑๒ เดือน" in body
    assert url("progress_results_report", plan, months=6, fmt="pdf") in body
    assert "เพิ่มรอบรายงาน" not in body  # a viewer cannot add rounds
    # The Excel sheet: a viewer may download it, only editors are offered the import.
    assert url("progress_sheet", plan) in body and url("progress_sheet_import", plan) not in body
    editor_page = text(login(world["users"]["editor"]).get(url("progress", plan)))
    assert url("progress_sheet_import", plan) in editor_page


def test_editor_adds_a_round_once_and_it_is_audited(world, login, plan):
    from itadesk.web.agencies.models import AuditEntry

    client = login(world["users"]["editor"])
    client.get(url("progress", plan))
    response = client.post(url("progress_add_round", plan), {"months": "3"})
    assert response.status_code == 302
    added = plan.rounds.get(months=3)
    assert (added.name, added.ends_on, added.added_by_agency) == ("รอบ 3 เดือน", dt.date(2024, 12, 31), True)
    entry = AuditEntry.objects.get(action="progress.round_added")
    assert entry.user == world["users"]["editor"] and entry.details["months"] == 3
    for months in ("6", "3", "13", "x"):
        again = client.post(url("progress_add_round", plan), {"months": months})
        assert again.status_code == 400 and "ยังไม่ได้เพิ่มรอบ" in text(again)
    assert sorted(plan.rounds.values_list("months", flat=True)) == [3, 6, 12]
    viewer = login(world["users"]["viewer"])
    assert viewer.post(url("progress_add_round", plan), {"months": "9"}).status_code == 404
    assert not plan.rounds.filter(months=9).exists()


# --- Reporting -------------------------------------------------------------------------------

def test_editor_reports_a_measure_and_the_round_page_lists_it(world, login, plan):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.progress.models import MeasureReport

    measure = plan.measures.first()
    client = login(world["users"]["editor"])
    form = client.get(measure_url(plan, measure))
    assert form.status_code == 200 and 'name="files"' in text(form) and measure.name in text(form)
    response = client.post(measure_url(plan, measure), report(links="https://www.example.go.th/news/1\n\n"
                                                                     "http://example.go.th/a?b=1"))
    assert response.status_code == 302 and response.url == url("progress_round", plan, months=6)
    saved = MeasureReport.objects.get(measure=measure, round__months=6)
    assert (saved.status, saved.output, saved.updated_by) == ("done", "เจ้าหน้าที่ ๔๐ คนผ่านการอบรม",
                                                              world["users"]["editor"])
    assert saved.links == ["https://www.example.go.th/news/1", "http://example.go.th/a?b=1"]
    entry = AuditEntry.objects.get(action="progress.reported")
    assert entry.details["months"] == 6 and entry.details["status"] == "done" and measure.name in entry.summary
    round_page = text(client.get(response.url))
    assert "ดำเนินการแล้วเสร็จ" in round_page and "https://www.example.go.th/news/1" in round_page
    # Saving the same again changes nothing and writes nothing.
    before = counts()
    client.post(measure_url(plan, measure), report(links="https://www.example.go.th/news/1\nhttp://example.go.th/a?b=1"))
    assert counts() == before


@pytest.mark.parametrize("fields,message", [
    ({"status": "cancelled", "reason": "  "}, "มาตรการที่ยกเลิกต้องระบุเหตุผลที่ยกเลิก"),
    ({"links": "https://www.example.go.th/ok\nftp://files.example.go.th/x"}, "บรรทัดที่ ๒"),
    ({"links": "javascript:alert(1)"}, "ไม่ใช่ลิงก์ที่ใช้ได้"),
    ({"links": "www.example.go.th ไม่มี http"}, "ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https://"),
    ({"status": "finished"}, "ไม่รู้จักสถานะนี้"),
])
def test_a_bad_report_writes_nothing_and_says_what_to_fix(world, login, plan, media, fields, message):
    client = login(world["users"]["editor"])
    measure = plan.measures.first()
    before = counts()
    response = client.post(measure_url(plan, measure), {
        **report(**fields), "files": [SimpleUploadedFile("ok.pdf", PDF_BYTES)]})
    assert response.status_code == 400
    body = text(response)
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in body and message in body
    assert report(**fields)["done"] in body  # what was typed is kept
    assert counts() == before and stored(media) == []


def test_cancelled_with_a_reason_is_saved(world, login, plan):
    from itadesk.web.progress.models import MeasureReport

    client = login(world["users"]["editor"])
    measure = plan.measures.first()
    assert client.post(measure_url(plan, measure), report("cancelled", reason="ไม่ได้รับงบประมาณ")).status_code == 302
    assert MeasureReport.objects.get(measure=measure).reason == "ไม่ได้รับงบประมาณ"


def test_a_viewer_reads_the_report_but_cannot_post(world, login, plan):
    editor = login(world["users"]["editor"])
    measure = plan.measures.first()
    editor.post(measure_url(plan, measure), report())
    viewer = login(world["users"]["viewer"])
    page = text(viewer.get(measure_url(plan, measure)))
    assert "เจ้าหน้าที่ ๔๐ คนผ่านการอบรม" in page and 'name="files"' not in page and "อ่านอย่างเดียว" in page
    before = counts()
    assert viewer.post(measure_url(plan, measure), report(output="แก้โดยผู้อ่าน")).status_code == 403
    assert counts() == before


# --- Locking ---------------------------------------------------------------------------------

def test_a_locked_round_refuses_every_change_until_an_admin_unlocks_it_with_a_reason(world, login, plan, media):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.progress.models import EvidenceFile, MeasureReport

    editor_user, admin_user = world["users"]["editor"], world["users"]["admin"]
    editor = login(editor_user)
    measure = plan.measures.first()
    editor.post(measure_url(plan, measure), {**report(), "files": [SimpleUploadedFile("ก่อนล็อก.pdf", PDF_BYTES)]})
    evidence = EvidenceFile.objects.get()

    asked = editor.post(url("progress_lock", plan, months=6))   # measures still unreported: asked first
    total = plan.measures.count()
    assert asked.status_code == 200 and not plan.rounds.get(months=6).is_locked
    assert f"ยังไม่ได้รายงานผล {to_thai_digits(total - 1)} จาก {to_thai_digits(total)} มาตรการ" in asked.content.decode()
    assert editor.post(url("progress_lock", plan, months=6), {"confirm": "1"}).status_code == 302
    six = plan.rounds.get(months=6)
    assert six.locked_by == editor_user and six.locked_at is not None
    locked_entry = AuditEntry.objects.get(action="progress.locked")
    assert locked_entry.user == editor_user and locked_entry.details["months"] == 6
    page = text(editor.get(url("progress_round", plan, months=6)))
    assert "ล็อกแล้วโดย" in page and "ล็อกรอบนี้" not in page

    before, files_before = counts(), stored(media)
    refused = editor.post(measure_url(plan, measure), {**report(output="แก้หลังล็อก"),
                                                       "files": [SimpleUploadedFile("หลังล็อก.pdf", PDF_BYTES)]})
    assert refused.status_code == 409 and "ล็อกแล้ว" in text(refused)
    editor.post(url("progress_file_delete", plan, file_id=evidence.pk))
    assert counts() == before and stored(media) == files_before
    assert MeasureReport.objects.get().output == "เจ้าหน้าที่ ๔๐ คนผ่านการอบรม"
    assert 'name="files"' not in text(editor.get(measure_url(plan, measure)))

    # Unlocking: not by an editor, not by an admin without a reason.
    assert editor.post(url("progress_unlock", plan, months=6), {"reason": "แก้ไขตัวเลข"}).status_code == 404
    admin = login(admin_user)
    no_reason = admin.post(url("progress_unlock", plan, months=6), {"reason": " "})
    assert no_reason.status_code == 400 and "ต้องระบุเหตุผลที่ปลดล็อก" in text(no_reason)
    assert plan.rounds.get(months=6).is_locked and counts() == before

    assert admin.post(url("progress_unlock", plan, months=6), {"reason": "แก้ไขตัวเลขผลผลิต"}).status_code == 302
    assert not plan.rounds.get(months=6).is_locked
    unlocked = AuditEntry.objects.get(action="progress.unlocked")
    assert unlocked.user == admin_user and unlocked.details["reason"] == "แก้ไขตัวเลขผลผลิต"
    assert unlocked.details["previous_lock"]["locked_by"] == editor_user.username
    assert "แก้ไขตัวเลขผลผลิต" in text(admin.get(url("progress_round", plan, months=6)))
    assert editor.post(measure_url(plan, measure), report(output="แก้หลังปลดล็อก")).status_code == 302
    assert MeasureReport.objects.get().output == "แก้หลังปลดล็อก"


# --- Evidence files --------------------------------------------------------------------------

@pytest.mark.parametrize("name,data,message", [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "ชนิดไฟล์ไม่รองรับ"),
    ("บันทึก.txt", "ข้อความ".encode(), "ชนิดไฟล์ไม่รองรับ"),
    ("หลักฐาน.pdf", b"PK\x03\x04" + b"\x00" * 60, "นามสกุลไม่ตรงกับชนิดไฟล์"),
    ("หลักฐาน.pdf", b"<!doctype html><html><body>phish</body></html>", "หน้าเว็บ (HTML)"),
    ("หลักฐาน.pdf", PNG_BYTES, "ซึ่งเป็น PNG (นามสกุลไม่ตรงกับชนิดไฟล์)"),
    ("ว่าง.pdf", b"", "ไฟล์ว่างเปล่า"),
    ("ใหญ่.pdf", PDF_BYTES + b"0" * 2000, "ไฟล์ใหญ่เกินกำหนด"),
])
def test_a_refused_file_stores_nothing_not_even_the_report(world, login, plan, media, settings, name, data, message):
    settings.EVIDENCE_MAX_BYTES = 1000
    client = login(world["users"]["editor"])
    before = counts()
    response = client.post(measure_url(plan, plan.measures.first()), {
        **report(), "files": [SimpleUploadedFile("ดี.png", PNG_BYTES), SimpleUploadedFile(name, data)]})
    assert response.status_code == 400
    body = text(response)
    assert name in body and message in body and "ต้องเลือกใหม่" in body
    assert counts() == before and stored(media) == []


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(world, login, plan, media, settings):
    """Ten files at the limit plus 1 MB of form is the most a report can carry; a bigger request
    is answered 413 without parsing it, so it is never spooled to disk."""
    settings.EVIDENCE_MAX_BYTES = 1000
    client = login(world["users"]["editor"])
    before = counts()
    response = client.post(measure_url(plan, plan.measures.first()), {
        **report(), "files": [SimpleUploadedFile("ใหญ่มาก.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 20_000))]})
    assert response.status_code == 413 and "ใหญ่เกินไป" in text(response)
    assert counts() == before and stored(media) == []


@pytest.mark.parametrize("name,data,content_type", [
    ("คำสั่ง.pdf", PDF_BYTES, "application/pdf"),
    ("ภาพกิจกรรม.png", PNG_BYTES, "image/png"),
    ("ภาพ.JPG", JPEG_BYTES, "image/jpeg"),
    ("รายงาน.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_a_valid_file_is_stored_under_a_random_name_and_only_the_agency_downloads_it(
        world, login, plan, media, django_user_model, name, data, content_type):
    from itadesk.web.agencies.models import Membership
    from itadesk.web.progress.models import EvidenceFile

    client = login(world["users"]["editor"])
    response = client.post(measure_url(plan, plan.measures.first()), {
        **report(), "files": [SimpleUploadedFile(name, data, content_type="application/octet-stream")]})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.name, evidence.size, evidence.report.round.months) == (name, len(data), 6)
    (path,) = stored(media)
    assert path.read_bytes() == data and name.rsplit(".")[0] not in path.name
    assert name in text(client.get(url("progress_round", plan, months=6)))

    for user in (world["users"]["viewer"], world["users"]["supervisor"]):
        download = login(user).get(url("progress_file", plan, file_id=evidence.pk))
        assert download.status_code == 200 and download["Content-Type"] == content_type
        assert b"".join(download.streaming_content) == data
        disposition = download["Content-Disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    member_of_b = django_user_model.objects.create_user("b_editor")
    Membership.objects.create(user=member_of_b, agency=world["b"], role=Membership.EDITOR)
    for user in (world["users"]["outsider"], member_of_b):
        assert login(user).get(url("progress_file", plan, file_id=evidence.pk)).status_code == 404


def test_deleting_a_file_removes_it_and_is_audited(world, login, plan, media, django_capture_on_commit_callbacks):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.progress.models import EvidenceFile

    client = login(world["users"]["editor"])
    measure = plan.measures.first()
    client.post(measure_url(plan, measure), {**report(), "files": [SimpleUploadedFile("ลบได้.pdf", PDF_BYTES)]})
    evidence = EvidenceFile.objects.get()
    assert login(world["users"]["viewer"]).post(url("progress_file_delete", plan, file_id=evidence.pk)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world["users"]["editor"]).post(url("progress_file_delete", plan, file_id=evidence.pk))
    assert response.url == measure_url(plan, measure)
    assert not EvidenceFile.objects.exists() and stored(media) == []
    assert AuditEntry.objects.get(action="progress.file_deleted").details["file"] == "ลบได้.pdf"


def test_files_go_with_their_plan_when_it_is_deleted(world, login, plan, media, django_capture_on_commit_callbacks):
    """A system admin deleting a plan (or an agency) leaves no evidence file behind on disk."""
    client = login(world["users"]["editor"])
    client.post(measure_url(plan, plan.measures.first()), {**report(), "files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]})
    assert len(stored(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        plan.delete()
    assert stored(media) == []


# --- Overview --------------------------------------------------------------------------------

def tile(body: str, testid: str) -> str:
    start = body.index(f'data-testid="{testid}">') + len(f'data-testid="{testid}">')
    return body[start:body.index("<", start)]


def test_overview_counts_late_and_overdue_measures_and_what_is_due_soon(world, login, plan, monkeypatch):
    measures = list(plan.measures.all())
    assert len(measures) >= 5
    plan.measures.update(due_on=dt.date(2025, 9, 30))
    finished, late, soon, cancelled = measures[:4]
    for measure, due in ((finished, dt.date(2025, 1, 31)), (late, dt.date(2025, 2, 28)), (soon, dt.date(2025, 5, 1)),
                         (cancelled, dt.date(2025, 3, 1))):
        measure.due_on = due
        measure.save()
    client = login(world["users"]["editor"])
    client.post(measure_url(plan, finished), report("done"))
    client.post(measure_url(plan, late), report("in_progress"))
    client.post(measure_url(plan, cancelled), report("cancelled", reason="ยุบรวมกับมาตรการอื่น"))

    on_day(monkeypatch, dt.date(2025, 4, 15))
    body = text(client.get(url("progress", plan)))
    others = len(measures) - 3
    expected = {"done": 1, "in_progress": 1, "not_started": others, "cancelled": 1, "late": 1}
    for months in (6, 12):  # nothing reported at 12 months yet: the 6-month reports stand
        for key, value in expected.items():
            assert tile(body, f"round-{months}-{key}") == to_thai_digits(value), (months, key)
        assert tile(body, f"round-{months}-percent") == to_thai_digits(f"{100 / (len(measures) - 1):.0f}") + "%"
    overdue = body[body.index('data-testid="overdue"'):body.index('data-testid="due-soon"')]
    assert late.name in overdue and "๔๖ วัน" in overdue  # 28 Feb → 15 Apr 2025
    assert finished.name not in overdue and cancelled.name not in overdue
    due_soon = body[body.index('data-testid="due-soon"'):body.index('data-testid="round-6"')]
    assert soon.name in due_soon and late.name not in due_soon

    # In mid-March the six-month round itself closes within 30 days; the measure due on 28 Feb
    # is already late in that running round and overdue.
    on_day(monkeypatch, dt.date(2025, 3, 15))
    body = text(client.get(url("progress", plan)))
    due_soon = body[body.index('data-testid="due-soon"'):body.index('data-testid="round-6"')]
    assert "รอบ ๖ เดือน</strong> สิ้นสุดรอบรายงานวันที่ ๓๑ มีนาคม ๒๕๖๘" in due_soon
    assert tile(body, "round-6-late") == "๑"
    overdue = body[body.index('data-testid="overdue"'):body.index('data-testid="due-soon"')]
    assert late.name in overdue and "๑๕ วัน" in overdue


# --- O35 -------------------------------------------------------------------------------------

def test_o35_docx_and_pdf_hold_every_measure_and_what_was_reported(world, login, plan):
    from itadesk.web.agencies.models import AuditEntry

    measures = list(plan.measures.all())
    client = login(world["users"]["editor"])
    client.post(measure_url(plan, measures[0]), report("done", output="ผลผลิตรอบหกเดือนของมาตรการแรก"))
    client.post(measure_url(plan, measures[1]), report("cancelled", reason="ไม่ได้รับจัดสรรงบประมาณ",
                                                       done="", output="", outcome=""))
    viewer = login(world["users"]["viewer"])
    docx = viewer.get(url("progress_results_report", plan, months=6, fmt="docx"))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="results-report-2568-6m.docx"' in docx["Content-Disposition"]
    pdf = viewer.get(url("progress_results_report", plan, months=6, fmt="pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    for body in (norm(docx_text(docx.content)), norm(pdf_text(pdf.content))):
        for measure in measures:
            assert norm(to_thai_digits(measure.name)) in body, measure.name
        for reported in ("ผลผลิตรอบหกเดือนของมาตรการแรก", "ร้องเรียนลดลงร้อยละ๒๐", "ไม่ได้รับจัดสรรงบประมาณ",
                         "รอบ๖เดือน"):
            assert reported in body, reported
    assert AuditEntry.objects.filter(action="progress.downloaded").count() == 2
    assert viewer.get(url("progress_results_report", plan, months=6, fmt="xlsx")).status_code == 404
    assert viewer.get(url("progress_results_report", plan, months=9, fmt="pdf")).status_code == 404
