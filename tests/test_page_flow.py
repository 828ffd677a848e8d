"""Page flow: the closing signatures never stand alone on the last page of a document."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from itadesk.agency import load_agency
from itadesk.documents.measures_pdf import render_measures_pdf
from itadesk.documents.results_report import build_results_report
from itadesk.documents.results_report_pdf import render_results_report_pdf
from itadesk.progress import load_progress
from itadesk.workflow import analyze_files, prepare_measures
from tests.support.pdf_text import norm, page_text


def last_page(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return norm(page_text(reader, reader.pages[-1]))


@pytest.mark.parametrize("results", ["tests/data/seed000-2567.csv", "demo/results-2567.yaml", "demo/results-2569.yaml"])
def test_the_measures_plans_signatures_share_their_page_with_the_last_measure(results, request):
    root = request.config.rootpath
    package = prepare_measures(analyze_files(root / results), load_agency(root / "demo" / "agency.yaml"),
                               day=dt.date(2026, 11, 20))
    text = last_page(render_measures_pdf(package.document))
    assert norm("(ลงชื่อ)") in text
    last = next(t for t in reversed(package.document.themes) if t.measures).measures[-1]
    assert norm(last.name) in text


def test_the_results_reports_signatures_share_their_page_with_the_last_measure(request):
    root = request.config.rootpath
    agency = load_agency(root / "demo" / "agency.yaml")
    package = prepare_measures(analyze_files(root / "demo" / "results-2567.yaml"), agency)
    progress = load_progress(root / "demo" / "progress-2568.yaml", package.plan)
    report = build_results_report(package.analysis, package.plan, progress, 12, agency, day=dt.date(2025, 10, 15))
    text = last_page(render_results_report_pdf(report))
    assert norm("(ลงชื่อ)") in text and norm(report.rows[-1].name) in text
