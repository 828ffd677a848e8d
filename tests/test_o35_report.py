"""The results report on the measures (O35 in FY2567): progress input, rounds, summary, DOCX/PDF."""

import datetime as dt
import io

import pytest
import yaml

from itadesk.agency import load_agency
from itadesk.documents.results_report import build_results_report
from itadesk.documents.results_report_docx import render_results_report_docx
from itadesk.documents.results_report_pdf import render_results_report_pdf
from itadesk.errors import InputError
from itadesk.progress import (
    CANCELLED,
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    load_progress,
    parse_progress,
    reporting_rounds,
    round_end,
    summarize,
)
from itadesk.thai import to_thai_digits
from itadesk.workflow import analyze_files, prepare_measures
from tests.support.docx_text import docx_text
from tests.support.pdf_text import norm, pdf_text


@pytest.fixture(scope="module")
def demo(request):
    root = request.config.rootpath
    agency = load_agency(root / "demo" / "agency.yaml")
    package = prepare_measures(analyze_files(root / "demo" / "results-2567.yaml"), agency)
    progress = load_progress(root / "demo" / "progress-2568.yaml", package.plan)
    return agency, package, progress


@pytest.fixture(scope="module")
def year_end(demo):
    agency, package, progress = demo
    doc = build_results_report(package.analysis, package.plan, progress, 12, agency, day=dt.date(2025, 10, 20))
    return doc, render_results_report_docx(doc), render_results_report_pdf(doc)


# --------------------------------------------------------------------------- rounds


def test_round_end_is_fiscal_year_start_plus_months_minus_one_day():
    assert round_end(2568, 6) == dt.date(2025, 3, 31)     # 31 มี.ค. 2568
    assert round_end(2568, 12) == dt.date(2025, 9, 30)    # 30 ก.ย. 2568
    assert round_end(2569, 6) == dt.date(2026, 3, 31)
    assert round_end(2568, 3) == dt.date(2024, 12, 31)


def test_rounds_come_from_the_criteria(demo):
    _, package, _ = demo
    rounds = reporting_rounds(package.plan)
    assert [(r.name, r.months) for r in rounds] == [("รอบ 6 เดือน", 6), ("รอบ 12 เดือน", 12)]
    assert all(r.start == dt.date(2024, 10, 1) for r in rounds)
    assert rounds[0].end == dt.date(2025, 3, 31)


# --------------------------------------------------------------------------- parsing


def _problems(plan, data) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_progress(data, "ผล.yaml", plan)
    return [str(p) for p in caught.value.problems]


def test_unknown_measure_id_names_file_and_value(demo):
    _, package, _ = demo
    [message] = _problems(package.plan, {"no_such_measure": {6: {"status": "done"}}})
    assert "ผล.yaml" in message and "no_such_measure" in message and "ไม่มีมาตรการ" in message


def test_unknown_round_names_measure_and_value(demo):
    _, package, _ = demo
    measure = package.plan.measures[0].measure_id
    [message] = _problems(package.plan, {measure: {9: {"status": "done"}}})
    assert measure in message and "รอบ 9" in message and "ไม่มีรอบรายงาน" in message and "9" in message


def test_unknown_status_names_measure_round_and_value(demo):
    _, package, _ = demo
    measure = package.plan.measures[1].measure_id
    [message] = _problems(package.plan, {measure: {"๑๒": {"status": "finished-ish"}}})
    assert measure in message and "รอบ 12 เดือน" in message and "finished-ish" in message
    assert "ไม่รู้จักสถานะ" in message


def test_cancelled_without_reason_names_measure_and_round(demo):
    _, package, _ = demo
    measure = package.plan.measures[2].measure_id
    [message] = _problems(package.plan, {measure: {"รอบ 6 เดือน": {"status": "cancelled"}}})
    assert measure in message and "รอบ 6 เดือน" in message and "เหตุผล" in message and "cancelled" in message


def test_every_problem_is_reported_at_once_and_wrong_year_and_fields_caught(demo):
    _, package, _ = demo
    first, second = (m.measure_id for m in package.plan.measures[:2])
    problems = _problems(package.plan, {
        "fiscal_year": 2567,
        "ghost": {6: {"status": "done"}},
        first: {6: {"status": "done", "outcom": "สะกดผิด"}, 7: {"status": "done"}},
        second: {12: {"done": "ไม่มีสถานะ", "evidence": [""]}},
    })
    text = "\n".join(problems)
    assert len(problems) == 6, problems
    for expected in ("2567", "ghost", "outcom", "รอบ 7", "status", "evidence"):
        assert expected in text, expected


def test_statuses_accept_thai_labels_and_rounds_thai_digits(demo):
    _, package, _ = demo
    measure = package.plan.measures[0].measure_id
    progress = parse_progress(
        {measure: {"๖": {"status": "อยู่ระหว่างดำเนินการ"}, "รอบ 12 เดือน": {"status": "ยกเลิก", "reason": "x"}}},
        "x.yaml", package.plan)
    assert progress.entry(measure, 6).status == IN_PROGRESS
    assert progress.entry(measure, 12).status == CANCELLED


def test_bad_yaml_file_names_the_line(tmp_path, demo):
    _, package, _ = demo
    path = tmp_path / "progress.yaml"
    path.write_text("a: [1,\n b: 2\n", "utf-8")
    with pytest.raises(InputError) as caught:
        load_progress(path, package.plan)
    assert "progress.yaml" in str(caught.value) and "บรรทัด" in str(caught.value)


# --------------------------------------------------------------------------- summary


def test_demo_summary_counts_per_round_and_theme(demo):
    _, package, progress = demo
    six = summarize(package.plan, progress, 6)
    twelve = summarize(package.plan, progress, "รอบ 12 เดือน")
    assert (six.counts.done, six.counts.in_progress, six.counts.not_started, six.counts.cancelled) == (4, 11, 1, 0)
    assert (twelve.counts.done, twelve.counts.in_progress, twelve.counts.not_started,
            twelve.counts.cancelled) == (13, 2, 0, 1)
    assert twelve.counts.total == len(package.plan.measures) == 16
    assert round(twelve.counts.done_percent, 2) == 86.67          # 13 of the 15 not cancelled
    for summary in (six, twelve):
        for status in (DONE, IN_PROGRESS, NOT_STARTED, CANCELLED):
            assert sum(t.counts.get(status) for t in summary.themes) == summary.counts.get(status)
    by_theme = {t.theme: t.counts for t in twelve.themes}
    assert by_theme[2].cancelled == 1 and by_theme[2].total == 4


def test_a_round_not_reported_carries_the_latest_earlier_one(demo):
    _, package, progress = demo
    assert 12 not in progress.entries["hr_report"]
    assert progress.entry("hr_report", 12).status == DONE
    unknown = parse_progress({}, "empty.yaml", package.plan)
    assert all(unknown.entry(m.measure_id, 12).status == NOT_STARTED for m in package.plan.measures)


# --------------------------------------------------------------------------- documents


def test_memo_subject_and_round_in_thai_digits(demo, year_end):
    doc, _, _ = year_end
    assert doc.memo.subject == (
        "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ (รอบ ๑๒ เดือน)")
    assert doc.round_period == "๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘"
    assert doc.ita == "๘๑.๒๘" and doc.level == "ต้องปรับปรุง"
    agency, package, progress = demo
    six = build_results_report(package.analysis, package.plan, progress, 6, agency, thai_digits=False)
    assert six.memo.subject.endswith("พ.ศ. 2568 (รอบ 6 เดือน)")
    assert "31 มีนาคม 2568" in six.round_period


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_report_holds_every_measure_with_its_results(demo, year_end, fmt):
    agency, package, progress = demo
    doc, docx_bytes, pdf_bytes = year_end
    text = norm(docx_text(docx_bytes) if fmt == "docx" else pdf_text(pdf_bytes))
    assert norm(agency.name) in text
    assert "รอบ๑๒เดือน" in text and "บันทึกข้อความ" in text and "๘๑.๒๘" in text
    for measure in package.plan.measures:
        assert norm(to_thai_digits(measure.name)) in text, measure.measure_id
        entry = progress.entry(measure.measure_id, 12)
        for part in (entry.done, entry.output, entry.outcome, entry.problems, entry.suggestions, entry.reason):
            if part:
                assert norm(to_thai_digits(part)) in text, (measure.measure_id, part)
    for link in ("https://www.bansuanhom.go.th/ita/2568/hr-report",):
        assert norm(link) in text
    for label in ("ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ", "ยกเลิก"):
        assert label in text


def test_pdf_is_a4_memo_portrait_then_landscape_results(year_end):
    from pypdf import PdfReader

    _, _, pdf_bytes = year_end
    pages = PdfReader(io.BytesIO(pdf_bytes)).pages
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages]
    assert sizes[0] == (595, 842) and sizes[1] == (595, 842)
    assert all(size == (842, 595) for size in sizes[2:])


def test_demo_progress_file_covers_every_measure_of_the_plan(demo, request):
    _, package, _ = demo
    data = yaml.safe_load((request.config.rootpath / "demo" / "progress-2568.yaml").read_text("utf-8"))
    assert set(data) - {"fiscal_year"} == {m.measure_id for m in package.plan.measures}


def test_the_12_month_report_shows_the_whole_years_work_of_a_measure(year_end, demo):
    doc, _, pdf = year_end
    _, package, progress = demo
    manual = next(r for r, m in zip(doc.rows, package.plan.measures, strict=True) if m.measure_id == "staff_manual")
    six, twelve = (progress.entries["staff_manual"][m].done.split()[0] for m in (6, 12))
    assert manual.done.startswith("ในรอบ ๖ เดือน ") and " / ในรอบ ๑๒ เดือน " in manual.done
    assert six in manual.done and twelve in manual.done


def test_one_completion_rate_defined_in_words(year_end):
    doc, _, _ = year_end
    text = " ".join(doc.summary_text)
    assert text.count("ร้อยละ") == 1 and "เทียบกับมาตรการที่ไม่ได้ยกเลิก" in text


def test_uploaded_evidence_files_are_listed_by_name(demo):
    import dataclasses

    agency, package, progress = demo
    first = package.plan.measures[0].measure_id
    entries = {k: dict(v) for k, v in progress.entries.items()}
    entries[first] = {m: dataclasses.replace(p, files=["คำสั่งแต่งตั้ง.pdf"]) for m, p in entries.get(first, {6: None}).items() if p}
    doc = build_results_report(package.analysis, package.plan, dataclasses.replace(progress, entries=entries),
                               12, agency, day=dt.date(2025, 10, 20))
    assert doc.rows[0].files == ["คำสั่งแต่งตั้ง.pdf"]
    assert norm("ไฟล์หลักฐาน: คำสั่งแต่งตั้ง.pdf") in norm(pdf_text(render_results_report_pdf(doc)))
    assert "คำสั่งแต่งตั้ง.pdf" in docx_text(render_results_report_docx(doc))
