"""Build the measures plan (O34 in FY2567, O27 in FY2568, O25 in FY2569) and its cover memo
from an analysis and a plan."""

from __future__ import annotations

import datetime as dt

from itadesk.agency import Agency
from itadesk.analysis import Analysis, ThemeResult, classify, improve_paragraphs, keep_paragraphs
from itadesk.criteria import Criteria, Entry, Indicator
from itadesk.documents.model import (
    MeasureRow,
    MeasuresDocument,
    Memo,
    QuestionRow,
    ScoreBar,
    ThemeSection,
    Titles,
)
from itadesk.documents.wording import DOCUMENT_TITLE, Formatter, build_memo, default_memo_day, signature
from itadesk.knowledge import KnowledgeBase
from itadesk.plan import MeasuresPlan, PlannedMeasure
from itadesk.status import IMPROVE, KEEP, URGENT
from itadesk.thai import fiscal_year_bounds, thai_list


def _measure_row(measure: PlannedMeasure, fmt: Formatter) -> MeasureRow:
    issue = "; ".join(f"{fmt.code(t.code)} {t.name} ({fmt.score(t.score)})" for t in measure.targets)
    return MeasureRow(
        issue=issue, name=fmt.num(measure.name), steps=[fmt.num(s) for s in measure.steps],
        responsible=fmt.num(measure.responsible), period=measure.period, monitoring=fmt.num(measure.monitoring),
    )


def measures_item_line(plan_criteria: Criteria, plan_year: int, fmt: Formatter) -> str | None:
    """"ข้อ O๒๕ การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" when the plan year's own criteria name
    the measures-plan item; None while that year's criteria are not out (a stand-in year's code
    would be a guess) or the item is only inferred."""
    item = plan_criteria.entry_with_function("measures_plan")
    if plan_criteria.fiscal_year != plan_year or item is None or item.status not in ("confirmed", "unconfirmed"):
        return None
    return f"ข้อ {fmt.code(item.code)} {item.label}"


def _weak_points_text(analysis: Analysis, fmt: Formatter) -> str:
    """"ตัวชี้วัดที่ต้องแก้ไขหรือพัฒนา ๔ ตัวชี้วัด และข้อที่ต้องแก้ไขหรือพัฒนา ๓ ข้อ" (what was found)."""
    indicators, entries = analysis.weak_count(indicators=True), analysis.weak_count(indicators=False)
    parts = []
    if indicators:
        parts.append(f"ตัวชี้วัดที่ต้องแก้ไขหรือพัฒนา {fmt.num(indicators)} ตัวชี้วัด")
    if entries or not indicators:
        parts.append(f"ข้อที่ต้องแก้ไขหรือพัฒนา {fmt.num(entries)} ข้อ")
    return " และ".join(parts)


def plan_memo_day(plan_year: int, today: dt.date | None = None) -> tuple[dt.date, str | None]:
    """The measures plan's memo date: today, or the plan year's first day when its year is long over."""
    first, last = fiscal_year_bounds(plan_year)
    return default_memo_day(last, first, today)


def _score_bars(analysis: Analysis, fmt: Formatter) -> tuple[list[ScoreBar], list[ScoreBar]]:
    """The tools' and the indicators' bars (charts and the indicator table)."""
    criteria, card = analysis.criteria, analysis.card
    tools = [ScoreBar(t.code, t.code, card.tools.get(t.code), fmt.score(card.tools.get(t.code)))
             for t in criteria.tools]
    indicators = [
        ScoreBar(f"ตัวชี้วัดที่ {fmt.num(i.number)} {i.name or ''}".strip(), fmt.num(i.number),
                 card.indicators.get(i.number), fmt.score(card.indicators.get(i.number)), i.tool)
        for i in criteria.indicators
    ]
    return tools, indicators


def _theme_sections(analysis: Analysis, plan: MeasuresPlan, kb: KnowledgeBase, fmt: Formatter) -> list[ThemeSection]:
    themes = []
    for theme in analysis.themes:
        rows = [
            QuestionRow(r.tool, fmt.reference(r.entry), r.entry.text or r.entry.label, fmt.score(r.score),
                        r.status, fmt.change(r.change))
            for r in theme.rows
        ]
        themes.append(ThemeSection(
            number=fmt.num(theme.theme.number), name=theme.theme.name, rows=rows,
            improve=[fmt.num(p) for p in improve_paragraphs(theme, kb, fmt)],
            keep=[fmt.num(p) for p in keep_paragraphs(theme, kb, fmt)],
            measures=[_measure_row(m, fmt) for m in plan.for_theme(theme.theme.number)],
            overview=fmt.num(_theme_overview(theme, len(plan.for_theme(theme.theme.number)), fmt)),
        ))
    return themes


def _theme_overview(theme: ThemeResult, measures: int, fmt: Formatter) -> str:
    """One paragraph for the theme: how many of its items pass and how many are weak (the weakest
    named), and what the plan does about it."""
    scored = [r for r in theme.rows if r.score is not None]
    if not scored:
        return ""
    weak = [r for r in scored if r.status != KEEP]
    urgent = [r for r in weak if r.status == URGENT]
    text = f"ประเด็นนี้มีข้อที่นำมาวิเคราะห์ {fmt.num(len(scored))} ข้อ"
    if not weak:
        text += " ผ่านเกณฑ์ทุกข้อ"
        if measures:
            return text + f" หน่วยงานกำหนดมาตรการเพื่อรักษามาตรฐานไว้ {fmt.num(measures)} มาตรการ"
        return text + " หน่วยงานจะคงไว้ซึ่งแนวทางการปฏิบัติงานเดิมและติดตามผลอย่างต่อเนื่อง"
    passed = len(scored) - len(weak)
    text += f" ผ่านเกณฑ์ {fmt.num(passed)} ข้อ และยังต้องพัฒนา {fmt.num(len(weak))} ข้อ" if passed else " ยังไม่ผ่านเกณฑ์ทุกข้อ"
    if urgent:
        text += f" ในจำนวนนี้เป็นข้อที่ต้องแก้ไขโดยเร่งด่วน {fmt.num(len(urgent))} ข้อ"
    worst = min(weak, key=lambda r: r.score)
    text += f" ข้อที่ได้คะแนนต่ำสุดคือ{fmt.reference(worst.entry)} {worst.entry.label} ({fmt.score(worst.score)} คะแนน)"
    if measures:
        text += f" หน่วยงานจึงกำหนดมาตรการในประเด็นนี้ {fmt.num(measures)} มาตรการ"
    return text


def _executive_summary(analysis: Analysis, plan: MeasuresPlan, agency: Agency, fmt: Formatter,
                       level: str) -> list[str]:
    """บทสรุปผู้บริหาร: the year's result against the pass mark, the strongest and weakest tool, the
    indicators below the pass mark, and what the plan does."""
    criteria, card = analysis.criteria, analysis.card
    assessed, plan_year = fmt.num(plan.assessed_year), fmt.num(plan.plan_year)
    mark = fmt.num(f"{criteria.pass_mark:g}")
    passed = card.ita is not None and card.ita >= criteria.pass_mark
    first = (f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. {assessed} "
             f"{agency.name}ได้คะแนน {fmt.score(card.ita)} คะแนน อยู่ในระดับ {level} "
             f"ซึ่ง{'ผ่าน' if passed else 'ยังไม่ผ่าน'}เกณฑ์ {mark} คะแนน")
    tools = [(t, score) for t in criteria.tools if (score := card.tools.get(t.code)) is not None]
    if len(tools) > 1:
        (best, high), (worst, low) = max(tools, key=lambda x: x[1]), min(tools, key=lambda x: x[1])
        if high > low:
            first += (f" จุดแข็งของหน่วยงานอยู่ที่{best.name} ({best.code}) ซึ่งได้ {fmt.score(high)} คะแนน "
                      f"ส่วนที่ได้คะแนนต่ำที่สุดคือ{worst.name} ({worst.code}) ซึ่งได้ {fmt.score(low)} คะแนน")
    below = sorted(((i, score) for i in criteria.indicators
                    if (score := card.indicators.get(i.number)) is not None and score < criteria.pass_mark),
                   key=lambda x: x[1])
    if below:
        listed = thai_list([f"ตัวชี้วัดที่ {fmt.num(i.number)} {i.name or ''} ({fmt.score(v)} คะแนน)".replace("  ", " ")
                            for i, v in below])
        second = f"ตัวชี้วัดที่ได้คะแนนต่ำกว่า {mark} คะแนนมี {fmt.num(len(below))} ตัวชี้วัด ได้แก่ {listed}"
    else:
        second = f"ทุกตัวชี้วัดได้คะแนนตั้งแต่ {mark} คะแนนขึ้นไป"
    themes = sum(1 for t in analysis.themes if plan.for_theme(t.theme.number))
    second += (f" หน่วยงานจึงได้จัดทำ{DOCUMENT_TITLE} ประจำปีงบประมาณ พ.ศ. {plan_year} "
               f"จำนวน {fmt.num(len(plan.measures))} มาตรการ ใน {fmt.num(themes)} ประเด็น "
               "เพื่อแก้ไขข้อที่ได้คะแนนต่ำเป็นลำดับแรก และคงไว้ซึ่งมาตรฐานของข้อที่ผ่านเกณฑ์แล้ว")
    return [first, second]


# How a paragraph names the criteria's classification of a score (the analysis's own levels).
_LEVEL_TEXT = {KEEP: "อยู่ในระดับที่ควรรักษาไว้", IMPROVE: "อยู่ในระดับที่ต้องพัฒนา",
               URGENT: "อยู่ในระดับที่ต้องแก้ไขโดยเร่งด่วน"}
NAMED_WEAKEST = 3   # weak questions or items named per indicator; the rest are counted


def _entry_name(entry: Entry, fmt: Formatter) -> str:
    """An OIT item with its code ("ข้อ O๑๔ รายการการจัดซื้อ…"), a question by its wording's name."""
    if entry.is_oit_item or not entry.name:
        return f"{fmt.reference(entry)} {entry.name or ''}".strip()
    return f"ข้อ “{entry.name}”"


def _indicator_paragraph(indicator: Indicator, analysis: Analysis, fmt: Formatter) -> str:
    """Two or three sentences on one indicator: its score and level against the pass mark, the change
    since last year when last year's score is known, and its weakest questions or items when they
    have scores (results given per indicator say nothing about them)."""
    criteria, card = analysis.criteria, analysis.card
    name = f"ตัวชี้วัดที่ {fmt.num(indicator.number)} {indicator.name or ''}".strip()
    score = card.indicators.get(indicator.number)
    if score is None:
        return f"{name} ไม่มีคะแนนในผลการประเมินที่นำมาวิเคราะห์"
    mark = fmt.num(f"{criteria.pass_mark:g}")
    passed = score >= criteria.pass_mark
    status = classify(indicator.as_entry(), score, criteria)
    joiner = " และ" if passed == (status == KEEP) else " แต่"
    text = (f"{name} ได้ {fmt.score(score)} คะแนน {'ผ่านเกณฑ์' if passed else 'ต่ำกว่าเกณฑ์'} {mark} คะแนน"
            f"{joiner}{_LEVEL_TEXT[status]}")
    previous = analysis.previous_indicator(indicator)
    if previous is not None and analysis.previous is not None:
        change = round(score - previous, 2)
        text += (f" เมื่อเทียบกับปีงบประมาณ พ.ศ. {fmt.num(analysis.previous.fiscal_year)} "
                 f"ซึ่งได้ {fmt.score(previous)} คะแนน ")
        text += ("คะแนนไม่เปลี่ยนแปลง" if change == 0 else
                 f"{'เพิ่มขึ้น' if change > 0 else 'ลดลง'} {fmt.score(abs(change))} คะแนน")
    scored = [(e, v) for e in criteria.entries_of_indicator[indicator.number]
              if (v := card.entries.get(e.code)) is not None]
    if scored:
        text += " " + _weakest_text(scored, criteria, fmt)
    return fmt.num(text)


def _weakest_text(scored: list[tuple[Entry, float]], criteria: Criteria, fmt: Formatter) -> str:
    """The indicator's weak questions or items, lowest first, or its lowest when none is weak."""
    noun = "ข้อมูล" if all(e.is_oit_item for e, _ in scored) else "ข้อคำถาม"
    weak = sorted(((e, v) for e, v in scored if classify(e, v, criteria) != KEEP), key=lambda x: x[1])
    if weak:
        named = thai_list([f"{_entry_name(e, fmt)} ({fmt.score(v)} คะแนน)" for e, v in weak[:NAMED_WEAKEST]])
        text = f"{noun}ที่ยังต้องพัฒนามี {fmt.num(len(weak))} ข้อจากทั้งหมด {fmt.num(len(scored))} ข้อ"
        if len(weak) == 1:
            return f"{text} คือ{named}"
        if len(weak) <= NAMED_WEAKEST:
            return f"{text} ได้แก่ {named}"
        tied = weak[NAMED_WEAKEST][1] == weak[NAMED_WEAKEST - 1][1]   # the cut falls inside a tie
        return f"{text} ในจำนวนนี้ข้อที่ได้คะแนนต่ำที่สุด{' เช่น' if tied else ' ได้แก่'} {named}"
    lowest, value = min(scored, key=lambda x: x[1])
    if len(scored) == 1:
        return (f"{noun}ของตัวชี้วัดนี้มีข้อเดียวคือ{_entry_name(lowest, fmt)} ได้ {fmt.score(value)} คะแนน "
                "อยู่ในระดับที่ควรรักษาไว้")
    if all(v == value for _, v in scored):
        return f"{noun}ทั้ง {fmt.num(len(scored))} ข้อได้ {fmt.score(value)} คะแนนเท่ากัน"
    keep = fmt.num(f"{criteria.classification.keep_at_least:g}")
    return (f"{noun}ทั้ง {fmt.num(len(scored))} ข้อได้คะแนนตั้งแต่ {keep} คะแนนขึ้นไป "
            f"โดยข้อที่ได้คะแนนต่ำที่สุดคือ{_entry_name(lowest, fmt)} ({fmt.score(value)} คะแนน)")


def _mismatch_notes(analysis: Analysis, fmt: Formatter) -> list[str]:
    return [
        f"คะแนน{fmt.code(m.code)}ที่ประกาศอย่างเป็นทางการ ({fmt.score(m.official)}) "
        f"ต่างจากค่าที่คำนวณจาก{thai_list([fmt.code(c) for c in m.basis.split(', ')])} ({fmt.score(m.recomputed)}) "
        "เอกสารนี้ใช้คะแนนที่ประกาศอย่างเป็นทางการ"
        for m in analysis.card.mismatches
    ]


def _overall_text(analysis: Analysis, agency: Agency, fmt: Formatter, assessed: str, level: str) -> str:
    card = analysis.card
    return (
        f"จากผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
        f"ประจำปีงบประมาณ พ.ศ. {assessed} {agency.name} ได้คะแนนภาพรวม {fmt.score(card.ita)} คะแนน "
        f"อยู่ในระดับ {level} โดยแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT) ได้ "
        f"{fmt.score(card.tools.get('IIT'))} คะแนน แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT) ได้ "
        f"{fmt.score(card.tools.get('EIT'))} คะแนน และแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ได้ "
        f"{fmt.score(card.tools.get('OIT'))} คะแนน"
    )


def _plan_memo(analysis: Analysis, plan: MeasuresPlan, agency: Agency, fmt: Formatter, day: dt.date,
               level: str, number: str) -> Memo:
    assessed, plan_year = fmt.num(plan.assessed_year), fmt.num(plan.plan_year)
    return build_memo(
        agency, fmt, day,
        subject=f"ขออนุมัติ{DOCUMENT_TITLE} ประจำปีงบประมาณ พ.ศ. {plan_year}",
        paragraphs=[
            f"ตามที่สำนักงาน ป.ป.ช. ได้ประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
            f"ประจำปีงบประมาณ พ.ศ. {assessed} {agency.name} ได้คะแนน {fmt.score(analysis.card.ita)} คะแนน "
            f"อยู่ในระดับ {level} นั้น",
            f"{agency.office}ได้วิเคราะห์ผลการประเมินเป็นรายประเด็น {fmt.num(len(analysis.themes))} ประเด็น "
            f"พบ{_weak_points_text(analysis, fmt)} และได้จัดทำ{DOCUMENT_TITLE} "
            f"ประจำปีงบประมาณ พ.ศ. {plan_year} จำนวน {fmt.num(len(plan.measures))} มาตรการ "
            "เพื่อนำไปสู่การปฏิบัติและเผยแพร่บนเว็บไซต์หลักของหน่วยงาน รายละเอียดตามเอกสารที่แนบ",
        ],
        closing="จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ",
        number=number,
    )


def _titles(agency: Agency, fmt: Formatter, assessed: str, plan_year: str, themes: int) -> Titles:
    return Titles(
        narrative="ผลการประเมินรายตัวชี้วัดโดยสังเขป",
        overall=f"{fmt.num(1)}. ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                f"ประจำปีงบประมาณ พ.ศ. {assessed}",
        figure_tools=f"ภาพที่ {fmt.num(1)} ผลการประเมินภาพรวม (ITA) และรายเครื่องมือ",
        figure_indicators=f"ภาพที่ {fmt.num(2)} ผลการประเมินรายตัวชี้วัด",
        indicators=f"{fmt.num(2)}. สรุปผลการประเมินรายตัวชี้วัด ประจำปีงบประมาณ พ.ศ. {assessed}",
        themes=f"{fmt.num(3)}. ผลการวิเคราะห์ผลการประเมินของ{agency.name} ประจำปีงบประมาณ พ.ศ. {assessed} "
               f"แยกเป็น {fmt.num(themes)} ประเด็น",
        measures=f"{fmt.num(4)}. {DOCUMENT_TITLE}ของ{agency.name} ประจำปีงบประมาณ พ.ศ. {plan_year}",
    )


def build_measures_document(
    analysis: Analysis, plan: MeasuresPlan, agency: Agency, kb: KnowledgeBase,
    thai_digits: bool = True, day: dt.date | None = None, plan_criteria: Criteria | None = None,
    memo_number: str = "",
) -> MeasuresDocument:
    """``plan_criteria``: the criteria in force for the plan year (``criteria_in_force``), whose
    measures-plan item code is printed only when they are that year's own. ``day`` and
    ``memo_number``: the memo's date (default ``plan_memo_day``) and number (default dots)."""
    fmt = Formatter(thai_digits)
    card = analysis.card
    assessed, plan_year = fmt.num(plan.assessed_year), fmt.num(plan.plan_year)
    level = card.level.name if card.level else "-"
    tools, indicators = _score_bars(analysis, fmt)
    themes = _theme_sections(analysis, plan, kb, fmt)
    item_line = measures_item_line(plan_criteria, plan.plan_year, fmt) if plan_criteria else None
    if day is None:
        day, _ = plan_memo_day(plan.plan_year)
    signatures = [s for s in (
        signature(agency, "preparer", "ผู้จัดทำ"),
        signature(agency, "endorser", "ผู้เห็นชอบ"),
        signature(agency, "approver", "ผู้อนุมัติ"),
    ) if s]
    return MeasuresDocument(
        thai_digits=thai_digits,
        agency_name=agency.name,
        agency_place=agency.place,
        assessed_year=assessed,
        plan_year=plan_year,
        cover_title=[DOCUMENT_TITLE, f"ประจำปีงบประมาณ พ.ศ. {plan_year}"] + (
            [f"(การประเมิน ITA ปีงบประมาณ พ.ศ. {plan_year} {item_line})"] if item_line else []
        ),
        heading=[
            "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
            f"ประจำปีงบประมาณ พ.ศ. {assessed}",
            f"เพื่อจัดทำ{DOCUMENT_TITLE} ประจำปีงบประมาณ พ.ศ. {plan_year}",
        ],
        overall_text=_overall_text(analysis, agency, fmt, assessed, level),
        ita=ScoreBar("ITA", "ITA", card.ita, fmt.score(card.ita)),
        level=level,
        tools=tools,
        indicators=indicators,
        themes=themes,
        titles=_titles(agency, fmt, assessed, plan_year, len(themes)),
        notes=_mismatch_notes(analysis, fmt),
        signatures=signatures,
        memo=_plan_memo(analysis, plan, agency, fmt, day, level, memo_number),
        pass_mark=analysis.criteria.pass_mark,
        summary=_executive_summary(analysis, plan, agency, fmt, level),
        narrative=[_indicator_paragraph(i, analysis, fmt) for i in analysis.criteria.indicators],
    )
