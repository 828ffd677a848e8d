"""The progress sheet: a plan's progress out to XLSX, filled in by the officers, read back in."""

import datetime as dt
import io

import openpyxl
import pytest

from itadesk.agency import load_agency
from itadesk.errors import InputError
from itadesk.plan import MeasuresPlan, PlannedMeasure
from itadesk.progress import (
    CANCELLED,
    DONE,
    IN_PROGRESS,
    PROGRESS_LABEL,
    STATUSES,
    MeasureProgress,
    ProgressReport,
    ReportingRound,
    load_progress,
)
from itadesk.progress_sheet import SHEET_TITLE, read_progress_xlsx, write_progress_xlsx
from itadesk.workflow import analyze_files, prepare_measures

START = dt.date(2024, 10, 1)
ROUNDS = (ReportingRound("รอบ 6 เดือน", 6, START, dt.date(2025, 3, 31)),
          ReportingRound("รอบ 12 เดือน", 12, START, dt.date(2025, 9, 30)))
PLAN = MeasuresPlan(2567, 2568, [
    PlannedMeasure("11", 1, "จัดทำคู่มือการปฏิบัติงาน", ["ทบทวน"], "สำนักปลัด", "", ""),
    PlannedMeasure("12", 4, "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", ["เผยแพร่"], "กองคลัง", "", ""),
])


@pytest.fixture(scope="module")
def demo(request):
    root = request.config.rootpath
    package = prepare_measures(analyze_files(root / "demo" / "results-2567.yaml"),
                               load_agency(root / "demo" / "agency.yaml"))
    return package.plan, load_progress(root / "demo" / "progress-2568.yaml", package.plan)


def _progress(**entries) -> ProgressReport:
    return ProgressReport(2568, ROUNDS, {key: {p.months: p for p in reports} for key, reports in entries.items()})


def _sheet(progress: ProgressReport | None = None) -> bytes:
    return write_progress_xlsx(PLAN, progress or _progress(), "องค์การบริหารส่วนตำบลบ้านสวนหอม",
                               {"11": dt.date(2025, 3, 31)})


def _edit(data: bytes, changes: dict[int, dict[str, object]], append: list[dict[str, object]] = ()) -> bytes:
    """The sheet with cells changed as an officer would: {row number: {column title: value}}."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[SHEET_TITLE]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number, values in changes.items():
        for title, value in values.items():
            sheet.cell(number, columns[title], value)
    for values in append:
        number = sheet.max_row + 1
        for title, value in values.items():
            sheet.cell(number, columns[title], value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _problems(data: bytes, rounds=ROUNDS) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_progress_xlsx(data, "ผล.xlsx", PLAN, rounds)
    return [str(p) for p in caught.value.problems]


# --- Export ---------------------------------------------------------------------------------------

def test_the_demo_progress_comes_back_unchanged_after_export_and_import(demo):
    plan, progress = demo
    data = write_progress_xlsx(plan, progress, "องค์การบริหารส่วนตำบลบ้านสวนหอม")
    rows = read_progress_xlsx(data, "ผล.xlsx", plan, progress.rounds)
    back: dict[str, dict[int, MeasureProgress]] = {}
    for row in rows:
        back.setdefault(row.progress.measure_id, {})[row.progress.months] = row.progress
    assert back == progress.entries
    assert len(rows) == sum(len(r) for r in progress.entries.values()) > 20


def test_the_sheet_has_one_row_per_measure_and_round_with_thai_titles_and_a_status_dropdown():
    progress = _progress(**{"11": [MeasureProgress("11", 6, DONE, done="ทบทวนคู่มือ 9 เรื่อง",
                                                   evidence=["https://www.example.go.th/a", "https://www.example.go.th/b"])]})
    book = openpyxl.load_workbook(io.BytesIO(_sheet(progress)))
    sheet = book[SHEET_TITLE]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:7] == ["รหัส (ห้ามแก้)", "ประเด็น", "มาตรการ/โครงการ/กิจกรรม", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ",
                          "รอบรายงาน", "สถานะ"]
    assert {"ผลการดำเนินการ", "ผลผลิต", "ผลลัพธ์/ผลสัมฤทธิ์", "ปัญหาอุปสรรค", "ข้อเสนอแนะ", "เหตุผลที่ยกเลิก",
            "ลิงก์หลักฐาน (บรรทัดละลิงก์)"} <= set(header)
    assert len(rows) == 1 + 2 * 2
    first = dict(zip(header, rows[1], strict=True))
    assert first["รหัส (ห้ามแก้)"] == "11" and first["รอบรายงาน"] == "รอบ ๖ เดือน"
    assert first["กำหนดแล้วเสร็จ"] == "๓๑ มีนาคม ๒๕๖๘"
    assert first["ประเด็น"].startswith("๑. ")
    assert first["สถานะ"] == "ดำเนินการแล้วเสร็จ"
    assert first["ลิงก์หลักฐาน (บรรทัดละลิงก์)"] == "https://www.example.go.th/a\nhttps://www.example.go.th/b"
    # A round nobody reported stays empty: it is not a "not started" report.
    assert dict(zip(header, rows[2], strict=True))["สถานะ"] is None
    assert sheet.freeze_panes == "D2"
    assert sheet["H2"].font.name == "TH SarabunPSK" and sheet["H2"].alignment.wrap_text
    assert sheet.column_dimensions["C"].width >= 30
    (choice,) = sheet.data_validations.dataValidation
    assert choice.formula1 == '"' + ",".join(PROGRESS_LABEL[s] for s in STATUSES) + '"'
    assert str(choice.sqref) == "G2:G5"
    assert "วิธีกรอก" in book.sheetnames


def test_text_that_looks_like_a_formula_stays_text():
    progress = _progress(**{"12": [MeasureProgress("12", 12, IN_PROGRESS, done="=ร้อยละ 80", output="+5 ฉบับ")]})
    (row,) = read_progress_xlsx(_sheet(progress), "ผล.xlsx", PLAN, ROUNDS)
    assert (row.progress.done, row.progress.output) == ("=ร้อยละ 80", "+5 ฉบับ")


# --- Import ---------------------------------------------------------------------------------------

def test_an_officer_fills_rows_with_thai_labels_codes_and_thai_digits():
    data = _edit(_sheet(), {
        2: {"สถานะ": "อยู่ระหว่างดำเนินการ", "ผลการดำเนินการ": "ร่างคู่มือแล้ว 5 เรื่อง",
            "ลิงก์หลักฐาน (บรรทัดละลิงก์)": "https://www.example.go.th/a\r\nhttps://www.example.go.th/b\n"},
        5: {"รหัส (ห้ามแก้)": "๑๒", "รอบรายงาน": "รอบ ๑๒ เดือน", "สถานะ": "cancelled",
            "เหตุผลที่ยกเลิก": "โอนงานให้จังหวัด"},
    })
    rows = read_progress_xlsx(data, "ผล.xlsx", PLAN, ROUNDS)
    assert [(r.row, r.progress) for r in rows] == [
        (2, MeasureProgress("11", 6, IN_PROGRESS, done="ร่างคู่มือแล้ว 5 เรื่อง",
                            evidence=["https://www.example.go.th/a", "https://www.example.go.th/b"])),
        (5, MeasureProgress("12", 12, CANCELLED, reason="โอนงานให้จังหวัด")),
    ]


def test_rows_left_empty_are_not_reports():
    assert read_progress_xlsx(_sheet(), "ผล.xlsx", PLAN, ROUNDS) == []
    # Even with a made-up key: only what is filled in is read.
    assert read_progress_xlsx(_edit(_sheet(), {}, [{"รหัส (ห้ามแก้)": "999"}]), "ผล.xlsx", PLAN, ROUNDS) == []


def test_columns_may_be_moved_and_extra_columns_added():
    book = openpyxl.load_workbook(io.BytesIO(_sheet()))
    sheet = book[SHEET_TITLE]
    sheet.move_range("A1:A5", cols=14)        # the key column moved to the far right
    sheet.cell(1, 16, "หมายเหตุของกอง")
    sheet.cell(2, 16, "ส่งแล้ว")
    sheet.cell(2, 7, "ดำเนินการแล้วเสร็จ")
    out = io.BytesIO()
    book.save(out)
    (row,) = read_progress_xlsx(out.getvalue(), "ผล.xlsx", PLAN, ROUNDS)
    assert row.progress == MeasureProgress("11", 6, DONE)


def test_every_bad_row_is_reported_with_row_column_and_value_and_nothing_is_returned():
    data = _edit(_sheet(), {
        2: {"รหัส (ห้ามแก้)": "77", "สถานะ": "ดำเนินการแล้วเสร็จ"},
        3: {"รอบรายงาน": "รอบ 9 เดือน", "สถานะ": "ดำเนินการแล้วเสร็จ"},
        4: {"สถานะ": "เสร็จครึ่งหนึ่ง"},
        5: {"สถานะ": "ยกเลิก"},
    }, [
        {"รหัส (ห้ามแก้)": "11", "รอบรายงาน": "รอบ 12 เดือน", "สถานะ": "ดำเนินการแล้วเสร็จ",
         "ลิงก์หลักฐาน (บรรทัดละลิงก์)": "www.example.go.th/manual"},
        {"รหัส (ห้ามแก้)": "11", "รอบรายงาน": "12", "สถานะ": "done"},
        {"ผลการดำเนินการ": "แถวที่เพิ่มเอง"},
        {"รหัส (ห้ามแก้)": "12", "รอบรายงาน": "6", "ผลผลิต": "รายงาน 1 ฉบับ"},
    ])
    problems = _problems(data)
    assert problems == [
        "ผล.xlsx, แถว 2: คอลัมน์ “รหัส (ห้ามแก้)”: ไม่มีมาตรการรหัสนี้ในแผนมาตรการปีงบประมาณ 2568 "
        "(ห้ามแก้ช่องนี้ ใช้ไฟล์ที่ดาวน์โหลดจากแผนนี้) (ค่าที่พบ: '77')",
        "ผล.xlsx, แถว 3: คอลัมน์ “รอบรายงาน”: ไม่มีรอบรายงานนี้ (ใช้ได้: รอบ 6 เดือน, รอบ 12 เดือน) "
        "(ค่าที่พบ: 'รอบ 9 เดือน')",
        "ผล.xlsx, แถว 4: คอลัมน์ “สถานะ”: ไม่รู้จักสถานะนี้ (เลือกได้: ดำเนินการแล้วเสร็จ, อยู่ระหว่างดำเนินการ, "
        "ยังไม่ได้ดำเนินการ, ยกเลิก) (ค่าที่พบ: 'เสร็จครึ่งหนึ่ง')",
        "ผล.xlsx, แถว 5: คอลัมน์ “เหตุผลที่ยกเลิก”: มาตรการที่ยกเลิกต้องระบุเหตุผลที่ยกเลิก (ค่าที่พบ: 'ยกเลิก')",
        "ผล.xlsx, แถว 6: คอลัมน์ “ลิงก์หลักฐาน (บรรทัดละลิงก์)”: URL ต้องขึ้นต้นด้วย http:// หรือ https:// "
        "(กรอกบรรทัดละหนึ่งลิงก์) (ค่าที่พบ: 'www.example.go.th/manual')",
        "ผล.xlsx, แถว 7: มาตรการรหัส 11 รอบ 12 เดือน ซ้ำกับแถว 6 (หนึ่งแถวต่อหนึ่งมาตรการและรอบ "
        "ให้รวมเป็นแถวเดียว) (ค่าที่พบ: '11')",
        "ผล.xlsx, แถว 8: คอลัมน์ “รหัส (ห้ามแก้)”: ไม่มีรหัสมาตรการ: ทุกแถวที่กรอกต้องมีรหัสจากไฟล์ที่ดาวน์โหลด "
        "(เพิ่มมาตรการผ่านไฟล์นี้ไม่ได้)",
        "ผล.xlsx, แถว 8: คอลัมน์ “รอบรายงาน”: ไม่ได้ระบุรอบรายงาน (ใช้ได้: รอบ 6 เดือน, รอบ 12 เดือน)",
        "ผล.xlsx, แถว 8: คอลัมน์ “สถานะ”: ไม่ได้ระบุสถานะ แถวที่กรอกผลต้องเลือกสถานะ (ดำเนินการแล้วเสร็จ, "
        "อยู่ระหว่างดำเนินการ, ยังไม่ได้ดำเนินการ, ยกเลิก)",
        "ผล.xlsx, แถว 9: คอลัมน์ “สถานะ”: ไม่ได้ระบุสถานะ แถวที่กรอกผลต้องเลือกสถานะ (ดำเนินการแล้วเสร็จ, "
        "อยู่ระหว่างดำเนินการ, ยังไม่ได้ดำเนินการ, ยกเลิก)",
        "ผล.xlsx, แถว 9: มาตรการรหัส 12 รอบ 6 เดือน ซ้ำกับแถว 4 (หนึ่งแถวต่อหนึ่งมาตรการและรอบ "
        "ให้รวมเป็นแถวเดียว) (ค่าที่พบ: '12')",
    ]


def test_a_round_the_agency_added_is_accepted_once_it_exists():
    data = _edit(_sheet(), {3: {"รอบรายงาน": "รอบ ๙ เดือน", "สถานะ": "ดำเนินการแล้วเสร็จ"}})
    nine = ReportingRound("รอบ 9 เดือน", 9, START, dt.date(2025, 6, 30))
    (row,) = read_progress_xlsx(data, "ผล.xlsx", PLAN, (*ROUNDS, nine))
    assert (row.progress.measure_id, row.progress.months) == ("11", 9)


def test_a_file_that_is_not_xlsx_is_refused():
    assert _problems("รหัส,สถานะ\n11,done\n".encode()) == [
        "ผล.xlsx: ไม่ใช่ไฟล์ Excel .xlsx (ใช้ไฟล์ที่ดาวน์โหลดจากหน้าผลการดำเนินการ)"]
    assert _problems(b"PK\x03\x04 broken zip") == [
        "ผล.xlsx: อ่านไฟล์ XLSX ไม่ได้ (ไฟล์เสียหรือไม่ใช่ไฟล์ Excel .xlsx)"]


def test_a_workbook_without_the_progress_table_is_refused():
    book = openpyxl.Workbook()
    book.active.title = "คะแนน"
    book.active.append(["code", "score"])
    out = io.BytesIO()
    book.save(out)
    (problem,) = _problems(out.getvalue())
    assert "ไม่พบตารางผลการดำเนินการ" in problem and "“ผลการดำเนินการ”" in problem and "'คะแนน'" in problem


def test_a_sheet_missing_columns_names_them():
    book = openpyxl.load_workbook(io.BytesIO(_sheet()))
    sheet = book[SHEET_TITLE]
    sheet.delete_cols(11, 2)   # ปัญหาอุปสรรค, ข้อเสนอแนะ
    out = io.BytesIO()
    book.save(out)
    (problem,) = _problems(out.getvalue())
    assert problem.startswith("ผล.xlsx, แถว 1: แถวหัวตารางไม่มีคอลัมน์ “ปัญหาอุปสรรค”, “ข้อเสนอแนะ”")
