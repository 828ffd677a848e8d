"""The DOCX laid out by LibreOffice (a stand-in for Word with TH SarabunPSK) runs to about as
many pages as the PDF, numbers its pages, opens with the memo carrying the emblem and closes with
the signatures side by side, on a page that also carries the text before them."""

import datetime as dt
import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from itadesk.agency import load_agency
from itadesk.documents.measures_docx import render_measures_docx
from itadesk.documents.measures_pdf import render_measures_pdf
from itadesk.documents.province_docx import render_province_docx
from itadesk.documents.province_pdf import render_province_pdf
from itadesk.documents.results_report import build_results_report
from itadesk.documents.results_report_docx import render_results_report_docx
from itadesk.documents.results_report_pdf import render_results_report_pdf
from itadesk.documents.thai_text import domain_words
from itadesk.progress import load_progress
from itadesk.workflow import analyze_files, prepare_measures
from tests.support import word_layout
from tests.support.pdf_lines import line_breaks, split_words, words_with_boxes
from tests.test_whole_words import province_summary

pytestmark = pytest.mark.skipif(word_layout.missing() is not None, reason=str(word_layout.missing()))

DAY = dt.date(2026, 11, 20)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def drawn_images(page) -> int:
    """Images the page's content draws (LibreOffice shares one resource list between pages)."""
    xobjects = page["/Resources"].get("/XObject", {})
    names = re.findall(rb"/(\S+)\s+Do\b", page.get_contents().get_data())
    return sum(1 for n in names if xobjects.get("/" + n.decode(), {}).get("/Subtype") == "/Image")


@pytest.fixture(scope="module")
def rendered(request, tmp_path_factory):
    """{name: (DOCX, our PDF, LibreOffice's PDF of the DOCX)} for the demo agency's FY2570 plan
    (FY2569 scores), seed 000's FY2568 plan, the 12-month reports on the FY2568 and FY2569
    plans and a province summary."""
    root = request.config.rootpath
    agency = load_agency(root / "demo" / "agency.yaml")
    files = {}
    for name, results in (("plan-2570", "demo/results-2569.yaml"), ("seed000-plan-2568", "tests/data/seed000-2567.csv")):
        document = prepare_measures(analyze_files(root / results), agency, day=DAY).document
        files[name] = (render_measures_docx(document), render_measures_pdf(document))
    for year in (2568, 2569):
        package = prepare_measures(analyze_files(root / "demo" / f"results-{year - 1}.yaml"), agency, day=DAY)
        progress = load_progress(root / "demo" / f"progress-{year}.yaml", package.plan)
        report = build_results_report(package.analysis, package.plan, progress, 12, agency, day=DAY)
        files[f"report-{year}-12m"] = (render_results_report_docx(report), render_results_report_pdf(report))
    summary = province_summary()
    files["province-2568"] = (render_province_docx(summary), render_province_pdf(summary))
    laid_out = word_layout.docx_to_pdf({k: docx for k, (docx, _) in files.items()}, tmp_path_factory.mktemp("lo"))
    return {k: (docx, pdf, laid_out[k]) for k, (docx, pdf) in files.items()}


@pytest.mark.parametrize("name", ["plan-2570", "seed000-plan-2568", "report-2568-12m"])
def test_the_docx_runs_to_about_as_many_pages_as_the_pdf(rendered, name):
    _, pdf, word = rendered[name]
    ours, theirs = pages(pdf), pages(word)
    assert abs(theirs - ours) <= 0.25 * ours, f"DOCX {theirs} pages in LibreOffice, PDF {ours}"


def test_libreoffice_laid_it_out_in_the_th_sarabunpsk_stand_in(rendered):
    _, _, word = rendered["plan-2570"]
    reader = PdfReader(io.BytesIO(word))
    fonts = {str(f["/BaseFont"]) for p in reader.pages[:2] for f in p["/Resources"]["/Font"].values()}
    assert any("THSarabunPSK" in f for f in fonts), fonts


@pytest.mark.parametrize("name", ["plan-2570", "report-2568-12m"])
def test_every_section_numbers_its_pages_in_thai_digits(rendered, name):
    docx, _, word = rendered[name]
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = z.read("word/document.xml").decode()
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    sections = body.count("<w:sectPr")
    assert sections >= 1 and len(footers) == sections
    assert all('w:instr="PAGE"' in f for f in footers)
    assert body.count('w:fmt="thaiNumbers"') == sections
    reader = PdfReader(io.BytesIO(word))
    last = reader.pages[-1].extract_text().rstrip()
    assert last.endswith(f" {len(reader.pages)}")   # the field was laid out: "หน้า 14" on page 14


@pytest.mark.parametrize("name", ["plan-2570", "report-2568-12m"])
def test_the_first_page_is_the_memo_with_the_emblem(rendered, name):
    _, _, word = rendered[name]
    reader = PdfReader(io.BytesIO(word))
    assert "บันทึกข้อความ" in reader.pages[0].extract_text()
    assert drawn_images(reader.pages[0]) == 1                      # the emblem
    assert sum(drawn_images(p) for p in reader.pages[1:2]) == 0    # the memo's only picture


def signature_rows(pdf: bytes) -> tuple[list[list[tuple]], bool, bool]:
    """The last page's "ลงชื่อ" boxes grouped into rows (top to bottom); whether every row has as
    many "(name)" boxes on the line below it; whether any text stands above the first row."""
    last = pages(pdf)
    words = [(w, box) for page, w, box in words_with_boxes(pdf) if page == last]
    rows: list[list[tuple]] = []
    for box in sorted((box for w, box in words if "ลงชื่อ" in w), key=lambda b: (b[1], b[0])):
        if rows and abs(rows[-1][0][1] - box[1]) < 3:
            rows[-1].append(box)
        else:
            rows.append([box])
    if not rows:
        return rows, False, False
    height = rows[0][0][3] - rows[0][0][1]
    names = [box for w, box in words if w.startswith("(") and "ลงชื่อ" not in w]
    named = all(sum(1 for b in names if row[0][1] < b[1] < row[0][1] + 1.5 * height) == len(row)
                for row in rows)
    text_above = any(box[3] < rows[0][0][1] for w, box in words)
    return rows, named, text_above


@pytest.mark.parametrize("name", ["plan-2570", "seed000-plan-2568", "report-2568-12m", "report-2569-12m"])
def test_the_signatures_close_the_last_page_side_by_side_below_text(rendered, name):
    """No signature block alone on the last page (LibreOffice does not keep a table's last row
    with what follows the table), and the signers side by side as in the PDF: as many rows of
    "ลงชื่อ" lines, as many to a row, each with its "(name)" line below."""
    _, pdf, word = rendered[name]
    ours, ours_named, ours_above = signature_rows(pdf)
    theirs, named, above = signature_rows(word)
    assert ours_named and ours_above and len(ours[0]) >= 2
    assert [len(row) for row in theirs] == [len(row) for row in ours]
    assert named
    assert above, f"the signatures stand alone on page {pages(word)} in LibreOffice"


@pytest.mark.parametrize("name", ["plan-2570", "seed000-plan-2568", "report-2568-12m", "report-2569-12m",
                                  "province-2568"])
def test_libreoffice_breaks_no_line_inside_a_word(rendered, name):
    """LibreOffice breaks Thai with ICU's dictionary, not ours: without the word joiners of
    thai_text.whole_words it cut ข้อ|คำถาม, เท่า|เทียม, ประเมิน|ผล."""
    assert split_words(rendered[name][2], domain_words()) == []


@pytest.mark.parametrize("name", ["plan-2570", "seed000-plan-2568", "report-2569-12m", "province-2568"])
def test_no_word_is_too_wide_for_its_cell_in_libreoffice(rendered, name):
    """A word wider than its cell is cut letter by letter (ปลัด / อ / งค์การบริหาร…, a mark torn
    from its letter): a long compound must offer LibreOffice the breaks between its words."""
    torn = []
    for page, before, after in line_breaks(rendered[name][2]):
        for line in (before, after):
            if re.fullmatch(r"[\u0e01-\u0e2e]", line.strip()) or re.match(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", line):
                torn.append(f"หน้า {page}: {before!r} | {after!r}")
    assert torn == []

