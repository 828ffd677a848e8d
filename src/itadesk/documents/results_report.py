"""Build the results report on the measures (O35 in FY2567, O28 in FY2568, O26 in FY2569) and its
cover memo.

Inputs: the analysis of the assessed year (its ITA score and level open the report), the plan
of the following year (the measures), the progress reported for it, and the round (6 or 12
months). The memo and the formatting come from wording.py so both documents read alike.
"""

from __future__ import annotations

import datetime as dt

from itadesk.agency import Agency
from itadesk.analysis import Analysis
from itadesk.documents.model import Memo, ReportRow, ResultsReportDocument, StatusCountRow, ThemeCountRow
from itadesk.documents.wording import DOCUMENT_TITLE, Formatter, build_memo, default_memo_day, signature
from itadesk.plan import MeasuresPlan
from itadesk.progress import (
    CANCELLED,
    PROGRESS_LABEL,
    STATUSES,
    ProgressReport,
    ReportingRound,
    summarize,
)
from itadesk.thai import thai_date

REPORT_TITLE = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
EMPTY = "-"


def _or_dash(text: str) -> str:
    return text if text.strip() else EMPTY


def _share(count: int, total: int, fmt: Formatter) -> str:
    return fmt.num(f"{100.0 * count / total:.2f}") if total else fmt.num("0.00")


def report_memo_day(rnd: ReportingRound, today: dt.date | None = None) -> tuple[dt.date, str | None]:
    """A round's report memo date: today, or 15 days after the round when it is long over."""
    return default_memo_day(rnd.end, rnd.end + dt.timedelta(days=15), today)


def _whole_year(reports: list, fmt: Formatter) -> str:
    """What was done in every round so far, each round named ("ในรอบ ๖ เดือน … / ในรอบ ๑๒ เดือน …"),
    so a later round's report does not hide an earlier one's work; "" with one round only."""
    texts = [(rnd, p.done.strip()) for rnd, p in reports if p.done.strip()]
    if len(texts) < 2:
        return ""
    parts, last = [], None
    for rnd, text in texts:
        if text != last:
            parts.append(f"ใน{rnd.name} {text}")
        last = text
    return fmt.num(" / ".join(parts)) if len(parts) > 1 else ""


def _report_row(measure, progress: ProgressReport, rnd: ReportingRound, theme: str, fmt: Formatter) -> ReportRow:
    """One measure's line: what was done in the round (the whole year's work in a later round)."""
    entry = progress.entry(measure.measure_id, rnd)
    reported = progress.reported_up_to(measure.measure_id, rnd)
    reports = [p for _, p in reported]
    done = _whole_year(reported, fmt) or entry.done
    if entry.status == CANCELLED:
        reason = entry.reason.removeprefix("เนื่องจาก").strip()
        done = f"ยกเลิกการดำเนินการ เนื่องจาก{reason}" + (f" {done}" if done else "")
    return ReportRow(
        theme=theme,
        name=fmt.num(measure.name),
        steps=[fmt.num(s) for s in measure.steps],
        responsible=fmt.num(measure.responsible),
        period=fmt.num(measure.period),
        status=entry.status,
        status_label=PROGRESS_LABEL[entry.status],
        done=fmt.num(_or_dash(done)),
        output=fmt.num(_or_dash(entry.output)),
        outcome=fmt.num(_or_dash(entry.outcome)),
        problems=fmt.num(_or_dash(entry.problems)),
        suggestions=fmt.num(_or_dash(entry.suggestions)),
        evidence=list(dict.fromkeys(link for p in reports for link in p.evidence)) or list(entry.evidence),
        files=list(dict.fromkeys(name for p in reports for name in p.files)),
    )


def _tally(counts, fmt: Formatter) -> str:
    """"ดำเนินการแล้วเสร็จ ๑๒ มาตรการ อยู่ระหว่างดำเนินการ ๓ มาตรการ" (statuses with measures only)."""
    return " ".join(f"{PROGRESS_LABEL[s]} {fmt.num(counts.get(s))} มาตรการ" for s in STATUSES if counts.get(s))


def _summary_text(agency: Agency, summary, fmt: Formatter, years: tuple[str, str], ita: str, level: str,
                  round_name: str, period: str) -> list[str]:
    assessed, plan_year = years
    counts, total = summary.counts, summary.counts.total
    return [
        f"จากผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
        f"ประจำปีงบประมาณ พ.ศ. {assessed} {agency.name} ได้คะแนนภาพรวม {ita} คะแนน อยู่ในระดับ {level} "
        f"หน่วยงานจึงได้กำหนด{DOCUMENT_TITLE} ประจำปีงบประมาณ พ.ศ. {plan_year} "
        f"จำนวน {fmt.num(total)} มาตรการ เพื่อแก้ไขและพัฒนาประเด็นที่ได้คะแนนต่ำ "
        "และรักษาระดับประเด็นที่ได้คะแนนดีไว้",
        f"ในรอบรายงานนี้ ({round_name} ระหว่างวันที่ {period}) มีผลการดำเนินการ ดังนี้ {_tally(counts, fmt)} "
        f"อัตราความสำเร็จ (มาตรการที่แล้วเสร็จเทียบกับมาตรการที่ไม่ได้ยกเลิก {fmt.num(total - counts.cancelled)} มาตรการ) "
        f"คิดเป็นร้อยละ {fmt.num(f'{counts.done_percent:.2f}')}"
        + " รายละเอียดรายมาตรการปรากฏตามตารางในข้อ " + fmt.num(2),
    ]


def _report_memo(agency: Agency, progress: ProgressReport, summary, fmt: Formatter, day: dt.date,
                 years: tuple[str, str], ita: str, level: str, round_name: str, period: str, number: str) -> Memo:
    assessed, plan_year = years
    return build_memo(
        agency, fmt, day,
        subject=f"{REPORT_TITLE} ประจำปีงบประมาณ พ.ศ. {plan_year} ({round_name})",
        paragraphs=[
            f"ตามที่{agency.name}ได้จัดทำ{DOCUMENT_TITLE} ประจำปีงบประมาณ พ.ศ. {plan_year} "
            f"จำนวน {fmt.num(summary.counts.total)} มาตรการ จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส"
            f"ในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. {assessed} "
            f"ซึ่งได้คะแนน {ita} คะแนน อยู่ในระดับ {level} และกำหนดให้ติดตามผลการดำเนินการเป็น"
            + " และ".join(fmt.num(r.name) for r in progress.rounds) + " นั้น",
            f"บัดนี้ ครบกำหนด{round_name} ({period}) {agency.office}ได้รวบรวมผลการดำเนินการ"
            f"จากส่วนราชการที่รับผิดชอบแล้ว พบว่า {_tally(summary.counts, fmt)} "
            "พร้อมทั้งสรุปผลผลิต ผลลัพธ์ ปัญหาอุปสรรคและข้อเสนอแนะไว้เป็นรายมาตรการ รายละเอียดตามรายงานที่แนบ",
        ],
        closing="จึงเรียนมาเพื่อโปรดทราบ และพิจารณาให้เผยแพร่รายงานบนเว็บไซต์หลักของหน่วยงาน",
        number=number,
    )


def build_results_report(
    analysis: Analysis, plan: MeasuresPlan, progress: ProgressReport,
    round: ReportingRound | int | str, agency: Agency,
    thai_digits: bool = True, day: dt.date | None = None, memo_number: str = "",
) -> ResultsReportDocument:
    """The report of ``round`` (a ReportingRound, its months 6/12, or its name). ``day`` and
    ``memo_number``: the memo's date (default ``report_memo_day``) and number (default dots)."""
    fmt = Formatter(thai_digits)
    rnd = progress.round(round)
    summary = summarize(plan, progress, rnd)
    card = analysis.card
    years = assessed, plan_year = fmt.num(plan.assessed_year), fmt.num(plan.plan_year)
    round_name = fmt.num(rnd.name)
    period = f"{thai_date(rnd.start, thai_digits)} ถึง {thai_date(rnd.end, thai_digits)}"
    level = card.level.name if card.level else EMPTY
    ita = fmt.score(card.ita)
    theme_names = {t.theme.number: t.theme.name for t in analysis.themes}

    def theme_title(number: int) -> str:
        return f"ประเด็นที่ {fmt.num(number)} {theme_names.get(number, '')}".strip()

    counts, total = summary.counts, summary.counts.total
    if day is None:
        day, _ = report_memo_day(rnd)
    return ResultsReportDocument(
        thai_digits=thai_digits,
        agency_name=agency.name,
        agency_place=agency.place,
        assessed_year=assessed,
        plan_year=plan_year,
        round_name=round_name,
        round_period=period,
        heading=[REPORT_TITLE, f"ประจำปีงบประมาณ พ.ศ. {plan_year} ({round_name})"],
        summary_title=f"{fmt.num(1)}. สรุปผลการดำเนินการ{round_name}",
        summary_text=_summary_text(agency, summary, fmt, years, ita, level, round_name, period),
        ita=ita,
        level=level,
        counts=[StatusCountRow(s, PROGRESS_LABEL[s], fmt.num(counts.get(s)), _share(counts.get(s), total, fmt))
                for s in STATUSES],
        total=fmt.num(total),
        theme_counts=[
            ThemeCountRow(theme_title(t.theme), [fmt.num(t.counts.get(s)) for s in STATUSES], fmt.num(t.counts.total))
            for t in summary.themes
        ],
        results_title=f"{fmt.num(2)}. ผลการดำเนินการรายมาตรการ {round_name} ({period})",
        rows=[_report_row(m, progress, rnd, theme_title(m.theme), fmt) for m in plan.measures],
        signatures=[s for s in (
            signature(agency, "preparer", "ผู้รายงาน"),
            signature(agency, "endorser", "ผู้ตรวจสอบ"),
            signature(agency, "approver", "ผู้รับรอง"),
        ) if s],
        memo=_report_memo(agency, progress, summary, fmt, day, years, ita, level, round_name, period, memo_number),
    )
