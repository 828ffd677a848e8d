"""The cycle agencies are in now (late 2569 B.E.): FY2569 results → FY2570 measures.

FY2570's criteria are not out, FY2569's questions are unknown and many agencies hold only
indicator scores; none of that may leave a failing agency with an empty plan or a guessed code.
"""

import datetime as dt

import pytest
import yaml

from itadesk.agency import load_agency
from itadesk.criteria import criteria_in_force
from itadesk.criteria.loader import DATA_DIR, USER_DIR_ENV
from itadesk.documents import render_measures
from itadesk.errors import InputError
from itadesk.results import parse_results
from itadesk.status import KEEP
from itadesk.workflow import analyze_results, prepare_measures
from tests.support.docx_text import docx_text
from tests.support.pdf_text import norm, pdf_text

# A failing FY2569 agency that only has its ITAS summary: tools and the ten indicators.
FY2569_INDICATORS = """fiscal_year,2569
ITA,79.70
IIT,86.50
EIT,84.20
OIT,65.00
IND1,90.10
IND2,74.15
IND3,95.00
IND4,83.37
IND5,89.90
IND6,83.71
IND7,84.00
IND8,84.90
IND9,70.00
IND10,60.00
"""
WEAK_INDICATORS = {2, 4, 6, 7, 8, 9, 10}


def package_of(text: str, demo_agency, day=dt.date(2026, 11, 20)):
    results = parse_results(text.encode(), "fy.csv")
    return prepare_measures(analyze_results(results), load_agency(demo_agency), day=day)


def weak_codes(analysis) -> set[str]:
    return {r.entry.code for t in analysis.themes for r in t.weak}


def test_fy2569_indicator_scores_of_a_failing_agency_give_measures_for_every_weak_indicator(demo_agency):
    package = package_of(FY2569_INDICATORS, demo_agency)
    assert package.plan.plan_year == 2570
    assert weak_codes(package.analysis) == {f"IND{n}" for n in WEAK_INDICATORS}
    targeted = {t.code for m in package.plan.measures for t in m.targets}
    assert {f"IND{n}" for n in WEAK_INDICATORS} <= targeted
    # each weak indicator's row names the indicator, its score and the analysis text
    theme5 = next(t for t in package.document.themes if t.number == "๕")
    assert theme5.improve[0].startswith("ตัวชี้วัดที่ ๒ การใช้งบประมาณ ได้ ๗๔.๑๕ คะแนน")
    assert any("ตัวชี้วัดที่ ๒ การใช้งบประมาณ (๗๔.๑๕)" in m.issue for m in theme5.measures)


def test_the_memo_counts_the_weak_indicators_and_the_measures(demo_agency):
    package = package_of(FY2569_INDICATORS, demo_agency)
    memo = " ".join(package.document.memo.paragraphs)
    assert "ตัวชี้วัดที่ต้องแก้ไขหรือพัฒนา ๗ ตัวชี้วัด" in memo
    count = len(package.plan.measures)
    assert count >= len(WEAK_INDICATORS)
    assert f"จำนวน {str(count).translate(str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙'))} มาตรการ" in memo
    assert "๐ มาตรการ" not in memo


def test_an_indicator_scored_at_the_keep_mark_is_kept_not_planned(demo_agency):
    package = package_of(FY2569_INDICATORS, demo_agency)
    rows = {r.entry.code: r for t in package.analysis.themes for r in t.rows}
    assert rows["IND3"].status == KEEP
    assert "IND3" not in {t.code for m in package.plan.measures for t in m.targets if t.status != "maintain"}


def test_fy2569_item_scores_give_item_measures_under_the_fy2569_names(demo_agency):
    text = FY2569_INDICATORS.replace("IND10,60.00\n", "") + "O20,0\nO21,50\nO25,100\n"
    package = package_of(text, demo_agency)
    assert {"O20", "O21"} <= weak_codes(package.analysis)
    assert "IND10" not in weak_codes(package.analysis)   # its items are scored: they speak for it
    issues = " ".join(m.issue for t in package.document.themes for m in t.measures)
    assert "O๒๐ การขับเคลื่อนนโยบาย NO GIFT POLICY" in issues
    assert "O๒๑ การประเมินความเสี่ยงการทุจริตในหน่วยงานภาครัฐ" in issues


def test_a_fy2570_plan_prints_no_invented_item_code(demo_agency):
    assert criteria_in_force(2570).fiscal_year == 2569   # FY2570 is not out: FY2569 stands in
    document = package_of(FY2569_INDICATORS, demo_agency).document
    assert document.cover_title == ["มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
                                    "ประจำปีงบประมาณ พ.ศ. ๒๕๗๐"]
    printed = " ".join([*document.cover_title, *document.heading, document.memo.subject,
                        *document.memo.paragraphs])
    assert "O๒๕" not in printed and "O25" not in printed


def test_a_fy2569_plan_prints_its_item_code_and_title(demo_agency):
    text = FY2569_INDICATORS.replace("2569", "2568", 1)
    document = package_of(text, demo_agency).document
    assert document.cover_title[-1] == (
        "(การประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๙ ข้อ O๒๕ การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร)"
    )
    files = render_measures(document)
    line = norm("ข้อ O๒๕ การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร")
    assert line in norm(pdf_text(files["pdf"]))                        # printed on the PDF's cover
    assert line in norm(docx_text(files["docx"]))


def test_when_the_fy2570_criteria_arrive_the_plan_picks_them_up(demo_agency, tmp_path, monkeypatch):
    data = yaml.safe_load((DATA_DIR / "ita-2569.yaml").read_text("utf-8"))
    data["meta"].update(urn="urn:itadesk:criteria:ita:2570", fiscal_year=2570)
    for item in data["items"]:
        if item.get("function") == "measures_plan":
            item["code"], item["name"] = "O24", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
        elif item["code"] == "O24":
            item["code"] = "O25"
    for theme in data["themes"]:
        theme["codes"] = ["O25" if c == "O24" else "O24" if c == "O25" else c for c in theme["codes"]]
    folder = tmp_path / "criteria"
    folder.mkdir()
    (folder / "ita-2570.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    monkeypatch.setenv(USER_DIR_ENV, str(folder))
    document = package_of(FY2569_INDICATORS, demo_agency).document
    assert document.cover_title[-1].endswith("ข้อ O๒๔ มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน)")


def test_fy2569_question_scores_are_used_with_the_indicator_the_file_gives(demo_agency):
    text = FY2569_INDICATORS + "i4,60.00,2\ni5,70,๒\n"
    results = parse_results(text.encode(), "fy.csv")
    assert results.question_indicators == {"i4": 2, "i5": 2}
    analysis = analyze_results(results)
    budget = next(t for t in analysis.themes if t.theme.key == "budget")
    assert [r.entry.code for r in budget.weak] == ["i4", "i5"]      # the questions replace IND2's row
    assert all(r.topic == "ind.budget" for r in budget.weak)       # advice from their indicator
    package = prepare_measures(analysis, load_agency(demo_agency), day=dt.date(2026, 11, 20))
    assert {"i4", "i5"} <= {t.code for m in package.plan.measures for t in m.targets}


def test_fy2569_question_scores_without_an_indicator_are_held_back_with_a_message_not_dropped():
    results = parse_results((FY2569_INDICATORS + "i4,60.00\n").encode(), "fy.csv")
    assert "i4" not in results.scores
    (held,) = results.held_back
    assert held.row == 16 and "คอลัมน์ที่สาม" in held.message and "นำเข้าเกณฑ์" in held.message
    assert analyze_results(results).card.held_back == results.held_back


def test_a_question_given_an_indicator_of_the_other_tool_is_refused_with_its_row():
    with pytest.raises(InputError) as caught:
        parse_results((FY2569_INDICATORS + "e1,60,2\n").encode(), "fy.csv")
    (problem,) = caught.value.problems
    assert problem.row == 16 and "6–8" in problem.message


def test_fy2567_questions_are_still_checked_against_the_known_list():
    with pytest.raises(InputError) as caught:
        parse_results(b"fiscal_year,2567\ni99,50,1\n", "fy.csv")
    assert "ไม่รู้จักรหัส" in caught.value.problems[0].message
