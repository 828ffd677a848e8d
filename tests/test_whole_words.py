"""No document breaks a line inside a word: every document kind, rendered, read line by line.

The words checked are the domain dictionary of the documents (documents/domain_words.txt):
ดำเนินการ, มาตรการ, ประเมินผล, กิจกรรม, ผู้รับผิดชอบ… A ไม้ยมก never starts a line and "พ.ศ."
never ends one without its year.
"""

import datetime as dt

import pytest

from itadesk.agency import load_agency
from itadesk.criteria import load_criteria
from itadesk.documents.measures_pdf import render_measures_pdf
from itadesk.documents.province_pdf import render_province_pdf
from itadesk.documents.results_report import build_results_report
from itadesk.documents.results_report_pdf import render_results_report_pdf
from itadesk.documents.thai_text import domain_words
from itadesk.oit.checker import OK, CheckRun, UrlCheck
from itadesk.oit.report_pdf import render_oit_report_pdf
from itadesk.oit.verdict import predict
from itadesk.progress import load_progress
from itadesk.thai import bind_units
from itadesk.workflow import analyze_files, prepare_measures
from tests.support.pdf_lines import split_words


def measures_pdf(root, results: str) -> bytes:
    agency = load_agency(root / "demo" / "agency.yaml")
    package = prepare_measures(analyze_files(root / results), agency, day=dt.date(2026, 11, 20))
    return render_measures_pdf(package.document)


def results_report_pdf(root, results: str, progress: str) -> bytes:
    agency = load_agency(root / "demo" / "agency.yaml")
    package = prepare_measures(analyze_files(root / results), agency)
    report = build_results_report(package.analysis, package.plan, load_progress(root / progress, package.plan),
                                  12, agency, day=dt.date(2026, 10, 20))
    return render_results_report_pdf(report)


def oit_report_pdf() -> bytes:
    criteria = load_criteria(2569)
    checks = [UrlCheck(e.code, f"https://www.bansuanhom.go.th/ita/{e.code}", OK, 200, kind="html", text_chars=10,
                       year_match="be" if n % 3 else None, keywords_found=list(e.keywords[:1]) if n % 4 else [])
              for n, e in enumerate(criteria.entries) if e.is_oit_item and n % 5]
    run = CheckRun("องค์การบริหารส่วนตำบลบ้านสวนหอม", "https://www.bansuanhom.go.th", 2569, 2569,
                   "2026-11-20T08:00:00+00:00", "2026-11-20T08:01:00+00:00", checks)
    return render_oit_report_pdf(run, predict(run, criteria), run.agency, 2569)


def province_summary():
    """The province summary of a made-up region: a few agencies below the pass mark and the most
    common weaknesses, with the knowledge base's suggested measures."""
    from itadesk.documents.province import RegionFacts, build_province_summary
    from itadesk.knowledge import load_knowledge

    criteria = load_criteria(2568)
    entries = [e for e in criteria.entries if e.topic][:8]
    facts = RegionFacts(
        region="จังหวัดนครราชสีมา", addressee="ผู้ว่าราชการจังหวัดนครราชสีมา", fiscal_year=2568, agencies=40,
        with_results=38, passed=29, average=87.4,
        levels=[(lv.name, n) for lv, n in zip(criteria.levels, (5, 10, 14, 4, 3, 2, 0), strict=False)],
        below=[(f"องค์การบริหารส่วนตำบลบ้านหนองสวนหอม {n}", "โนนสูง", "อบต.", 70.5 + n, "ระดับ D")
               for n in range(9)],
        below_total=9,
        weaknesses=[{"code": e.code, "name": e.name, "topic": e.topic, "urgent": 12 - n, "improve": n + 3,
                     "scored": 38} for n, e in enumerate(entries)],
        itemised=38, pass_mark=criteria.pass_mark, urgent_below=criteria.classification.urgent_below,
        keep_at_least=criteria.classification.keep_at_least, author="นางสาวสมใจ ใฝ่ดี",
    )
    return build_province_summary(facts, load_knowledge(), day=dt.date(2026, 11, 20))


@pytest.mark.parametrize("kind", [
    "measures plan FY2570 (FY2569 results)", "measures plan FY2568 (seed 000)", "measures plan FY2568 (demo)",
    "results report FY2569", "OIT readiness report FY2569", "province summary FY2568",
])
def test_no_line_breaks_inside_a_word(kind, request):
    root = request.config.rootpath
    pdf = {
        "measures plan FY2570 (FY2569 results)": lambda: measures_pdf(root, "demo/results-2569.yaml"),
        "measures plan FY2568 (seed 000)": lambda: measures_pdf(root, "tests/data/seed000-2567.csv"),
        "measures plan FY2568 (demo)": lambda: measures_pdf(root, "demo/results-2567.yaml"),
        "results report FY2569": lambda: results_report_pdf(root, "demo/results-2568.yaml", "demo/progress-2569.yaml"),
        "OIT readiness report FY2569": oit_report_pdf,
        "province summary FY2568": lambda: render_province_pdf(province_summary()),
    }[kind]()
    assert split_words(pdf, domain_words()) == []


def test_the_check_itself_finds_words_cut_by_a_careless_layout(request, monkeypatch):
    """A control: with a break allowed between any two letters, the check must object."""
    import itadesk.documents.typst_parts as typst_parts

    monkeypatch.setattr(typst_parts, "segment", lambda text: "\u200b".join(text))
    found = split_words(measures_pdf(request.config.rootpath, "demo/results-2569.yaml"), domain_words())
    assert any("ถูกตัดกลางคำ" in f for f in found)


def test_yamok_and_era_stay_with_their_word():
    assert bind_units("ต่าง ๆ และ พ.ศ. ๒๕๖๙") == "ต่าง\u00a0ๆ และ พ.ศ.\u00a0๒๕๖๙"
    assert bind_units("ใดๆ ค.ศ.2025") == "ใด\u00a0ๆ ค.ศ.\u00a02025"


def test_the_oit_report_prints_thai_digits_except_in_web_addresses():
    import re

    from tests.support.pdf_text import pdf_text

    text = pdf_text(oit_report_pdf())
    prose = re.sub(r"https?://\S+|www\.\S+", " ", text)
    assert "พ.ศ." in prose and not re.findall(r"[0-9]", prose.replace("OIT", "").replace("ITA", ""))


def test_the_docx_text_reads_as_written_and_never_parts_a_mark_from_its_letter():
    """whole_words only adds invisible characters, each before a consonant or a leading vowel: one
    before a tone mark, a vowel above or below, or ำ would show as a dotted circle in Word."""
    from itadesk.documents.thai_text import WJ, ZWSP, whole_words
    from itadesk.knowledge import load_knowledge

    texts = [text for m in load_knowledge().measures.values() for text in (m.name, *m.steps)]
    assert len(texts) > 100
    for text in texts:
        joined = whole_words(text)
        assert joined.replace(WJ, "").replace(ZWSP, "") == bind_units(text)
        for before, after in zip(joined, joined[1:], strict=False):
            if before in (WJ, ZWSP):
                assert not ("\u0e30" <= after <= "\u0e3a" or "\u0e45" <= after <= "\u0e4e"), (text, after)
    assert whole_words("ข้อคำถาม") == WJ.join(["ข้", "อ", "คำ", "ถา", "ม"])
