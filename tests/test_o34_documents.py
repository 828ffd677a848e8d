"""The O34 documents an officer signs and posts: made from seed 000's real scores."""

import datetime as dt

import pytest

from itadesk.agency import load_agency
from itadesk.cli import main
from itadesk.documents import render_measures
from itadesk.thai import to_thai_digits
from itadesk.workflow import analyze_files, prepare_measures
from tests.support.docx_text import docx_text
from tests.support.pdf_text import norm, pdf_text

THEMES = [
    "กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ",
    "การให้บริการและระบบ E-Service",
    "ช่องทางและรูปแบบการประชาสัมพันธ์เผยแพร่ข้อมูลข่าวสารภาครัฐ",
    "กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ",
    "กระบวนการสร้างความโปร่งใสในการใช้งบประมาณและการจัดซื้อจัดจ้าง",
    "กระบวนการควบคุม ตรวจสอบการใช้อำนาจและการบริหารงานบุคคล",
    "กลไกและมาตรการในการแก้ไขและป้องกันการทุจริตภายในหน่วยงาน",
]



@pytest.fixture(scope="module")
def seed_package(request):
    root = request.config.rootpath
    agency = load_agency(root / "demo" / "agency.yaml")
    analysis = analyze_files(root / "tests" / "data" / "seed000-2567.csv")
    package = prepare_measures(analysis, agency, day=dt.date(2024, 10, 15))
    return package, render_measures(package.document)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_document_names_agency_themes_weak_codes_and_their_measures(seed_package, fmt):
    package, files = seed_package
    text = norm(docx_text(files["docx"]) if fmt == "docx" else pdf_text(files["pdf"]))
    assert norm(package.document.agency_name) in text
    for theme in THEMES:
        assert norm(theme) in text, theme
    weak = [r for t in package.analysis.themes for r in t.weak]
    assert len(weak) == 21  # seed 000: 19 urgent + O8 and i10 to improve
    for row in weak:
        assert to_thai_digits(row.entry.code) in text, row.entry.code
        measures = [m for m in package.plan.measures if any(t.code == row.entry.code for t in m.targets)]
        assert measures, f"no measure for {row.entry.code}"
        for measure in measures:
            assert norm(to_thai_digits(measure.name)) in text, (row.entry.code, measure.name)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_document_states_score_level_and_mismatch_in_thai_digits(seed_package, fmt):
    _, files = seed_package
    text = norm(docx_text(files["docx"]) if fmt == "docx" else pdf_text(files["pdf"]))
    assert "๗๒.๙๗" in text and "ต้องปรับปรุง" in text
    assert "๒๕๖๘" in text and "บันทึกข้อความ" in text
    assert "๔๕.๐๐" in text and "๔๐.๐๐" in text  # indicator 10 as printed vs recomputed


def test_every_theme_has_at_least_one_measure(seed_package):
    package, _ = seed_package
    assert all(section.measures for section in package.document.themes)


def test_measures_use_the_agencys_departments_and_the_plan_year(seed_package):
    package, _ = seed_package
    procurement = [m for m in package.plan.measures if any(t.code == "O14" for t in m.targets)]
    assert any("กองคลัง" in m.responsible for m in procurement)
    assert all("๒๕๖๗" in m.period or "๒๕๖๘" in m.period for m in package.plan.measures)


def test_arabic_digits_option(seed_package, request):
    root = request.config.rootpath
    agency = load_agency(root / "demo" / "agency.yaml")
    analysis = analyze_files(root / "tests" / "data" / "seed000-2567.csv")
    document = prepare_measures(analysis, agency, thai_digits=False).document
    text = norm(pdf_text(render_measures(document)["pdf"]))
    assert "72.97" in text and "๗๒.๙๗" not in text


def test_cli_writes_docx_and_pdf_for_the_demo(tmp_path, demo_agency, demo_results, capsys):
    assert main(["measures-plan", str(demo_results), "--agency", str(demo_agency), "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["measures-plan-2568.docx", "measures-plan-2568.pdf"]
    assert "measures-plan-2568.pdf" in capsys.readouterr().out
