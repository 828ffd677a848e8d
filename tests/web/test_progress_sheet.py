"""The progress sheet pages: download a plan's progress as XLSX, fill it in, import it back.

A viewer downloads; only an editor imports. A bad sheet, or one that would change a locked round,
shows which row, column and value are wrong (status 400) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from itadesk.progress import CANCELLED, DONE, IN_PROGRESS
from itadesk.progress_sheet import SHEET_TITLE
from itadesk.thai import thai_date

pytestmark = pytest.mark.django_db

LINK_COLUMN = "ลิงก์หลักฐาน (บรรทัดละลิงก์)"


@pytest.fixture
def plan(approved_plan):
    from itadesk.web.progress.services import ensure_rounds

    ensure_rounds(approved_plan)
    return approved_plan


def url(plan, name: str = "sheet/") -> str:
    return f"/agencies/{plan.agency_id}/plans/{plan.plan_year}/progress/{name}"


def measures(plan) -> list:
    return list(plan.measures.order_by("theme", "order", "id"))


def report(plan, measure, months: int, **values):
    from itadesk.web.progress.models import MeasureReport

    return MeasureReport.objects.create(round=plan.rounds.get(months=months), measure=measure, **values)


def stored() -> tuple:
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.progress.models import MeasureReport

    return list(MeasureReport.objects.order_by("pk").values()), AuditEntry.objects.count()


def download(client, plan) -> bytes:
    response = client.get(url(plan))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return response.content


def rows_of(data: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[SHEET_TITLE]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def filled(data: bytes, changes: dict[tuple[str, str], dict[str, object]]) -> SimpleUploadedFile:
    """The downloaded sheet with {(key, round name): {column title: value}} filled in."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[SHEET_TITLE]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number in range(2, sheet.max_row + 1):
        which = (sheet.cell(number, columns["รหัส (ห้ามแก้)"]).value, sheet.cell(number, columns["รอบรายงาน"]).value)
        for title, value in changes.get(which, {}).items():
            sheet.cell(number, columns[title], value)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("ผลการดำเนินการ.xlsx", out.getvalue())


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_viewer_downloads_every_measure_and_round_with_what_was_reported(world, login, plan):
    first = measures(plan)[0]
    report(plan, first, 6, status=IN_PROGRESS, done="ร่างคู่มือแล้ว", links=["https://www.example.go.th/a"])
    client = login(world["users"]["viewer"])
    rows = rows_of(download(client, plan))
    assert client.post(url(plan)).status_code == 405   # a download, nothing to post
    assert len(rows) == plan.measures.count() * 2
    row = rows[0]
    assert (row["รหัส (ห้ามแก้)"], row["รอบรายงาน"], row["มาตรการ/โครงการ/กิจกรรม"]) == (
        str(first.pk), "รอบ ๖ เดือน", first.name)
    assert (row["สถานะ"], row["ผลการดำเนินการ"], row[LINK_COLUMN]) == (
        "อยู่ระหว่างดำเนินการ", "ร่างคู่มือแล้ว", "https://www.example.go.th/a")
    assert rows[1]["สถานะ"] is None   # not reported for 12 months
    assert first.due_on and row["กำหนดแล้วเสร็จ"] == thai_date(first.due_on)


def test_a_viewer_cannot_import(world, login, plan):
    client = login(world["users"]["viewer"])
    data = download(client, plan)
    key = str(measures(plan)[0].pk)
    before = stored()
    assert client.get(url(plan, "sheet/import/")).status_code == 404
    upload = filled(data, {(key, "รอบ ๖ เดือน"): {"สถานะ": "ดำเนินการแล้วเสร็จ"}})
    assert client.post(url(plan, "sheet/import/"), {"file": upload}).status_code == 404
    assert stored() == before


def test_an_editor_imports_a_filled_sheet_and_it_is_audited(world, login, plan):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.progress.models import MeasureReport

    client = login(world["users"]["editor"])
    first, second = measures(plan)[:2]
    report(plan, first, 6, status=IN_PROGRESS, done="ร่างคู่มือแล้ว", links=["https://www.example.go.th/old"])
    upload = filled(download(client, plan), {
        (str(first.pk), "รอบ ๖ เดือน"): {"สถานะ": "ดำเนินการแล้วเสร็จ", "ผลผลิต": "คู่มือ 9 เรื่อง",
                                         LINK_COLUMN: "https://www.example.go.th/a\nhttps://www.example.go.th/b"},
        (str(second.pk), "รอบ ๑๒ เดือน"): {"สถานะ": "ยกเลิก", "เหตุผลที่ยกเลิก": "โอนภารกิจให้จังหวัด"},
    })
    assert client.get(url(plan, "sheet/import/")).status_code == 200
    response = client.post(url(plan, "sheet/import/"), {"file": upload})
    assert response.status_code == 302, page_text(response)
    updated = MeasureReport.objects.get(measure=first, round__months=6)
    assert (updated.status, updated.done, updated.output, updated.links) == (
        DONE, "ร่างคู่มือแล้ว", "คู่มือ 9 เรื่อง", ["https://www.example.go.th/a", "https://www.example.go.th/b"])
    assert updated.updated_by == world["users"]["editor"]
    created = MeasureReport.objects.get(measure=second, round__months=12)
    assert (created.status, created.reason) == (CANCELLED, "โอนภารกิจให้จังหวัด")
    assert MeasureReport.objects.count() == 2   # the rows left empty created nothing
    entry = AuditEntry.objects.filter(action="progress.imported").get()
    assert entry.user == world["users"]["editor"] and entry.details["created"] == 1 and entry.details["updated"] == 1
    assert "ผลการดำเนินการ.xlsx" in entry.summary


def test_importing_the_sheet_as_downloaded_changes_nothing(world, login, plan):
    client = login(world["users"]["editor"])
    report(plan, measures(plan)[0], 6, status=DONE, done="เสร็จ", links=["https://www.example.go.th/a"])
    before = stored()
    upload = SimpleUploadedFile("ผล.xlsx", download(client, plan))
    response = client.post(url(plan, "sheet/import/"), {"file": upload}, follow=True)
    assert "ไม่มีการเปลี่ยนแปลง" in page_text(response)
    assert stored() == before


def test_a_bad_sheet_writes_nothing_and_names_the_row_column_and_value(world, login, plan):
    client = login(world["users"]["editor"])
    first, second = measures(plan)[:2]
    upload = filled(download(client, plan), {
        (str(first.pk), "รอบ ๖ เดือน"): {"สถานะ": "ดำเนินการแล้วเสร็จ", "ผลผลิต": "คู่มือ 9 เรื่อง"},
        (str(second.pk), "รอบ ๖ เดือน"): {"สถานะ": "เสร็จแล้วมั้ง"},
    })
    before = stored()
    response = client.post(url(plan, "sheet/import/"), {"file": upload})
    assert response.status_code == 400
    text = page_text(response)
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in text
    assert "ผลการดำเนินการ.xlsx, แถว 4: คอลัมน์ “สถานะ”: ไม่รู้จักสถานะนี้" in text and "'เสร็จแล้วมั้ง'" in text
    assert stored() == before


def test_a_locked_round_refuses_changes_but_accepts_its_rows_unchanged(world, login, plan):
    client = login(world["users"]["editor"])
    first, second = measures(plan)[:2]
    report(plan, first, 6, status=DONE, done="เสร็จ")
    data = download(client, plan)
    plan.rounds.filter(months=6).update(locked_at=timezone.now(), locked_by=world["users"]["admin"])
    before = stored()
    upload = filled(data, {(str(first.pk), "รอบ ๖ เดือน"): {"ผลผลิต": "เพิ่มหลังล็อก"},
                           (str(second.pk), "รอบ ๑๒ เดือน"): {"สถานะ": "อยู่ระหว่างดำเนินการ"}})
    response = client.post(url(plan, "sheet/import/"), {"file": upload})
    assert response.status_code == 400
    assert "แถว 2: รอบ 6 เดือน ล็อกแล้ว จึงแก้ผลการดำเนินการของรอบนี้ผ่านไฟล์ไม่ได้" in page_text(response)
    assert stored() == before   # not even the 12-month row, which alone was fine
    unchanged = filled(data, {(str(second.pk), "รอบ ๑๒ เดือน"): {"สถานะ": "อยู่ระหว่างดำเนินการ"}})
    assert client.post(url(plan, "sheet/import/"), {"file": unchanged}).status_code == 302
    assert second.reports.get().status == IN_PROGRESS


@pytest.mark.parametrize("name, content, message", [
    ("ผล.pdf", b"%PDF-1.7 ...", "ชนิดไฟล์ไม่รองรับ ใช้ไฟล์ Excel .xlsx"),
    ("ผล.xlsx", b"%PDF-1.7 renamed", "ไม่ใช่ไฟล์ Excel .xlsx"),
    ("ผล.xlsx", b"PK\x03\x04" + b"0" * (2 * 1024 * 1024), "ไฟล์ใหญ่เกิน 2 MB"),
])
def test_wrong_or_oversized_files_are_refused(world, login, plan, name, content, message):
    client = login(world["users"]["editor"])
    before = stored()
    response = client.post(url(plan, "sheet/import/"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in page_text(response)
    assert stored() == before


def test_a_draft_plan_has_no_progress_sheet_yet(world, login):
    from itadesk.web.plans.services import create_plan

    draft = create_plan(world["a"], 2567, world["users"]["editor"])
    response = login(world["users"]["editor"]).get(url(draft))
    assert response.status_code == 302 and response["Location"].endswith(url(draft, ""))


def test_another_agencys_sheet_is_not_found(world, login):
    from itadesk.web.plans.services import approve_plan, create_plan

    sysadmin = world["users"]["sysadmin"]
    foreign = create_plan(world["b"], 2567, sysadmin)
    foreign = approve_plan(foreign, foreign.version, "ผู้อนุมัติ", dt.date(2024, 10, 15), sysadmin)
    client = login(world["users"]["editor"])
    before = stored()
    assert client.get(url(foreign)).status_code == 404
    assert client.get(url(foreign, "sheet/import/")).status_code == 404
    upload = SimpleUploadedFile("ผล.xlsx", download(login(sysadmin), foreign))
    client = login(world["users"]["editor"])
    assert client.post(url(foreign, "sheet/import/"), {"file": upload}).status_code == 404
    assert stored() == before
