"""DOCX rendering of a MeasuresDocument, read back with python-docx; chart PNGs."""

from __future__ import annotations

import io
import struct

import pytest
from docx import Document
from docx.oxml.ns import qn

from itadesk.documents.charts import indicators_chart_png, tools_chart_png
from itadesk.documents.docx_parts import FONT
from itadesk.documents.measures_docx import render_measures_docx
from tests.support.docx_text import docx_text, plain
from tests.support.sample_document import sample

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def document():
    return sample()


@pytest.fixture(scope="module")
def charts(document):
    return (tools_chart_png(document.ita, document.tools, document.thai_digits, document.pass_mark),
            indicators_chart_png(document.indicators, document.thai_digits, document.pass_mark))


def _read(data: bytes):
    return Document(io.BytesIO(data))


def _all_text(data: bytes) -> str:
    """The text as a reader sees it (a no-break space reads as a space)."""
    return docx_text(data).replace("\u00a0", " ")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("landscape", [True, False])
def test_docx_says_everything(document, charts, landscape):
    text = _all_text(render_measures_docx(document, charts=charts, landscape_measures=landscape))
    assert document.agency_name in text
    assert len(document.themes) == 7
    for theme in document.themes:
        assert theme.name in text
        for row in theme.rows:
            assert row.code in text
        for measure in theme.measures:
            assert measure.name in text
            for step in measure.steps:
                assert step in text
    memo = document.memo
    for line in (memo.subject, memo.closing, *memo.paragraphs):
        assert line in text
    for signature in document.signatures:
        assert f"({signature.name})" in text


def test_every_run_has_thai_complex_script_font(document, charts):
    body = _read(render_measures_docx(document, charts=charts)).element.body
    runs = list(body.iter(qn("w:r")))
    assert len(runs) > 100
    for r in runs:
        rPr = r.find(qn("w:rPr"))
        assert rPr is not None, r.xml
        assert rPr.find(qn("w:rFonts")).get(qn("w:cs")) == FONT
        assert rPr.find(qn("w:szCs")) is not None
        assert rPr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"


def test_styles_carry_thai_font_without_theme_fonts(document, charts):
    styles = _read(render_measures_docx(document, charts=charts)).styles
    for name in ("Normal", "Table Grid", "Heading 1", "Heading 2"):
        rFonts = styles[name].element.rPr.find(qn("w:rFonts"))
        assert rFonts.get(qn("w:cs")) == FONT
        assert rFonts.get(qn("w:cstheme")) is None


def test_tables_have_fixed_widths_and_repeated_headers(document, charts):
    docx = _read(render_measures_docx(document, charts=charts))
    grid_tables = [t for t in docx.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(grid_tables) == 1 + 7 + 7  # indicators, 7 score tables, 7 measures tables
    for table in grid_tables:
        grid = [col.w for col in table._tbl.tblGrid.gridCol_lst]
        assert all(grid)
        assert [tc.width for tc in table.rows[1]._tr.tc_lst] == grid
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_arabic_digits_document_numbers_steps_in_arabic(document, charts):
    document = sample()
    document.thai_digits = False
    text = _all_text(render_measures_docx(document, charts=charts))
    assert "1. " + document.themes[0].measures[0].steps[0] in text


def test_render_makes_its_own_charts(document):
    docx = _read(render_measures_docx(document))
    assert len(docx.inline_shapes) == 2


def test_tools_chart_png(document):
    data = tools_chart_png(document.ita, document.tools, thai_digits=True, pass_mark=85)
    width, height = _png_size(data)
    assert 600 <= width <= 1200 and 300 <= height <= 700


def test_indicators_chart_png(document):
    data = indicators_chart_png(document.indicators, thai_digits=False, pass_mark=85)
    width, height = _png_size(data)
    assert 800 <= width <= 1200 and 300 <= height <= 700


def test_chart_with_missing_score(document):
    bars = list(document.tools)
    bars[0] = type(bars[0])("IIT", "IIT", None, "-")
    assert _png_size(tools_chart_png(document.ita, bars, thai_digits=True, pass_mark=85))[0] > 0


def test_a_chart_shows_only_its_own_bars_when_the_fixed_part_is_reused(document):
    """The scale and labels are drawn once and reused: a chart drawn after another agency's
    must be pixel for pixel the chart drawn first, with nothing left of the earlier bars."""
    from dataclasses import replace

    from itadesk.documents import charts as chart_module

    other = [replace(bar, value=(bar.value or 0) / 2, text="OTHER") for bar in document.indicators]
    chart_module._indicators_background.cache_clear()
    chart_module._tools_background.cache_clear()
    fresh_indicators = indicators_chart_png(document.indicators, thai_digits=True, pass_mark=85)
    fresh_tools = tools_chart_png(document.ita, document.tools, thai_digits=True, pass_mark=85)
    indicators_chart_png(other, thai_digits=True, pass_mark=85)
    tools_chart_png(replace(document.ita, value=12.0, text="12"), document.tools[::-1], thai_digits=True, pass_mark=85)
    assert indicators_chart_png(document.indicators, thai_digits=True, pass_mark=85) == fresh_indicators
    assert tools_chart_png(document.ita, document.tools, thai_digits=True, pass_mark=85) == fresh_tools
    assert indicators_chart_png(other, thai_digits=True, pass_mark=85) != fresh_indicators


def test_both_charts_draw_the_years_pass_mark(document):
    assert tools_chart_png(document.ita, document.tools, True, 85) != tools_chart_png(document.ita, document.tools, True, 60)
    assert indicators_chart_png(document.indicators, True, 85) != indicators_chart_png(document.indicators, True, 60)


@pytest.mark.parametrize(("score", "inside"), [(84.0, True), (80.5, True), (95.0, False), (60.0, False), (85.2, True)])
def test_a_score_next_to_the_pass_line_is_written_inside_its_bar(score, inside):
    import matplotlib.pyplot as plt

    from itadesk.documents.charts import _bar_artists
    from itadesk.documents.model import ScoreBar

    fig, ax = plt.subplots()
    try:
        _, label = _bar_artists(ax, [ScoreBar("ITA", "ITA", score, str(score))], ["#000000"], "sans-serif", 85.0)
        assert (label.get_position()[1] < score) == inside
    finally:
        plt.close(fig)


def test_every_page_of_both_docx_documents_has_a_thai_page_number(document):
    docx = _read(render_measures_docx(document))
    for section in docx.sections:
        footer = section.footer._element
        assert footer.xpath('.//w:fldSimple[@w:instr="PAGE"]') and "หน้า" in plain(section.footer.paragraphs[0].text)
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")) == "thaiNumbers"


def test_the_memos_two_signers_stand_side_by_side_as_in_the_pdf(request):
    import datetime as dt

    from itadesk.agency import load_agency
    from itadesk.workflow import analyze_files, prepare_measures

    root = request.config.rootpath
    package = prepare_measures(analyze_files(root / "demo" / "results-2567.yaml"),
                               load_agency(root / "demo" / "agency.yaml"), day=dt.date(2025, 10, 15))
    memo = package.document.memo
    assert len(memo.signers) == 2
    first_table = _read(render_measures_docx(package.document)).tables[0]
    cells = first_table.rows[0].cells
    assert len(cells) == 2 and [f"({s.name})" in plain(c.text) for c, s in zip(cells, memo.signers, strict=False)] == [True, True]


def test_a_long_measure_row_may_continue_on_the_next_page_a_short_one_not(document):
    from dataclasses import replace

    short = document.themes[0].measures[0]
    long = replace(short, steps=[f"ขั้นตอนที่ยาวมากเพื่อทดสอบการแบ่งหน้าของตาราง {n}" * 3 for n in range(8)])
    assert short.keeps_whole() and not long.keeps_whole()
    themes = [replace(t, measures=[short, long, short]) if i == 0 else replace(t, measures=[]) for i, t in enumerate(document.themes)]
    docx = _read(render_measures_docx(replace(document, themes=themes)))
    measures = next(t for t in docx.tables if plain(t.rows[0].cells[0].text) == "ประเด็น")
    *rows, signatures = measures.rows[1:]
    kept = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows]
    assert kept == [True, False, True]   # the last one also keeps the signatures with it
    last = rows[-1]._tr
    assert all(p.pPr is not None and p.pPr.keepNext is not None for tc in last.tc_lst for p in tc.p_lst)
    # the signatures: the table's last row, whole, across every column
    assert "ลงชื่อ" in plain("".join(signatures._tr.itertext())) and len(signatures._tr.tc_lst) == 1
    assert signatures._tr.trPr.find(qn("w:cantSplit")) is not None
