"""The province (district, country) summary report to the region's head, in PDF and DOCX.

A cover memo (บันทึกข้อความ) as the agencies' documents have, then: how many agencies passed,
the levels, who is below the pass mark, the common weaknesses, and province-wide measures suggested by
the knowledge base for the most common weaknesses. Built from plain numbers the web layer
computes in SQL; laid out by ``province_pdf`` (Typst) and ``province_docx`` (python-docx) from the
same model, so both say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from itadesk.documents.model import Memo, Signature
from itadesk.knowledge import KnowledgeBase
from itadesk.thai import digits, format_score, thai_date

MAX_LISTED = 400        # agencies below the pass mark listed by name (the rest are counted)
TOP_WEAKNESSES = 10
MEASURED_WEAKNESSES = 5


@dataclass(frozen=True)
class RegionFacts:
    """What the web layer measured (plain numbers and names)."""

    region: str                  # "จังหวัดนครราชสีมา", "อำเภอโนนสูง จังหวัดนครราชสีมา", "ทั้งประเทศ"
    addressee: str               # เรียน …
    fiscal_year: int
    agencies: int
    with_results: int
    passed: int
    average: float | None
    levels: list[tuple[str, int]]                     # (level name, agencies), in the criteria's order
    below: list[tuple[str, str, str, float, str]]     # (name, district, type, ITA, level name), lowest first
    below_total: int
    weaknesses: list[dict]       # {code, name, topic, urgent, improve, scored}, most common first
    itemised: int                # agencies with per-item scores
    pass_mark: float             # the lowest ITA of a passing level (Criteria.pass_mark)
    urgent_below: float          # the criteria's classification
    keep_at_least: float
    filters: str = ""            # "ประเภท อบต." when the report covers part of the region
    author: str = ""
    author_position: str = "ผู้กำกับดูแล"


@dataclass(frozen=True)
class SuggestedMeasure:
    answers: str                 # "O12 รายการการจัดซื้อจัดจ้าง… (ต้องพัฒนา ๔๒ แห่ง)"
    name: str
    steps: list[str]


@dataclass
class ProvinceSummaryDocument:
    thai_digits: bool
    title: str
    region_line: str
    memo: Memo
    overview: list[str]
    level_rows: list[tuple[str, str, str]]          # level, count, percent
    total_row: tuple[str, str, str]
    below_title: str
    below_rows: list[tuple[str, str, str, str, str, str]]
    below_note: str
    weakness_title: str
    weakness_note: str
    weakness_rows: list[tuple[str, str, str, str, str]]   # code, name, urgent, improve, scored
    measures_title: str
    measures: list[SuggestedMeasure] = field(default_factory=list)


def _pct(n: int, total: int, th: bool) -> str:
    return digits(f"{100.0 * n / total:.2f}", th) if total else digits("0.00", th)


def suggested_measures(facts: RegionFacts, kb: KnowledgeBase, th: bool) -> list[SuggestedMeasure]:
    """The knowledge base's measures for the most common weaknesses (each measure once)."""
    out, seen = [], set()
    for w in facts.weaknesses[:MEASURED_WEAKNESSES]:
        advice = kb.topics.get(w["topic"] or "")
        if advice is None or not (w["urgent"] + w["improve"]):
            continue
        answers = (f"{w['code']} {w['name']} (เร่งด่วน {digits(w['urgent'], th)} แห่ง "
                   f"ต้องพัฒนา {digits(w['improve'], th)} แห่ง)")
        for measure_id in advice.measures:
            measure = kb.measures.get(measure_id)
            if measure is None or measure_id in seen:
                continue
            seen.add(measure_id)
            out.append(SuggestedMeasure(answers, measure.name, list(measure.steps)))
    return out


def build_province_summary(facts: RegionFacts, kb: KnowledgeBase, thai_digits: bool = True,
                           day: dt.date | None = None) -> ProvinceSummaryDocument:
    th = thai_digits
    year = digits(facts.fiscal_year, th)
    n = lambda v: digits(f"{v:,}", th)  # noqa: E731
    scope = facts.region + (f" ({facts.filters})" if facts.filters else "")
    failed = facts.with_results - facts.passed
    mark = digits(f"{facts.pass_mark:g}", th)
    title = (f"รายงานสรุปผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
             f"ประจำปีงบประมาณ พ.ศ. {year}")
    overview = [
        f"หน่วยงานใน{scope} จำนวน {n(facts.agencies)} แห่ง มีผลการประเมินประจำปีงบประมาณ พ.ศ. {year} "
        f"จำนวน {n(facts.with_results)} แห่ง คะแนนเฉลี่ย {format_score(facts.average, th)} คะแนน "
        f"ผ่านเกณฑ์ ({mark} คะแนนขึ้นไป) {n(facts.passed)} แห่ง คิดเป็นร้อยละ {_pct(facts.passed, facts.with_results, th)} "
        f"และไม่ผ่านเกณฑ์ {n(failed)} แห่ง",
    ]
    if facts.agencies > facts.with_results:
        overview.append(f"ยังไม่มีผลการประเมินของปีนี้ {n(facts.agencies - facts.with_results)} แห่ง")
    top = facts.weaknesses[:3]
    if top:
        overview.append("ข้อที่หน่วยงานจำนวนมากยังมีคะแนนต่ำ ได้แก่ " + " ".join(
            f"{w['code']} {w['name']} ({n(w['urgent'] + w['improve'])} แห่ง)" for w in top))
    memo = Memo(
        office=facts.region, reference="", date=thai_date(day or dt.date.today(), th),
        subject=f"รายงานสรุปผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year} ของหน่วยงานใน{facts.region}",
        to=facts.addressee,
        paragraphs=[*overview,
                    f"รายละเอียดหน่วยงานที่มีคะแนนต่ำกว่า {mark} คะแนน จุดอ่อนร่วมของหน่วยงาน "
                    "และแนวทางส่งเสริมที่เสนอให้ดำเนินการร่วมกัน ปรากฏตามรายงานที่แนบ"],
        closing="จึงเรียนมาเพื่อโปรดทราบและพิจารณา",
        signers=[Signature(facts.author or "." * 40, facts.author_position)],
    )
    level_rows = [(name, n(count), _pct(count, facts.with_results, th)) for name, count in facts.levels]
    below_rows = [(n(i), name, district or "-", type_, format_score(ita, th), level)
                  for i, (name, district, type_, ita, level) in enumerate(facts.below, 1)]
    below_note = ""
    if facts.below_total > len(facts.below):
        below_note = (f"แสดง {n(len(facts.below))} แห่งแรก จากทั้งหมด {n(facts.below_total)} แห่ง "
                      "(รายชื่อครบในไฟล์ XLSX ของหน้าภาพรวม)")
    weakness_rows = [(w["code"], w["name"], n(w["urgent"]), n(w["improve"]), n(w["scored"]))
                     for w in facts.weaknesses[:TOP_WEAKNESSES]]
    return ProvinceSummaryDocument(
        thai_digits=th, title=title, region_line=scope, memo=memo, overview=overview,
        level_rows=level_rows,
        total_row=("รวม", n(facts.with_results), digits("100.00", th) if facts.with_results else "-"),
        below_title=f"{digits(2, th)}. หน่วยงานที่มีคะแนนต่ำกว่า {mark} คะแนน ({n(facts.below_total)} แห่ง)",
        below_rows=below_rows, below_note=below_note,
        weakness_title=f"{digits(3, th)}. จุดอ่อนร่วมของหน่วยงาน",
        weakness_note=(f"นับจากหน่วยงานที่มีคะแนนรายข้อในระบบ {n(facts.itemised)} แห่ง "
                       f"(ต่ำกว่า {digits(f'{facts.urgent_below:g}', th)} คะแนน = เร่งด่วน, "
                       f"ต่ำกว่า {digits(f'{facts.keep_at_least:g}', th)} คะแนน = ต้องพัฒนา)"),
        weakness_rows=weakness_rows,
        measures_title=f"{digits(4, th)}. แนวทางส่งเสริมที่เสนอให้ดำเนินการร่วมกันใน{facts.region}",
        measures=suggested_measures(facts, kb, th),
    )
