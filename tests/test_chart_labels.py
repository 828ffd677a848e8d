"""Charts of the measures plan's PDF: the pass line's label never overlaps a bar's score or an
axis label, whatever the scores (the last bar just over the pass mark was the case seen)."""

import dataclasses
import datetime as dt

import pytest

from itadesk.agency import load_agency
from itadesk.documents.measures_pdf import render_measures_pdf
from itadesk.workflow import analyze_files, prepare_measures
from tests.support.pdf_lines import words_with_boxes

PASS_LABEL = "เกณฑ์ผ่าน"


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _collisions(pdf: bytes) -> tuple[int, list[str]]:
    words = words_with_boxes(pdf)
    labels = [(page, box) for page, word, box in words if word.startswith(PASS_LABEL)]
    hits = [f"หน้า {page}: {word}" for page, box in labels
            for other_page, word, other in words
            if other_page == page and not word.startswith(PASS_LABEL) and _overlap(box, other)
            and not word.isdigit()]   # the label's own number (the pass mark) is a word of its own
    return len(labels), hits


@pytest.mark.parametrize("results", ["demo/results-2569.yaml", "tests/data/seed000-2567.csv"])
@pytest.mark.parametrize("oit", [None, 85.4, 91.17, 99.9])
def test_the_pass_label_stands_clear_of_every_score(results, oit, request):
    root = request.config.rootpath
    analysis = analyze_files(root / results)
    if oit is not None:   # the last bar at, just over and far over the pass mark
        card = analysis.card
        analysis = dataclasses.replace(analysis, card=dataclasses.replace(card, tools={**card.tools, "OIT": oit}))
    package = prepare_measures(analysis, load_agency(root / "demo" / "agency.yaml"), day=dt.date(2026, 11, 20))
    labels, hits = _collisions(render_measures_pdf(package.document))
    assert labels >= 1, "the chart has no pass-line label"
    assert hits == []
