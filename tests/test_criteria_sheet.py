"""Criteria edited in Excel: export, import back, install — and the messages when a cell is wrong."""

from pathlib import Path

import openpyxl
import pytest
import yaml

from itadesk.criteria import available_years, load_criteria
from itadesk.criteria.loader import DATA_DIR, forget_loaded_criteria
from itadesk.criteria.sheet import (
    SHEET_ORDER,
    criteria_to_raw,
    export_criteria_xlsx,
    import_criteria_xlsx,
    install_criteria,
)
from itadesk.errors import InputError


@pytest.fixture
def user_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "user-criteria"
    monkeypatch.setenv("ITADESK_CRITERIA_DIR", str(folder))
    forget_loaded_criteria()
    return folder


def exported(tmp_path, year=2567) -> Path:
    return export_criteria_xlsx(load_criteria(year), tmp_path / f"ita-{year}.xlsx")


def edit(path: Path, sheet: str, row: int, key: str, value) -> None:
    """Set the cell of column `key` (read from the key row) like an officer typing in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    keys = [c.value for c in ws[2]]
    ws.cell(row=row, column=keys.index(key) + 1, value=value)
    wb.save(path)


def row_of(path: Path, sheet: str, first_cell) -> int:
    ws = openpyxl.load_workbook(path)[sheet]
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == first_cell)


def messages_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        import_criteria_xlsx(path)
    return [str(p) for p in caught.value.problems]


# --- round trip ---------------------------------------------------------------------------


def test_round_trip_through_xlsx_keeps_every_item(tmp_path):
    original = load_criteria(2567)
    back = import_criteria_xlsx(exported(tmp_path))
    assert back == original
    assert [e.code for e in back.entries] == [e.code for e in original.entries]
    assert back.entry_by_code["i3"].reversed and back.entry_by_code["i3"].text == original.entry_by_code["i3"].text


@pytest.mark.parametrize("year", [2568, 2569])
def test_round_trip_keeps_unknown_names_notes_and_statuses_of_draft_years(tmp_path, year):
    original = load_criteria(year)
    back = import_criteria_xlsx(exported(tmp_path, year))
    assert back == original
    assert back.raw == original.raw  # meta note, item notes, theme statuses, sources too


def test_a_workbook_exported_before_the_sources_columns_existed_still_imports(tmp_path):
    path = exported(tmp_path, 2569)
    wb = openpyxl.load_workbook(path)
    del wb["sources"]
    for sheet in ("items", "indicators", "tools"):
        ws = wb[sheet]
        for col in range(ws.max_column, 0, -1):
            if ws.cell(row=2, column=col).value in ("sources", "covers", "topic") and sheet != "items":
                ws.delete_cols(col)
            elif sheet == "items" and ws.cell(row=2, column=col).value in ("sources", "covers"):
                ws.delete_cols(col)
    wb.save(path)
    back = import_criteria_xlsx(path)
    assert back.entry_by_code["O25"].name == load_criteria(2569).entry_by_code["O25"].name
    assert back.sources == {} and back.entry_by_code["O12"].covers is None


def test_workbook_has_one_sheet_per_part_with_thai_headers_and_english_keys(tmp_path):
    wb = openpyxl.load_workbook(exported(tmp_path))
    assert wb.sheetnames == list(SHEET_ORDER)
    items = wb["items"]
    assert [c.value for c in items[2]][:4] == ["code", "indicator", "name", "status"]
    assert items["A1"].value == "รหัสข้อ"
    assert items["A3"].value == "O1" and items["C3"].value == "โครงสร้าง"
    themes = wb["themes"]
    assert themes["D3"].value == "i1, i2, i3, O7, O8, O9, O10"


def test_columns_moved_around_in_excel_are_still_read_by_their_key(tmp_path):
    path = exported(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["tools"]
    ws.move_range("A1:A5", cols=10)  # move the code column to the far right
    ws.delete_cols(1)
    wb.save(path)
    assert import_criteria_xlsx(path) == load_criteria(2567)


def test_a_number_stored_as_text_in_excel_is_accepted(tmp_path):
    path = exported(tmp_path)
    edit(path, "tools", 3, "weight", "0.30")
    assert import_criteria_xlsx(path).tool_by_code["IIT"].weight == 0.3


# --- bad cells are reported with sheet, row and value ------------------------------------


def test_weight_typed_as_text_is_reported_with_sheet_and_row_and_nothing_is_installed(tmp_path, user_dir):
    path = exported(tmp_path)
    edit(path, "tools", 4, "weight", "สามสิบ")
    messages = messages_of(path)
    assert len(messages) == 1
    assert messages[0].startswith("tools, แถว 4: คอลัมน์ weight")
    assert "'สามสิบ'" in messages[0]
    assert not user_dir.exists() or not list(user_dir.iterdir())
    assert load_criteria(2567).tool_by_code["EIT"].weight == 0.3


def test_unknown_tool_is_reported_with_sheet_row_and_value(tmp_path):
    path = exported(tmp_path)
    edit(path, "indicators", 7, "tool", "XIT")
    (message,) = messages_of(path)
    assert message.startswith("indicators, แถว 7: คอลัมน์ tool")
    assert "IIT, EIT, OIT" in message and "'XIT'" in message


def test_indicator_number_typed_as_words_is_reported(tmp_path):
    path = exported(tmp_path)
    row = row_of(path, "items", "O8")
    edit(path, "items", row, "indicator", "เก้า")
    (message,) = messages_of(path)
    assert message.startswith(f"items, แถว {row}: คอลัมน์ indicator") and "'เก้า'" in message


def test_every_bad_cell_is_reported_at_once(tmp_path):
    path = exported(tmp_path)
    edit(path, "tools", 3, "weight", "x")
    edit(path, "levels", 5, "passed", "maybe")
    edit(path, "meta", 4, "value", "ปีหน้า")
    messages = messages_of(path)
    assert [m.split(":")[0] for m in messages] == ["meta, แถว 4", "tools, แถว 3", "levels, แถว 5"]


def test_duplicate_item_code_is_reported_on_its_items_row(tmp_path):
    path = exported(tmp_path)
    row = row_of(path, "items", "O5")
    edit(path, "items", row, "code", "O1")
    messages = messages_of(path)
    assert f"items, แถว {row}: รหัสข้อซ้ำ (ค่าที่พบ: 'O1')" in messages


def test_theme_referencing_a_missing_code_is_reported_on_its_themes_row(tmp_path):
    path = exported(tmp_path)
    edit(path, "themes", 7, "codes", "i4, i5, i6, O14, O99")  # theme 5 on row 7
    messages = messages_of(path)
    assert messages == ["themes, แถว 7: ประเด็นอ้างถึงรหัสข้อที่ไม่มีในปีนี้ (ค่าที่พบ: 'O99')"]


def test_code_placed_in_two_themes_is_reported(tmp_path):
    path = exported(tmp_path)
    edit(path, "themes", 6, "codes", "i10, i11, i12, i4")  # theme 4 takes theme 5's i4
    messages = messages_of(path)
    assert messages == ["themes, แถว 7: รหัสข้อนี้อยู่ในประเด็นที่ 4 แล้ว: แต่ละข้ออยู่ได้ประเด็นเดียว (ค่าที่พบ: 'i4')"]


def test_weights_not_summing_to_one_are_reported_on_the_tools_sheet(tmp_path):
    path = exported(tmp_path)
    edit(path, "tools", 5, "weight", 0.5)
    messages = messages_of(path)
    assert any(m.startswith("tools: น้ำหนักของเครื่องมือรวมกันต้องเท่ากับ 1") for m in messages)


def test_a_schema_problem_names_the_row_and_column(tmp_path):
    path = exported(tmp_path)
    edit(path, "items", 3, "topic", "Structure")
    (message,) = messages_of(path)
    assert message.startswith("items, แถว 3: คอลัมน์ topic") and "'Structure'" in message


def test_deleted_key_row_is_reported_not_a_traceback(tmp_path):
    path = exported(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["items"].delete_rows(2)
    wb.save(path)
    messages = messages_of(path)
    assert messages[0].startswith("items, แถว 2:")


def test_missing_sheet_is_reported(tmp_path):
    path = exported(tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["rounds"]
    wb.save(path)
    assert messages_of(path) == ["rounds: ไม่มีชีต rounds ในไฟล์"]


def test_a_file_that_is_not_excel_is_reported_not_a_traceback(tmp_path):
    path = tmp_path / "criteria.xlsx"
    path.write_text("code,name\nO1,x\n", encoding="utf-8")
    (message,) = messages_of(path)
    assert "อ่านไฟล์ XLSX ไม่ได้" in message and "Traceback" not in message


# --- install --------------------------------------------------------------------------------


def test_an_edited_name_is_installed_and_loaded_for_that_year(tmp_path, user_dir):
    path = exported(tmp_path, 2568)
    edit(path, "items", row_of(path, "items", "O2"), "name", "ข้อมูลผู้บริหารของหน่วยงาน")
    edit(path, "items", row_of(path, "items", "O2"), "status", "confirmed")
    assert load_criteria(2568).entry_by_code["O2"].name == "ข้อมูลผู้บริหาร"  # cached before install

    written = install_criteria(import_criteria_xlsx(path))

    assert written == user_dir / "ita-2568.yaml"
    assert [p.name for p in user_dir.iterdir()] == ["ita-2568.yaml"]  # no temp file left behind
    assert load_criteria(2568).entry_by_code["O2"].name == "ข้อมูลผู้บริหารของหน่วยงาน"
    assert load_criteria(2568).entry_by_code["O2"].status == "confirmed"


def test_install_writes_into_a_given_directory(tmp_path, user_dir):
    target = install_criteria(load_criteria(2569), tmp_path / "elsewhere")
    assert target == tmp_path / "elsewhere" / "ita-2569.yaml"
    assert yaml.safe_load(target.read_text("utf-8")) == yaml.safe_load((DATA_DIR / "ita-2569.yaml").read_text("utf-8"))
    assert not user_dir.exists()


def test_install_refuses_invalid_criteria_and_keeps_the_installed_file(tmp_path, user_dir):
    install_criteria(load_criteria(2567))
    before = (user_dir / "ita-2567.yaml").read_bytes()
    raw = criteria_to_raw(load_criteria(2567))
    raw["tools"][0]["weight"] = 0.9

    with pytest.raises(InputError) as caught:
        install_criteria(raw)

    assert "รวมกันต้องเท่ากับ 1" in str(caught.value)
    assert (user_dir / "ita-2567.yaml").read_bytes() == before
    assert [p.name for p in user_dir.iterdir()] == ["ita-2567.yaml"]


def test_an_installed_year_overrides_the_shipped_file(tmp_path, user_dir):
    raw = criteria_to_raw(load_criteria(2567))
    raw["classification"]["keep_at_least"] = 90
    install_criteria(raw)
    assert load_criteria(2567).classification.keep_at_least == 90
    assert load_criteria(2567).raw["meta"]["status"] == "confirmed"
    # written as the next version of the shipped transcription, so it is the one in force
    assert load_criteria(2567).raw["meta"]["transcription_version"] == 2


def _write(folder: Path, name: str, raw: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_installed_year_wins_only_when_its_version_is_newer(user_dir):
    shipped = criteria_to_raw(load_criteria(2568))
    older = {**shipped, "classification": {**shipped["classification"], "keep_at_least": 91}}
    _write(user_dir, "ita-2568.yaml", older)            # the same version as shipped: not newer
    forget_loaded_criteria()
    assert load_criteria(2568).classification.keep_at_least == shipped["classification"]["keep_at_least"]

    newer = {**older, "meta": {**older["meta"], "transcription_version": shipped["meta"]["transcription_version"] + 1}}
    _write(user_dir, "ita-2568.yaml", newer)
    forget_loaded_criteria()
    assert load_criteria(2568).classification.keep_at_least == 91


def test_criteria_are_found_by_the_urn_they_carry_not_their_file_name(user_dir):
    raw = criteria_to_raw(load_criteria(2569))
    raw["meta"] = {**raw["meta"], "urn": "urn:itadesk:criteria:ita:2571", "fiscal_year": 2571}
    _write(user_dir, "criteria-next-year.yaml", raw)
    _write(user_dir, "survey-2571.yaml", {"questions": []})    # another kind of file in the folder
    forget_loaded_criteria()
    assert 2571 in available_years()
    assert load_criteria(2571).urn == "urn:itadesk:criteria:ita:2571"


def test_an_urn_that_names_another_year_is_refused(user_dir):
    raw = criteria_to_raw(load_criteria(2569))
    raw["meta"] = {**raw["meta"], "urn": "urn:itadesk:criteria:ita:2572"}
    with pytest.raises(InputError, match="urn บอกปี 2572 ไม่ตรงกับปีงบประมาณ 2569"):
        install_criteria(raw)
