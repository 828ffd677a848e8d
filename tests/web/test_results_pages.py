"""The results pages as an officer uses them: upload a file or fill in the ITAS-style form.

A good file or form is saved and leads to the analysis; a bad one shows what is wrong on the
same page (status 400) and writes nothing: no result set changes and no audit line appears.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.conftest import ROOT

pytestmark = pytest.mark.django_db

SEED000 = ROOT / "tests" / "data" / "seed000-2567.csv"


def seed_rows() -> list[tuple[str, str]]:
    rows = [line.split(",") for line in SEED000.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return [(code, score) for code, score in rows if code != "fiscal_year"]


def stored(world) -> tuple:
    """Every result set and audit line, to show that a refused input changed nothing."""
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.results.models import ResultSet

    return (list(ResultSet.objects.order_by("pk").values()), AuditEntry.objects.count())


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def editor(world, login):
    return login(world["users"]["editor"])


@pytest.fixture
def fresh_agency(world):
    """Agency A without its FY2567 results, so saving them is visible."""
    world["a"].result_sets.all().delete()
    return world["a"]


# --- upload -------------------------------------------------------------------------------------

def upload(client, agency, name: str, content: bytes, fiscal_year: str = ""):
    return client.post(f"/agencies/{agency.pk}/results/upload/",
                       {"file": SimpleUploadedFile(name, content), "fiscal_year": fiscal_year})


def test_uploading_seed000_leads_to_its_analysis(world, editor, fresh_agency):
    from itadesk.web.agencies.models import AuditEntry

    assert editor.get(f"/agencies/{fresh_agency.pk}/results/upload/").status_code == 200
    response = upload(editor, fresh_agency, "seed000-2567.csv", SEED000.read_bytes())
    assert response.status_code == 302
    assert response["Location"] == f"/agencies/{fresh_agency.pk}/results/2567/"
    analysis = editor.get(response["Location"])
    assert analysis.status_code == 200
    assert "๗๒.๙๗" in page_text(analysis) and "ต้องปรับปรุง" in page_text(analysis)
    assert "บันทึกผลคะแนนปีงบประมาณ ๒๕๖๗ แล้ว" in page_text(analysis)
    saved = fresh_agency.result_sets.get(fiscal_year=2567)
    assert saved.scores["ITA"] == pytest.approx(72.97) and saved.updated_by == world["users"]["editor"]
    entry = AuditEntry.objects.get(agency=fresh_agency, action="results.saved")
    assert entry.user == world["users"]["editor"] and entry.details["fiscal_year"] == 2567


def test_uploading_again_replaces_the_years_scores(world, editor):
    changed = SEED000.read_bytes().replace(b"O8,50", b"O8,100")
    assert upload(editor, world["a"], "seed000-2567.csv", changed).status_code == 302
    result_set = world["a"].result_sets.get(fiscal_year=2567)
    assert result_set.scores["O8"] == 100
    assert world["a"].result_sets.count() == 1


BAD_UPLOADS = {
    "unknown code": ("scores.csv", SEED000.read_bytes() + b"XYZ9,50\n", "",
                     ["ไม่รู้จักรหัสนี้ในเกณฑ์ปีงบประมาณ 2567", "XYZ9"]),
    "score 105": ("scores.csv", SEED000.read_bytes().replace(b"i1,95.19", b"i1,105"), "",
                  ["คะแนนของ i1 ต้องอยู่ระหว่าง 0 ถึง 100", "105"]),
    "file of another year than chosen": ("scores.csv", SEED000.read_bytes(), "2568",
                                         ["ไฟล์เป็นผลของปีงบประมาณ 2567 แต่สั่งให้ใช้ปี 2568"]),
    "year without criteria": ("scores.csv", SEED000.read_bytes().replace(b"fiscal_year,2567", b"fiscal_year,2550"),
                              "", ["ไม่มีเกณฑ์การประเมินของปีงบประมาณ 2550"]),
    "no year at all": ("scores.csv", SEED000.read_bytes().replace(b"fiscal_year,2567\n", b""), "",
                       ["ไม่ทราบปีงบประมาณ"]),
    "a FY2567 file uploaded as FY2568": ("scores.csv", SEED000.read_bytes().replace(b"fiscal_year,2567\n", b""),
                                         "2568", ["ไฟล์นี้น่าจะเป็นผลปี ๒๕๖๗"]),
    ".txt file": ("scores.txt", SEED000.read_bytes(), "", ["scores.txt: ชนิดไฟล์ไม่รองรับ"]),
    "file over 2 MB": ("big.csv", SEED000.read_bytes() + b"\n" * (2 * 1024 * 1024), "",
                       ["big.csv: ไฟล์ใหญ่เกิน 2 MB"]),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_upload_shows_the_problem_and_writes_nothing(world, editor, case):
    name, content, year, messages = BAD_UPLOADS[case]
    before = stored(world)
    response = upload(editor, world["a"], name, content, year)
    assert response.status_code == 400
    text = page_text(response)
    assert "ไฟล์มีข้อผิดพลาด ยังไม่ได้บันทึกข้อมูลใด ๆ" in text
    for message in messages:
        assert message in text, message
    assert "--year" not in text  # never a command-line flag on the web
    assert "กรุณาเลือกไฟล์อีกครั้ง" in text
    if year:  # the year chosen stays chosen
        assert f'<option value="{year}" selected>' in text
    assert stored(world) == before


def test_upload_without_a_file_asks_for_one(world, editor):
    before = stored(world)
    response = editor.post(f"/agencies/{world['a'].pk}/results/upload/", {"fiscal_year": ""})
    assert response.status_code == 400 and "กรุณาเลือกไฟล์ผลคะแนน" in page_text(response)
    assert stored(world) == before


def test_several_problems_in_one_file_are_all_listed_with_their_rows(world, editor):
    content = SEED000.read_bytes() + b"XYZ9,50\nO8,abc\n"
    content = content.replace(b"i1,95.19", b"i1,105")
    before = stored(world)
    response = upload(editor, world["a"], "scores.csv", content)
    text = page_text(response)
    assert response.status_code == 400
    assert "XYZ9" in text and "คะแนนของ i1 ต้องอยู่ระหว่าง 0 ถึง 100" in text
    assert "แถว 14" in text                               # the row of i1 in the file
    assert stored(world) == before


# --- ITAS-style form ----------------------------------------------------------------------------

def test_itas_form_saves_and_leads_to_the_analysis(world, editor, fresh_agency):
    form = editor.get(f"/agencies/{fresh_agency.pk}/results/2567/edit/")
    assert form.status_code == 200 and 'name="ITA"' in page_text(form) and 'name="O35"' in page_text(form)
    response = editor.post(f"/agencies/{fresh_agency.pk}/results/2567/edit/", dict(seed_rows()))
    assert response.status_code == 302 and response["Location"] == f"/agencies/{fresh_agency.pk}/results/2567/"
    analysis = page_text(editor.get(response["Location"]))
    assert "๗๒.๙๗" in analysis and "ต้องปรับปรุง" in analysis
    assert fresh_agency.result_sets.get(fiscal_year=2567).scores["IND9"] == 50


def test_itas_form_takes_thai_digits_and_shows_saved_values_when_reopened(world, editor, fresh_agency):
    values = dict(seed_rows())
    values["ITA"] = "๗๒.๙๗"
    assert editor.post(f"/agencies/{fresh_agency.pk}/results/2567/edit/", values).status_code == 302
    assert fresh_agency.result_sets.get(fiscal_year=2567).scores["ITA"] == pytest.approx(72.97)
    again = page_text(editor.get(f"/agencies/{fresh_agency.pk}/results/2567/edit/"))
    assert 'name="IND9" value="50' in again


def test_itas_form_errors_are_shown_and_nothing_is_saved(world, editor):
    values = dict(seed_rows())
    values.update({"i1": "105", "O8": "ห้าสิบ"})
    before = stored(world)
    response = editor.post(f"/agencies/{world['a'].pk}/results/2567/edit/", values)
    assert response.status_code == 400
    text = page_text(response)
    assert "ยังไม่ได้บันทึก: กรุณาแก้ไข" in text
    assert "คะแนนของ i1 ต้องอยู่ระหว่าง 0 ถึง 100" in text and "คะแนนของ O8 ต้องเป็นตัวเลข" in text
    assert 'name="i1" value="105"' in text and 'name="O8" value="ห้าสิบ"' in text  # kept for correcting
    assert "แบบฟอร์ม.csv" not in text
    assert stored(world) == before


def test_viewer_and_supervisor_cannot_upload_or_fill_in_the_form(world, login):
    before = stored(world)
    for who in ("viewer", "supervisor", "outsider"):
        client = login(world["users"][who])
        a = world["a"]
        assert client.get(f"/agencies/{a.pk}/results/upload/").status_code == 404
        assert upload(client, a, "seed000-2567.csv", SEED000.read_bytes()).status_code == 404
        assert client.post(f"/agencies/{a.pk}/results/2567/edit/", dict(seed_rows())).status_code == 404
    assert stored(world) == before


def test_the_upload_page_offers_the_years_results_sheet(world, editor):
    import io

    from openpyxl import load_workbook

    page = page_text(editor.get(f"/agencies/{world['a'].pk}/results/upload/"))
    assert f"/agencies/{world['a'].pk}/results/template/2567/" in page
    sheet = editor.get(f"/agencies/{world['a'].pk}/results/template/2567/")
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("fiscal_year", 2567) and any(r[0] == "O8" for r in rows)
    assert editor.get(f"/agencies/{world['a'].pk}/results/template/2550/").status_code == 404


def test_changing_the_year_keeps_the_scores_typed(world, editor):
    a = world["a"]
    typed = {"ITA": "๘๐.๕", "IIT": "90", "O1": "100", "switch_year": "2568"}
    response = editor.post(f"/agencies/{a.pk}/results/new/", {**typed})
    text = page_text(response)
    assert response.status_code == 200 and "กรอกผลคะแนนปีงบประมาณ ๒๕๖๘" in text
    assert 'name="ITA" value="๘๐.๕"' in text and 'name="IIT" value="90"' in text
    assert f'action="/agencies/{a.pk}/results/2568/edit/"' in text
    assert not a.result_sets.filter(fiscal_year=2568).exists()  # nothing saved by switching
