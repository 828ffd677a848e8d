"""The `itadesk` command as an officer uses it: template, criteria round trip, errors without tracebacks."""

import os

import openpyxl

from itadesk.cli import main


def test_template_command_writes_a_sheet_for_the_year(tmp_path, capsys):
    out = tmp_path / "คะแนน.xlsx"
    assert main(["template", "--year", "2567", "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A2"].value == "fiscal_year" and sheet["B2"].value == 2567
    assert str(out) in capsys.readouterr().out


def test_criteria_export_edit_import_adds_a_year_without_a_programmer(tmp_path, capsys):
    sheet_path = tmp_path / "เกณฑ์.xlsx"
    assert main(["criteria", "export", "--year", "2567", "--out", str(sheet_path)]) == 0
    book = openpyxl.load_workbook(sheet_path)
    meta = book["meta"]
    for row in meta.iter_rows(min_row=3):
        if row[0].value == "fiscal_year":
            row[2].value = 2570
        elif row[0].value == "urn":
            row[2].value = "urn:itadesk:criteria:ita:2570"
    book.save(sheet_path)
    assert main(["criteria", "import", str(sheet_path)]) == 0
    installed = os.environ["ITADESK_CRITERIA_DIR"]
    assert os.path.exists(os.path.join(installed, "ita-2570.yaml"))
    capsys.readouterr()
    assert main(["criteria", "list"]) == 0
    assert "2570" in capsys.readouterr().out


def test_importing_a_broken_criteria_sheet_installs_nothing(tmp_path, capsys):
    sheet_path = tmp_path / "เกณฑ์.xlsx"
    main(["criteria", "export", "--year", "2567", "--out", str(sheet_path)])
    book = openpyxl.load_workbook(sheet_path)
    book["tools"]["C3"].value = "สามสิบ"  # a weight typed as words
    book.save(sheet_path)
    capsys.readouterr()
    assert main(["criteria", "import", str(sheet_path)]) == 2
    err = capsys.readouterr().err
    assert "tools" in err and "สามสิบ" in err and "Traceback" not in err
    assert os.listdir(os.environ["ITADESK_CRITERIA_DIR"]) == []


def test_missing_results_file_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "ไม่มีไฟล์.csv")]) == 2
    err = capsys.readouterr().err
    assert "ไม่พบไฟล์" in err and "Traceback" not in err


def test_o35_command_writes_the_round_report_for_the_demo(tmp_path, demo_agency, demo_results, capsys):
    progress = demo_results.parent / "progress-2568.yaml"
    args = ["results-report", str(demo_results), "--agency", str(demo_agency), "--progress", str(progress),
            "--round", "6", "--out", str(tmp_path)]
    assert main(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results-report-2568-6m.docx", "results-report-2568-6m.pdf"]


def test_o35_with_a_progress_file_of_another_plan_writes_nothing(tmp_path, demo_agency, demo_results, capsys):
    args = ["o35", str(demo_results), "--agency", str(demo_agency), "--progress", str(demo_results),
            "--out", str(tmp_path / "out")]
    assert main(args) == 2
    assert "ไม่มีมาตรการรหัสนี้" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_file_without_its_year_is_told_to_use_the_year_option(tmp_path, capsys):
    scores = tmp_path / "scores.csv"
    scores.write_text("ITA,80\n", encoding="utf-8")
    assert main(["analyze", str(scores)]) != 0
    err = capsys.readouterr().err
    assert "ไม่ทราบปีงบประมาณ" in err and "--year ในบรรทัดคำสั่ง" in err


def test_format_writes_only_the_document_asked_for(tmp_path, demo_agency, demo_results, monkeypatch):
    import itadesk.documents.measures_pdf as measures_pdf

    def not_asked(doc):
        raise AssertionError("the PDF was made for a DOCX-only run")

    monkeypatch.setattr(measures_pdf, "render_measures_pdf", not_asked)
    args = ["o34", str(demo_results), "--agency", str(demo_agency), "--out", str(tmp_path), "--format", "docx",
            "--date", "2025-10-15"]
    assert main(args) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["measures-plan-2568.docx"]


def test_the_memo_number_and_date_given_on_the_command_line_are_printed(tmp_path, demo_agency, demo_results):
    from tests.support.pdf_text import norm, pdf_text

    args = ["measures-plan", str(demo_results), "--agency", str(demo_agency), "--out", str(tmp_path),
            "--format", "pdf", "--date", "2024-10-15", "--number", "123"]
    assert main(args) == 0
    head = norm(pdf_text((tmp_path / "measures-plan-2568.pdf").read_bytes()).split("เรียน")[0])
    assert norm("ที่ นม ๗๘๙๐๑/๑๒๓") in head and norm("วันที่ ๑๕ ตุลาคม ๒๕๖๗") in head
