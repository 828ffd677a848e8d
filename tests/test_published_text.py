"""What the documents publish reads as an office wrote it: no "label: text" sentences, no
"รักษาการ…" (reads as "acting"), no internal codes (IND10, topics), items listed without commas."""

import datetime as dt
import re

import pytest

from itadesk.agency import load_agency
from itadesk.documents.results_report import build_results_report
from itadesk.progress import load_progress
from itadesk.workflow import analyze_files, prepare_measures

COLON_SENTENCE = re.compile(r"[\u0e01-\u0e59)]\s*:\s")
INTERNAL = re.compile(r"IND\s*[0-9๐-๙]|\b(?:iit|eit|oit|ind)\.[a-z_]+|measure_id")


def measures_texts(document) -> list[str]:
    texts = [*document.cover_title, *document.heading, *document.summary, document.titles.narrative,
             *document.narrative, document.overall_text, *document.notes,
             document.memo.subject, *document.memo.paragraphs, document.memo.closing]
    for theme in document.themes:
        texts += [theme.overview, *theme.improve, *theme.keep]
        for m in theme.measures:
            texts += [m.issue, m.name, *m.steps, m.responsible, m.period, m.monitoring]
    return texts


@pytest.mark.parametrize("results", ["tests/data/seed000-2567.csv", "demo/results-2567.yaml",
                                     "demo/results-2568.yaml", "demo/results-2569.yaml"])
def test_the_measures_plan_has_no_colon_sentence_no_acting_and_no_internal_code(results, request):
    root = request.config.rootpath
    package = prepare_measures(analyze_files(root / results), load_agency(root / "demo" / "agency.yaml"),
                               day=dt.date(2026, 11, 20))
    for text in measures_texts(package.document):
        assert not COLON_SENTENCE.search(text), text
        assert "รักษาการ" not in text, text
        assert not INTERNAL.search(text), text


def test_the_results_report_has_no_colon_sentence_and_no_internal_code(request):
    root = request.config.rootpath
    agency = load_agency(root / "demo" / "agency.yaml")
    package = prepare_measures(analyze_files(root / "demo" / "results-2568.yaml"), agency)
    progress = load_progress(root / "demo" / "progress-2569.yaml", package.plan)
    report = build_results_report(package.analysis, package.plan, progress, 12, agency, day=dt.date(2026, 10, 20))
    texts = [*report.summary_text, *report.memo.paragraphs, report.memo.subject]
    texts += [t for row in report.rows for t in (row.done, row.output, row.outcome, row.problems, row.suggestions)]
    for text in texts:
        assert not COLON_SENTENCE.search(text), text
        assert not INTERNAL.search(text), text


def test_full_score_items_are_listed_without_commas(request):
    root = request.config.rootpath
    package = prepare_measures(analyze_files(root / "demo" / "results-2569.yaml"),
                               load_agency(root / "demo" / "agency.yaml"), day=dt.date(2026, 11, 20))
    listed = [p for t in package.document.themes for p in t.keep if p.startswith("การเปิดเผยข้อมูลข้อ")]
    assert listed and all("," not in p and " และ O" in p for p in listed if p.count("O") > 1)


def test_the_plan_opens_with_an_executive_summary_and_each_theme_with_one_paragraph(request):
    from itadesk.documents.measures_pdf import render_measures_pdf
    from tests.support.pdf_text import norm, pdf_text

    root = request.config.rootpath
    package = prepare_measures(analyze_files(root / "tests" / "data" / "seed000-2567.csv"),
                               load_agency(root / "demo" / "agency.yaml"), day=dt.date(2026, 11, 20))
    first, second = package.document.summary
    assert "ได้คะแนน ๗๒.๙๗ คะแนน อยู่ในระดับ ต้องปรับปรุง ซึ่งยังไม่ผ่านเกณฑ์ ๘๕ คะแนน" in first
    assert "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ซึ่งได้ ๔๗.๕๐ คะแนน" in first   # the weakest tool
    assert "ตัวชี้วัดที่ได้คะแนนต่ำกว่า ๘๕ คะแนนมี ๔ ตัวชี้วัด ได้แก่ ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต (๔๕.๐๐ คะแนน)" in second
    measures = len(package.plan.measures)
    assert f"จำนวน {str(measures).translate(str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙'))} มาตรการ" in second
    for theme in package.document.themes:
        assert theme.overview.startswith("ประเด็นนี้มีข้อที่นำมาวิเคราะห์") and "ควร" not in theme.overview
    text = norm(pdf_text(render_measures_pdf(package.document)))
    assert norm("บทสรุปผู้บริหาร") in text and norm(package.document.themes[0].overview[:60]) in text
