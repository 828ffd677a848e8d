"""The current cycle on the web: FY2569 scores with questions the criteria do not list, and a
system administrator installing a year's criteria from the sheet, with the CLI's checks."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itadesk.criteria import load_criteria
from tests.test_current_cycle import FY2569_INDICATORS

pytestmark = pytest.mark.django_db


def upload_scores(client, agency, text: str):
    return client.post(f"/agencies/{agency.pk}/results/upload/",
                       {"file": SimpleUploadedFile("fy2569.csv", text.encode()), "fiscal_year": ""})


def test_fy2569_question_scores_are_kept_with_their_indicator_and_unlabelled_ones_are_reported(world, login):
    editor = login(world["users"]["editor"])
    response = upload_scores(editor, world["a"], FY2569_INDICATORS + "i4,60,2\ni5,70\n")
    assert response.status_code == 302
    saved = world["a"].result_sets.get(fiscal_year=2569)
    assert saved.question_indicators == {"i4": 2} and "i5" not in saved.scores
    page = editor.get(response["Location"]).content.decode()
    assert "ยังไม่ได้ใช้คะแนนข้อ i5" in page and "คอลัมน์ที่สาม" in page
    # the analysis page reads the question under its indicator's theme
    assert "i๔ (" in page and "ตัวชี้วัดที่ ๙ (" in page


def sheet_bytes(client, year: int) -> bytes:
    response = client.get(f"/criteria/{year}/sheet.xlsx")
    assert response.status_code == 200
    return response.content


def as_fy2570(data: bytes, break_weight: bool = False) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    meta = wb["meta"]
    for row in meta.iter_rows(min_row=3):
        if row[0].value == "fiscal_year":
            row[2].value = 2570
        elif row[0].value == "urn":
            row[2].value = "urn:itadesk:criteria:ita:2570"
    if break_weight:
        wb["tools"]["C3"] = "สามสิบ"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_system_administrator_installs_next_years_criteria_from_the_sheet(world, login):
    admin = login(world["users"]["sysadmin"])
    assert "มากับโปรแกรม" in admin.get("/criteria/").content.decode()
    filled = as_fy2570(sheet_bytes(admin, 2569))
    response = admin.post("/criteria/import/", {"file": SimpleUploadedFile("เกณฑ์-2570.xlsx", filled)})
    assert response.status_code == 302
    assert load_criteria(2570).entry_with_function("measures_plan").code == "O25"
    assert "ติดตั้งเกณฑ์ปีงบประมาณ ๒๕๗๐ แล้ว" in admin.get("/criteria/").content.decode()


def test_a_broken_criteria_sheet_is_refused_with_sheet_row_and_column_and_nothing_is_installed(world, login):
    from itadesk.criteria import available_years

    admin = login(world["users"]["sysadmin"])
    broken = as_fy2570(sheet_bytes(admin, 2569), break_weight=True)
    response = admin.post("/criteria/import/", {"file": SimpleUploadedFile("เกณฑ์-2570.xlsx", broken)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "tools" in page and "แถว 3" in page and "weight" in page and "สามสิบ" in page
    assert 2570 not in available_years()


def test_only_system_administrators_see_the_criteria_pages(world, login, client):
    for role in ("admin", "editor", "viewer", "supervisor", "outsider"):
        user = login(world["users"][role])
        assert user.get("/criteria/").status_code == 404
        assert user.get("/criteria/2569/sheet.xlsx").status_code == 404
        assert user.post("/criteria/import/", {}).status_code == 404
    client.logout()
    assert client.get("/criteria/").status_code == 302
