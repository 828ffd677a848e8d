"""A short paragraph per indicator after the executive summary: its score and level against the
year's pass mark, the change since last year when known, its weakest questions or items by name;
the same paragraphs, in the same order, in the PDF and the DOCX."""

import dataclasses
import datetime as dt
import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from itadesk.agency import load_agency
from itadesk.analysis import analyze, classify
from itadesk.criteria import load_criteria
from itadesk.documents.measures_docx import render_measures_docx
from itadesk.documents.measures_pdf import render_measures_pdf
from itadesk.results import parse_results
from itadesk.scoring import score
from itadesk.status import KEEP
from itadesk.workflow import analyze_files, analyze_results, prepare_measures
from tests.support.docx_text import plain
from tests.support.pdf_text import norm, page_text
from tests.test_current_cycle import FY2569_INDICATORS

DAY = dt.date(2026, 11, 20)


def package(root, results, previous=None):
    analysis = analyze_files(root / results, previous_path=root / previous if previous else None)
    return prepare_measures(analysis, load_agency(root / "demo" / "agency.yaml"), day=DAY)


def paragraph_of(document, bar) -> str:
    """The one narrative paragraph that opens with the indicator's name and printed score."""
    found = [p for p in document.narrative if p.startswith(f"{bar.label} ได้ {bar.text} คะแนน ")]
    assert len(found) == 1, (bar.label, document.narrative)
    return found[0]


@pytest.mark.parametrize("results", ["tests/data/seed000-2567.csv", "demo/results-2567.yaml",
                                     "demo/results-2568.yaml", "demo/results-2569.yaml"])
def test_each_indicator_of_the_year_has_one_paragraph_with_its_name_and_its_printed_score(results, request):
    document = package(request.config.rootpath, results).document
    criteria = load_criteria(int(document.assessed_year.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))))
    assert len(document.narrative) == len(criteria.indicators) == len(document.indicators)
    for indicator, bar in zip(criteria.indicators, document.indicators, strict=True):
        assert indicator.name in bar.label
        paragraph_of(document, bar)
    assert document.titles.narrative == "ผลการประเมินรายตัวชี้วัดโดยสังเขป"


def test_the_paragraph_names_the_weakest_questions_and_items_by_their_thai_names(request):
    package_ = package(request.config.rootpath, "tests/data/seed000-2567.csv")
    document, analysis = package_.document, package_.analysis
    criteria, card = analysis.criteria, analysis.card
    for indicator, bar in zip(criteria.indicators, document.indicators, strict=True):
        paragraph = paragraph_of(document, bar)
        scored = [(e, card.entries[e.code]) for e in criteria.entries_of_indicator[indicator.number]]
        lowest, _ = min(scored, key=lambda x: x[1])
        assert lowest.name in paragraph
        weak = [e for e, v in scored if classify(e, v, criteria) != KEEP]
        if weak:
            assert f"ที่ยังต้องพัฒนามี {len(weak)} ข้อ".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in paragraph
    assets = paragraph_of(document, document.indicators[3])   # i10 (75.56) is the weak one of three
    assert "ต่ำกว่าเกณฑ์ ๘๕ คะแนน และอยู่ในระดับที่ต้องพัฒนา" in assets
    assert "มี ๑ ข้อจากทั้งหมด ๓ ข้อ คือข้อ “ขอยืมทรัพย์สินของราชการอย่างถูกต้อง” (๗๕.๕๖ คะแนน)" in assets
    assert "i๑๐" not in assets
    disclosure = paragraph_of(document, document.indicators[8])
    assert "ข้อ O๒ ข้อมูลผู้บริหาร (๐.๐๐ คะแนน)" in disclosure
    duty = paragraph_of(document, document.indicators[0])
    assert "ผ่านเกณฑ์ ๘๕ คะแนน และอยู่ในระดับที่ควรรักษาไว้" in duty and "ที่ยังต้องพัฒนา" not in duty


def test_the_pass_mark_is_the_years_own(request):
    """With a pass mark of 90 an indicator at 88.20 no longer passes, whatever 85 says."""
    root = request.config.rootpath
    results = parse_results((root / "demo" / "results-2567.yaml").read_bytes(), "results-2567.yaml")
    criteria = results.criteria()
    stricter = dataclasses.replace(criteria, levels=tuple(
        dataclasses.replace(level, min_ita=max(level.min_ita, 90)) if level.passed else level
        for level in criteria.levels))
    assert stricter.pass_mark == 90
    analysis = analyze(score(results, stricter), stricter)
    document = prepare_measures(analysis, load_agency(root / "demo" / "agency.yaml"), day=DAY).document
    between = [bar for bar in document.indicators if bar.value is not None and 85 <= bar.value < 90]
    assert between
    for bar in between:
        assert "ต่ำกว่าเกณฑ์ ๙๐ คะแนน" in paragraph_of(document, bar)
    assert not any("เกณฑ์ ๘๕" in p for p in document.narrative)


def test_the_change_since_last_year_is_told_only_when_last_years_scores_are_known(request):
    root = request.config.rootpath
    without = package(root, "demo/results-2569.yaml").document
    assert not any("เมื่อเทียบกับ" in p for p in without.narrative)
    document = package(root, "demo/results-2569.yaml", "demo/results-2568.yaml").document
    assets = paragraph_of(document, document.indicators[3])   # 83.90 after 85.20
    assert "เมื่อเทียบกับปีงบประมาณ พ.ศ. ๒๕๖๘ ซึ่งได้ ๘๕.๒๐ คะแนน ลดลง ๑.๓๐ คะแนน" in assets
    improvement = paragraph_of(document, document.indicators[7])   # 81.70 after 78.40
    assert "ซึ่งได้ ๗๘.๔๐ คะแนน เพิ่มขึ้น ๓.๓๐ คะแนน" in improvement
    assert all("เมื่อเทียบกับปีงบประมาณ พ.ศ. ๒๕๖๘" in p for p in document.narrative)


@pytest.mark.parametrize("source", ["indicators only", "demo FY2569"])
def test_indicator_scores_alone_say_nothing_about_questions(source, request, demo_agency):
    if source == "indicators only":
        analysis = analyze_results(parse_results(FY2569_INDICATORS.encode(), "fy.csv"))
        document = prepare_measures(analysis, load_agency(demo_agency), day=DAY).document
        alone = document.indicators
    else:
        document = package(request.config.rootpath, "demo/results-2569.yaml").document
        alone = [bar for bar in document.indicators if bar.group != "OIT"]   # IIT and EIT given per indicator
    for bar in alone:
        told = paragraph_of(document, bar)[len(bar.label):]
        assert "ข้อ" not in told, told
        assert told.startswith(f" ได้ {bar.text} คะแนน ") and ("ผ่านเกณฑ์ ๘๕" in told or "ต่ำกว่าเกณฑ์ ๘๕" in told)


def pdf_without_footers(data: bytes) -> str:
    """The pages' text (normalised) without their "หน้า ๓" footers: a paragraph may go over a page."""
    reader = PdfReader(io.BytesIO(data))
    return "".join(re.sub("หน้า[๐-๙]+$", "", norm(page_text(reader, page))) for page in reader.pages)


def _in_order(text: str, parts: list[str]) -> list[int]:
    at, found = 0, []
    for part in parts:
        at = text.find(part, at)
        found.append(at)
        if at < 0:
            break
        at += len(part)
    return found


@pytest.mark.parametrize("results", ["tests/data/seed000-2567.csv", "demo/results-2569.yaml"])
def test_pdf_and_docx_print_every_paragraph_between_the_summary_and_section_one_in_order(results, request):
    document = package(request.config.rootpath, results).document
    parts = [document.summary[-1], document.titles.narrative, *document.narrative, document.titles.overall]
    pdf = pdf_without_footers(render_measures_pdf(document))
    docx = Document(io.BytesIO(render_measures_docx(document)))
    paragraphs = [plain(p.text).replace("\u00a0", " ") for p in docx.paragraphs]
    for name, text in (("PDF", pdf), ("DOCX", norm("\n".join(paragraphs)))):
        found = _in_order(text, [norm(p) for p in parts])
        assert -1 not in found, (name, found)
    start = paragraphs.index(document.titles.narrative)
    assert paragraphs[start + 1:start + 1 + len(document.narrative)] == document.narrative
    assert paragraphs[start + 1 + len(document.narrative)] == document.titles.overall


def test_an_indicator_without_a_score_is_said_to_have_none(demo_agency):
    analysis = analyze_results(parse_results(b"fiscal_year,2567\nIND1,90.10\nIND9,70.00\n", "fy.csv"))
    narrative = prepare_measures(analysis, load_agency(demo_agency), day=DAY).document.narrative
    assert narrative[0].startswith("ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่ ได้ ๙๐.๑๐ คะแนน ผ่านเกณฑ์")
    assert narrative[1] == "ตัวชี้วัดที่ ๒ การใช้งบประมาณ ไม่มีคะแนนในผลการประเมินที่นำมาวิเคราะห์"
    assert len(narrative) == 10 and narrative[8].startswith("ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล ได้ ๗๐.๐๐ คะแนน ต่ำกว่าเกณฑ์")
