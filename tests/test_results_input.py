"""Results files as officers paste them, and the messages they get when something is wrong."""

import json

import openpyxl
import pytest

from itadesk.cli import main
from itadesk.criteria import load_criteria
from itadesk.errors import InputError
from itadesk.results import load_results, normalize_code, parse_results
from itadesk.template import write_results_template


def problems_of(data: bytes, name: str, year=None) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_results(data, name, year)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("raw", "code"),
    [("o08", "O8"), ("O๐๘", "O8"), ("๐8", None), ("I1", "i1"), ("e๙", "e9"), ("ind01", "IND1"),
     ("IND 10", "IND10"), ("ita", "ITA"), ("Oit", "OIT"), ("ตัวชี้วัดที่ ๘", "IND8"), ("O0", None),
     ("x1", None), ("", None)],
)
def test_codes_pasted_from_documents_are_understood(raw, code):
    assert normalize_code(raw) == code


def test_thai_digit_scores_and_codes_in_any_case_are_read():
    data = "fiscal_year,๒๕๖๗\nITA,๗๒.๙๗\no08,๕๐\nI1,๙๕.๑๙\n".encode()
    results = parse_results(data, "pasted.csv")
    assert results.fiscal_year == 2567
    assert results.scores == {"ITA": 72.97, "O8": 50.0, "i1": 95.19}


def test_unknown_code_on_row_7_is_reported_as_row_7(tmp_path):
    rows = ["code,score", "fiscal_year,2567", "ITA,72.97", "IIT,92.37", "EIT,87.53", "OIT,47.5", "O99,100"]
    messages = problems_of("\n".join(rows).encode(), "results.csv")
    assert len(messages) == 1
    assert "results.csv" in messages[0] and "แถว 7" in messages[0] and "O99" in messages[0]


def test_score_outside_0_to_100_is_reported_with_row_and_value():
    messages = problems_of(b"fiscal_year,2567\ni1,105\n", "r.csv")
    assert "แถว 2" in messages[0] and "105" in messages[0] and "0 ถึง 100" in messages[0]


def test_score_that_is_not_a_number_is_reported():
    messages = problems_of("fiscal_year,2567\ni1,ดีมาก\n".encode(), "r.csv")
    assert "แถว 2" in messages[0] and "ดีมาก" in messages[0]


def test_duplicate_code_after_normalising_is_reported_with_both_rows():
    messages = problems_of("fiscal_year,2567\nO8,50\no08,๕๐\n".encode(), "r.csv")
    assert "แถว 3" in messages[0] and "ซ้ำ" in messages[0] and "แถว 2" in messages[0]


def test_file_of_another_year_is_refused():
    messages = problems_of(b"fiscal_year,2566\nITA,80\n", "r.csv", year=2567)
    assert "2566" in messages[0] and "2567" in messages[0]


def test_year_without_criteria_is_refused():
    messages = problems_of(b"fiscal_year,2550\nITA,80\n", "r.csv")
    assert "2550" in messages[0]


def test_missing_year_is_asked_for():
    messages = problems_of(b"ITA,80\n", "r.csv")
    assert "ไม่ทราบปีงบประมาณ" in messages[0] and "--year" not in messages[0]  # the web shows it too


def test_all_problems_are_reported_at_once():
    messages = problems_of(b"fiscal_year,2567\ni1,105\nO99,1\ni2,x\n", "r.csv")
    assert len(messages) == 3


def test_unsupported_file_type_is_refused():
    messages = problems_of(b"ITA 80", "scores.txt")
    assert ".txt" in messages[0]


def test_damaged_xlsx_is_reported_not_crashed():
    messages = problems_of(b"PK\x03\x04 not really", "scores.xlsx")
    assert "XLSX" in messages[0]


def test_yaml_json_and_list_forms_are_read(seed000_csv, tmp_path):
    expected = load_results(seed000_csv).scores
    as_yaml = "fiscal_year: 2567\nscores:\n" + "".join(f"  {c}: {v}\n" for c, v in expected.items())
    as_json = json.dumps([{"code": c, "score": v} for c, v in expected.items()])
    assert parse_results(as_yaml.encode(), "r.yaml").scores == expected
    assert parse_results(as_json.encode(), "r.json", 2567).scores == expected


def test_broken_yaml_names_the_line():
    messages = problems_of(b"fiscal_year: 2567\nscores: [unclosed\n", "r.yaml")
    assert "บรรทัด" in messages[0]


def test_filled_xlsx_template_is_read_back(tmp_path):
    path = write_results_template(load_criteria(2567), tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    filled = {}
    for row in sheet.iter_rows(min_row=3):
        if row[0].value in ("ITA", "IND9", "O8"):
            row[1].value = {"ITA": "๗๒.๙๗", "IND9": 50, "O8": 50}[row[0].value]
            filled[row[0].value] = 72.97 if row[0].value == "ITA" else 50.0
    book.save(path)
    assert load_results(path).scores == filled


def test_template_lists_every_code_of_the_year(tmp_path):
    criteria = load_criteria(2567)
    path = write_results_template(criteria, tmp_path / "t.xlsx")
    codes = {row[0] for row in openpyxl.load_workbook(path).active.iter_rows(min_row=3, values_only=True)}
    assert codes == set(criteria.all_codes)


@pytest.mark.parametrize(
    "content",
    ["fiscal_year,2567\nO99,100\n", "fiscal_year,2567\ni1,105\n", "fiscal_year,2567\nO8,50\nO8,50\n",
     "fiscal_year,2566\nITA,80\n"],
    ids=["unknown-code", "out-of-range", "duplicate", "wrong-year"],
)
def test_cli_bad_results_write_nothing_and_show_no_traceback(content, tmp_path, demo_agency, capsys):
    results = tmp_path / "bad.csv"
    results.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["o34", str(results), "--agency", str(demo_agency), "--out", str(out), "--year", "2567"])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err and "bad.csv" in captured.err
    assert not out.exists() or not any(out.iterdir())
