"""The cover memo (บันทึกข้อความ) as the office signs it: emblem, date, subject, wording."""

import datetime as dt
import io

import pytest
from docx import Document
from pypdf import PdfReader

from itadesk.agency import load_agency
from itadesk.documents import render_measures
from itadesk.documents.measures_plan import default_memo_day
from itadesk.workflow import analyze_files, prepare_measures
from tests.support.docx_text import plain


@pytest.fixture(scope="module")
def fy2570(request):
    root = request.config.rootpath
    agency = load_agency(root / "demo" / "agency.yaml")
    package = prepare_measures(analyze_files(root / "demo" / "results-2569.yaml"), agency, day=dt.date(2026, 11, 20))
    return agency, package, render_measures(package.document)


def test_the_memo_page_of_the_pdf_carries_the_emblem(fy2570):
    agency, _, files = fy2570
    first = PdfReader(io.BytesIO(files["pdf"])).pages[0]
    images = first.images
    assert len(images) == 1
    assert images[0].image.size == (agency.emblem.width, agency.emblem.height)


def test_the_memo_of_the_docx_starts_with_the_emblem(fy2570):
    agency, _, files = fy2570
    document = Document(io.BytesIO(files["docx"]))
    heading = document.paragraphs[0]
    assert "บันทึกข้อความ" in plain(heading.text)
    blips = heading._p.xpath(".//a:blip/@r:embed")
    assert len(blips) == 1
    assert document.part.related_parts[blips[0]].blob == agency.emblem.data


def test_without_an_emblem_the_memo_has_no_image(request):
    from dataclasses import replace

    root = request.config.rootpath
    agency = replace(load_agency(root / "demo" / "agency.yaml"), emblem=None)
    package = prepare_measures(analyze_files(root / "demo" / "results-2569.yaml"), agency, day=dt.date(2026, 11, 20))
    files = render_measures(package.document)
    assert len(PdfReader(io.BytesIO(files["pdf"])).pages[0].images) == 0


def test_the_subject_keeps_the_era_with_its_year_and_the_first_paragraph_closes_with_nan(fy2570):
    _, package, _ = fy2570
    memo = package.document.memo
    assert memo.subject.endswith("ประจำปีงบประมาณ พ.ศ. ๒๕๗๐")
    assert memo.paragraphs[0].startswith("ตามที่") and memo.paragraphs[0].endswith(" นั้น")


@pytest.mark.parametrize(("today", "expected", "warns"), [
    (dt.date(2026, 11, 20), dt.date(2026, 11, 20), False),   # within the plan year: today
    (dt.date(2027, 10, 15), dt.date(2027, 10, 15), False),   # just after it: still today
    (dt.date(2028, 1, 10), dt.date(2026, 10, 1), True),      # long after: the fallback, with a warning
])
def test_the_default_memo_date_is_today_unless_today_is_long_after_the_period(today, expected, warns):
    day, warning = default_memo_day(dt.date(2027, 9, 30), dt.date(2026, 10, 1), today)
    assert day == expected and (warning is not None) == warns
