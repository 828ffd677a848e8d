"""No document breaks a line inside a word: every document kind, rendered, read line by line.

The words checked are the domain dictionary of the documents (documents/domain_words.txt):
ดำเนินการ, มาตรการ, ประเมินผล, กิจกรรม, ผู้รับผิดชอบ… A ไม้ยมก never starts a line and "พ.ศ."
never ends one without its year.
"""

import datetime as dt

import pytest

from itadesk.agency import load_agency
from itadesk.criteria import load_criteria
from itadesk.documents.measures_pdf import render_measures_pdf
from itadesk.documents.results_report import build_results_report
from itadesk.documents.results_report_pdf import render_results_report_pdf
from itadesk.documents.thai_text import domain_words
from itadesk.oit.checker import OK, CheckRun, UrlCheck
from itadesk.oit.report_pdf import render_oit_report_pdf
from itadesk.oit.verdict import predict
from itadesk.progress import load_progress
from itadesk.thai import bind_units
from itadesk.workflow import analyze_files, prepare_measures
from tests.support.pdf_lines import split_words


def measures_pdf(root, results: str) -> bytes:
    agency = load_agency(root / "demo" / "agency.yaml")
    package = prepare_measures(analyze_files(root / results), agency, day=dt.date(2026, 11, 20))
    return render_measures_pdf(package.document)


def results_report_pdf(root, results: str, progress: str) -> bytes:
    agency = load_agency(root / "demo" / "agency.yaml")
    package = prepare_measures(analyze_files(root / results), agency)
    report = build_results_report(package.analysis, package.plan, load_progress(root / progress, package.plan),
                                  12, agency, day=dt.date(2026, 10, 20))
    return render_results_report_pdf(report)


def oit_report_pdf() -> bytes:
    criteria = load_criteria(2569)
    checks = [UrlCheck(e.code, f"https://www.bansuanhom.go.th/ita/{e.code}", OK, 200, kind="html", text_chars=10,
                       year_match="be" if n % 3 else None, keywords_found=list(e.keywords[:1]) if n % 4 else [])
              for n, e in enumerate(criteria.entries) if e.is_oit_item and n % 5]
    run = CheckRun("องค์การบริหารส่วนตำบลบ้านสวนหอม", "https://www.bansuanhom.go.th", 2569, 2569,
                   "2026-11-20T08:00:00+00:00", "2026-11-20T08:01:00+00:00", checks)
    return render_oit_report_pdf(run, predict(run, criteria), run.agency, 2569)


@pytest.mark.parametrize("kind", [
    "measures plan FY2570 (FY2569 results)", "measures plan FY2568 (seed 000)", "measures plan FY2568 (demo)",
    "results report FY2569", "OIT readiness report FY2569",
])
def test_no_line_breaks_inside_a_word(kind, request):
    root = request.config.rootpath
    pdf = {
        "measures plan FY2570 (FY2569 results)": lambda: measures_pdf(root, "demo/results-2569.yaml"),
        "measures plan FY2568 (seed 000)": lambda: measures_pdf(root, "tests/data/seed000-2567.csv"),
        "measures plan FY2568 (demo)": lambda: measures_pdf(root, "demo/results-2567.yaml"),
        "results report FY2569": lambda: results_report_pdf(root, "demo/results-2568.yaml", "demo/progress-2569.yaml"),
        "OIT readiness report FY2569": oit_report_pdf,
    }[kind]()
    assert split_words(pdf, domain_words()) == []


def test_the_check_itself_finds_words_cut_by_a_careless_layout(request, monkeypatch):
    """A control: with a break allowed between any two letters, the check must object."""
    import itadesk.documents.typst_parts as typst_parts

    monkeypatch.setattr(typst_parts, "segment", lambda text: "\u200b".join(text))
    found = split_words(measures_pdf(request.config.rootpath, "demo/results-2569.yaml"), domain_words())
    assert any("ถูกตัดกลางคำ" in f for f in found)


def test_yamok_and_era_stay_with_their_word():
    assert bind_units("ต่าง ๆ และ พ.ศ. ๒๕๖๙") == "ต่าง\u00a0ๆ และ พ.ศ.\u00a0๒๕๖๙"
    assert bind_units("ใดๆ ค.ศ.2025") == "ใด\u00a0ๆ ค.ศ.\u00a02025"


def test_the_oit_report_prints_thai_digits_except_in_web_addresses():
    import re

    from tests.support.pdf_text import pdf_text

    text = pdf_text(oit_report_pdf())
    prose = re.sub(r"https?://\S+|www\.\S+", " ", text)
    assert "พ.ศ." in prose and not re.findall(r"[0-9]", prose.replace("OIT", "").replace("ITA", ""))
