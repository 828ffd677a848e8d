"""The Typst PDF renderer: content, fonts, safety of user text, segmentation."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from itadesk.documents import measures_pdf as pdf_mod
from itadesk.documents.measures_pdf import render_measures_pdf
from itadesk.documents.model import MeasureRow, QuestionRow
from itadesk.documents.thai_text import segment
from tests.support.pdf_text import norm, pdf_text
from tests.support.sample_document import sample


@pytest.fixture(scope="module")
def rendered():
    doc = sample()
    data = render_measures_pdf(doc)
    reader = PdfReader(io.BytesIO(data))
    text = norm(pdf_text(data))
    return doc, data, reader, text


def test_is_a_pdf(rendered):
    _, data, _, _ = rendered
    assert data.startswith(b"%PDF-")


def test_text_contains_agency_themes_measures_and_codes(rendered):
    doc, _, _, text = rendered
    assert norm(doc.agency_name) in text
    assert norm(doc.agency_place) in text
    for line in doc.cover_title + doc.heading + doc.memo.paragraphs + [doc.overall_text]:
        assert norm(line) in text, line
    assert "บันทึกข้อความ" in text
    assert len(doc.themes) == 7
    for theme in doc.themes:
        assert norm(theme.name) in text, theme.name
        for measure in theme.measures:
            assert norm(measure.name) in text, measure.name
            for step in measure.steps:
                assert norm(step) in text, step
        for row in theme.rows:
            assert norm(row.code) in text, row.code
            assert norm(row.text) in text, row.text
        for para in theme.improve + theme.keep:
            assert norm(para) in text, para
    for sig in doc.signatures:
        assert norm(sig.name) in text
    # Thai page numbers from the template's own numbering
    assert "หน้า๑" in text and "หน้า๒" in text
    for bar in doc.indicators + doc.tools:
        assert bar.text in text


def test_embeds_only_sarabun(rendered):
    _, _, reader, _ = rendered
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    assert names, "no fonts found"
    assert all("Sarabun" in n for n in names), names


def test_page_count_is_reasonable(rendered):
    _, _, reader, _ = rendered
    # memo + cover + charts/indicators + 7 themes with 2 measures each
    assert 5 <= len(reader.pages) <= 14


def test_user_text_is_data_not_markup():
    doc = sample()
    doc.agency_name = 'เทศบาล #set page(width: 1cm) *x* _y_ $z$ <l> @r \\ ] [ // ) } {'
    doc.themes[0].measures[0].name = "#panic(\"boom\") = หัวข้อ - รายการ"
    data = render_measures_pdf(doc)
    reader = PdfReader(io.BytesIO(data))
    text = norm(pdf_text(data))
    assert norm(doc.agency_name) in text
    assert norm(doc.themes[0].measures[0].name) in text
    assert reader.pages[0].mediabox.width > 500  # A4, not a 1 cm page


def test_optional_parts_may_be_missing():
    doc = sample()
    doc.memo = None
    doc.signatures = []
    doc.notes = []
    doc.indicators[9].value = None
    doc.indicators[9].text = "-"
    doc.themes[0].improve = []
    doc.themes[1].keep = []
    doc.themes[2].measures = []
    doc.themes[3].rows = [QuestionRow(r.tool, r.code, r.text, r.score, r.status, "+๑.๒๐")
                          for r in doc.themes[3].rows]
    doc.themes[4].measures = [MeasureRow("ก", "ข", [], "ค", "ง", "จ")]
    text = norm(pdf_text(render_measures_pdf(doc)))
    assert "บันทึกข้อความ" not in text
    assert "เปลี่ยนแปลง" in text and "+๑.๒๐" in text


def test_segment_marks_thai_word_boundaries_only():
    assert segment("นำแผนขึ้นเว็บไซต์") == "นำ\u200bแผน\u200bขึ้น\u200bเว็บไซต์"
    # codes, digits and brackets stay attached; a day stays with its month
    out = segment("O๗ แผนยุทธศาสตร์ (๐.๐๐) ถึง ๓๐ กันยายน ๒๕๖๘")
    assert "O๗ " in out and "(๐.๐๐)" in out and "๓๐\u00a0กันยายน" in out
    assert segment("IIT") == "IIT"


def test_compiler_is_reused():
    render_measures_pdf(sample())
    first = pdf_mod.MEASURES_TEMPLATE.compiler
    render_measures_pdf(sample())
    assert first is not None and pdf_mod.MEASURES_TEMPLATE.compiler is first
