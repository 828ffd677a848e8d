"""A measure's evidence links follow one rule (itadesk.links) on the progress page, in the API
(which goes through the page's form) and in the progress sheet's import: a link or a number of
links one accepts, the others accept; one refuses, the others refuse."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from itadesk.errors import InputError
from itadesk.links import MAX_REPORT_LINKS, MAX_URL_CHARS
from itadesk.progress_sheet import read_progress_xlsx
from itadesk.web.progress.forms import parse_links
from tests.test_progress_sheet import PLAN, ROUNDS, _edit, _sheet

BASE = "https://www.example.go.th/"


def _links(count: int) -> list[str]:
    return [f"{BASE}news/{n}" for n in range(count)]


CASES = [
    ([BASE + "a" * (MAX_URL_CHARS - len(BASE))], True),        # as long as a link may be
    ([BASE + "a" * (MAX_URL_CHARS - len(BASE) + 1)], False),   # one character more
    (_links(MAX_REPORT_LINKS), True),
    (_links(MAX_REPORT_LINKS + 1), False),
    (["javascript:alert(1)"], False),
    (["https://officer:secret@www.example.go.th/"], False),
    (["www.example.go.th/manual"], False),
]


def page_accepts(links: list[str]) -> bool:
    try:
        return parse_links("\n".join(links)) == links
    except ValidationError:
        return False


def sheet_accepts(links: list[str]) -> bool:
    data = _edit(_sheet(), {2: {"สถานะ": "ดำเนินการแล้วเสร็จ", "ลิงก์หลักฐาน (บรรทัดละลิงก์)": "\n".join(links)}})
    try:
        rows = read_progress_xlsx(data, "ผล.xlsx", PLAN, ROUNDS)
    except InputError:
        return False
    return [list(row.progress.evidence) for row in rows] == [links]


@pytest.mark.parametrize(("links", "accepted"), CASES, ids=range(len(CASES)))
def test_page_api_and_sheet_agree_on_a_links_length_and_count(links, accepted):
    assert page_accepts(links) is accepted
    assert sheet_accepts(links) is accepted
