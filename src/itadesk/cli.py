"""Command line: ``itadesk analyze | o34 | o35 | template | criteria | oit-check | survey-score``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import traceback

from itadesk import limits
from itadesk.errors import InputError
from itadesk.results import YEAR_UNKNOWN

EXIT_INPUT = 2
EXIT_UNEXPECTED = 1


def _analysis_json(analysis) -> dict:
    from itadesk.analysis_json import analysis_json

    return analysis_json(analysis)


def _print_analysis(analysis) -> None:
    from itadesk.thai import format_score

    card = analysis.card
    level = card.level.name if card.level else "-"
    print(f"ผลการประเมิน ITA ปีงบประมาณ {card.fiscal_year}")
    verdict = "ผ่าน" if card.passed else "ไม่ผ่าน"
    print(f"  ITA {format_score(card.ita, False)}  ระดับ {level}  ({verdict}เกณฑ์ {analysis.criteria.pass_mark:g})")
    print("  " + "  ".join(f"{t} {format_score(v, False)}" for t, v in card.tools.items()))
    print("  ตัวชี้วัด: " + "  ".join(f"{n}:{format_score(v, False)}" for n, v in card.indicators.items()))
    for m in card.mismatches:
        print(f"  ! {m.code}: คะแนนที่ประกาศ {m.official:.2f} ต่างจากค่าที่คำนวณจาก {m.basis} ({m.recomputed:.2f})")
    _print_held_back(card)
    for theme in analysis.themes:
        print(f"ประเด็นที่ {theme.theme.number} {theme.theme.name}")
        for label, status in (("เร่งด่วน", "urgent"), ("ต้องพัฒนา", "improve"), ("รักษาระดับ", "keep")):
            codes = theme.codes(status)
            if codes:
                print(f"    {label}: {' '.join(codes)}")


def _print_held_back(card) -> None:
    for problem in card.held_back:
        print(f"  ! ไม่ได้ใช้: {problem}", file=sys.stderr)


def cmd_analyze(args) -> int:
    from itadesk.workflow import analyze_files

    analysis = analyze_files(args.results, args.year, args.previous)
    if args.json:
        json.dump(_analysis_json(analysis), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        _print_analysis(analysis)
    return 0


FORMAT_CHOICES = ("both", "docx", "pdf")
FORMAT_HELP = "เขียนเฉพาะ docx หรือ pdf (ค่าเริ่มต้น both: ทั้งสองแบบ)"
MEMO_NUMBER_HELP = "เลขที่ของบันทึกข้อความ ต่อจากเลขประจำหน่วยงาน (ที่ นม ๗๘๙๐๑/เลขนี้) ถ้าไม่ระบุจะเว้นเป็นจุดไว้เขียนเอง"


def _formats(args) -> tuple[str, ...]:
    """Only the documents asked for are made."""
    return ("docx", "pdf") if args.format == "both" else (args.format,)


def cmd_measures_plan(args) -> int:
    from itadesk.agency import load_agency
    from itadesk.documents import render_measures, write_files
    from itadesk.workflow import analyze_files, prepare_measures

    started = time.perf_counter()
    agency = load_agency(args.agency)
    analysis = analyze_files(args.results, args.year, args.previous)
    _print_held_back(analysis.card)
    day = dt.date.fromisoformat(args.date) if args.date else None
    if day is None:
        from itadesk.documents.measures_plan import plan_memo_day
        from itadesk.plan import plan_year_of

        day, warning = plan_memo_day(plan_year_of(analysis.criteria.fiscal_year))
        if warning:
            print(f"  ! {warning} (--date)", file=sys.stderr)
    package = prepare_measures(analysis, agency, thai_digits=not args.arabic_digits, day=day, memo_number=args.number)
    stem = f"measures-plan-{package.plan.plan_year}"
    paths = write_files(render_measures(package.document, _formats(args)), args.out, stem)
    elapsed = time.perf_counter() - started
    card = analysis.card
    print(f"{agency.name}: ITA {card.ita:.2f} ระดับ {card.level.name if card.level else '-'}, "
          f"{len(package.plan.measures)} มาตรการ ({elapsed:.2f} วินาที)")
    for path in paths:
        print(f"  เขียนไฟล์ {path}")
    return 0


def cmd_results_report(args) -> int:
    from itadesk.agency import load_agency
    from itadesk.documents import render_results_report, write_files
    from itadesk.documents.results_report import build_results_report
    from itadesk.progress import load_progress
    from itadesk.workflow import analyze_files, prepare_measures

    agency = load_agency(args.agency)
    thai = not args.arabic_digits
    day = dt.date.fromisoformat(args.date) if args.date else None
    package = prepare_measures(analyze_files(args.results, args.year), agency, thai, day)
    progress = load_progress(args.progress, package.plan)
    if day is None:
        from itadesk.documents.results_report import report_memo_day

        day, warning = report_memo_day(progress.round(args.round))
        if warning:
            print(f"  ! {warning} (--date)", file=sys.stderr)
    report = build_results_report(package.analysis, package.plan, progress, args.round, agency, thai, day,
                                  args.number)
    stem = f"results-report-{package.plan.plan_year}-{args.round}m"
    paths = write_files(render_results_report(report, _formats(args)), args.out, stem)
    print(f"{agency.name}: รายงานผลการดำเนินการตามมาตรการ ปีงบประมาณ {package.plan.plan_year} "
          f"รอบ {args.round} เดือน ({len(package.plan.measures)} มาตรการ)")
    for path in paths:
        print(f"  เขียนไฟล์ {path}")
    return 0


def cmd_template(args) -> int:
    from itadesk.criteria import load_criteria
    from itadesk.template import write_results_template

    out = args.out or f"ita-{args.year}-results-template.xlsx"
    path = write_results_template(load_criteria(args.year), out)
    print(f"เขียนแบบฟอร์มกรอกคะแนนปี {args.year} ที่ {path}")
    return 0


def cmd_criteria(args) -> int:
    from itadesk.criteria import available_years, load_criteria

    if args.action == "list":
        for year in available_years():
            c = load_criteria(year)
            print(f"{year}  {c.status:<12} {len(c.entries)} ข้อ  {c.urn}")
        return 0
    from itadesk.criteria import sheet

    if args.action == "export":
        if not args.year:
            raise InputError.single("ต้องระบุ --year")
        out = args.out or f"ita-{args.year}-criteria.xlsx"
        sheet.export_criteria_xlsx(load_criteria(args.year), out)
        print(f"เขียนเกณฑ์ปี {args.year} ที่ {out}")
        return 0
    if args.action == "import":
        if not args.file:
            raise InputError.single("ต้องระบุไฟล์ XLSX ที่จะนำเข้า")
        criteria = sheet.import_criteria_xlsx(args.file)
        path = sheet.install_criteria(criteria)
        print(f"นำเข้าเกณฑ์ปี {criteria.fiscal_year} แล้ว ({len(criteria.entries)} ข้อ) ที่ {path}")
        return 0
    return EXIT_INPUT


def cmd_oit_check(args) -> int:
    from itadesk.criteria import load_criteria
    from itadesk.links import url_problem
    from itadesk.oit.checker import CheckSettings, check_register
    from itadesk.oit.evidence import read_evidence
    from itadesk.oit.safety import NetworkPolicy
    from itadesk.oit.verdict import predict

    criteria = load_criteria(args.year)
    register = read_evidence(args.evidence, criteria, fiscal_year=args.fiscal_year)
    website = args.website or register.website
    if not website:
        raise InputError.single("ต้องระบุเว็บไซต์หลักของหน่วยงาน (--website หรือแถว เว็บไซต์ ในไฟล์)")
    if url_problem(website):
        raise InputError.single(f"เว็บไซต์หลัก: {url_problem(website)}", value=website)
    settings = CheckSettings(
        policy=NetworkPolicy.build(allow_private=args.allow_private),
        max_bytes=int(args.max_mb * limits.MB), per_host_rate=args.rate, total_timeout=args.timeout,
    )
    year = args.fiscal_year or register.fiscal_year
    run = check_register(register, criteria, website, settings, fiscal_year=year)
    prediction = predict(run, criteria)
    if args.out:
        from itadesk.oit.report import write_report_xlsx

        write_report_xlsx(run, prediction, args.out)
    if args.json:
        json.dump({"run": run.to_dict(), "prediction": prediction.to_dict()}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        counts = prediction.counts()
        print(f"ตรวจหลักฐาน OIT {register.agency or ''} ปีงบประมาณ {year} (เกณฑ์ปี {criteria.fiscal_year}) "
              f"เว็บไซต์หลัก {website}: {len(run.checks)} ลิงก์")
        for item in prediction.items:
            print(f"  {item.code:<4} {item.verdict_th:<8} {item.name}")
            for reason in item.reasons:
                print(f"         - {reason}")
            for note in item.notes:
                print(f"         · {note}")
        print(f"ผ่าน {counts['pass']}  ไม่แน่ใจ {counts['doubtful']}  ไม่ผ่าน {counts['fail']}")
        print("คะแนนคาดการณ์ (ผ่าน = 100, ไม่แน่ใจ = 50, ไม่ผ่าน = 0): "
              + "  ".join(f"ตัวชี้วัดที่ {n} {v:.2f}" for n, v in prediction.indicators.items())
              + f"  OIT {prediction.oit:.2f}")
        if prediction.fix_first:
            print("แก้ก่อน (คะแนน ITA ที่ได้เพิ่ม):")
            for n, item in enumerate(prediction.fix_first[:10], start=1):
                print(f"  {n}. {item.code} +{item.gain:.2f}  {item.name}")
    if args.out:
        print(f"เขียนรายงาน {args.out}", file=sys.stderr if args.json else sys.stdout)
    return 0


def cmd_survey_score(args) -> int:
    from itadesk.criteria import load_criteria
    from itadesk.surveys import ESTIMATED_LABEL, load_definition
    from itadesk.surveys.answers import load_answers
    from itadesk.surveys.scoring import score_answers
    from itadesk.thai import format_score

    criteria = load_criteria(args.year)
    definition = load_definition(criteria)
    sheet = load_answers(args.answers, definition)
    populations = {"IIT": args.iit_population, "EIT": args.eit_population}
    scores = score_answers(definition, sheet.rows, populations)
    if args.json:
        json.dump(scores.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    mark = f" ({ESTIMATED_LABEL})" if scores.estimated else ""
    print(f"คะแนนแบบสำรวจฝึกซ้อม ปีงบประมาณ {args.year}{mark}: ผู้ตอบ {scores.total} คน")
    for tool, est in scores.tools.items():
        if est.score is None:
            continue
        interval = f" ช่วง {est.low:.2f}–{est.high:.2f}" if est.low is not None else ""
        need = scores.samples[tool]
        print(f"  {tool} {format_score(est.score, False)}{interval} ({est.n} คน; ต้องการอย่างน้อย {need.needed} คน"
              + (f" ขาดอีก {need.more} คน" if need.more else "") + ")")
    print("  ตัวชี้วัด: " + "  ".join(f"{n}:{format_score(v, False)}" for n, v in scores.indicators.items()))
    print("  รายข้อ: " + "  ".join(f"{c}:{format_score(e.score, False)}" for c, e in scores.questions.items()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="itadesk", description="itadesk: งาน ITA ของหน่วยงานภาครัฐ")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="วิเคราะห์ผลคะแนน ITA")
    p.add_argument("results", help="ไฟล์ผลคะแนน (.csv .xlsx .yaml .json)")
    p.add_argument("--year", type=int, help="ปีงบประมาณ (พ.ศ.) ถ้าไฟล์ไม่ได้ระบุ")
    p.add_argument("--previous", help="ไฟล์ผลคะแนนปีก่อน เพื่อเปรียบเทียบ")
    p.add_argument("--json", action="store_true", help="พิมพ์ผลเป็น JSON")
    p.set_defaults(func=cmd_analyze)

    # Named by what they make: the item's code moves between years (O34 in FY2567, O25 in FY2569).
    p = sub.add_parser("measures-plan", aliases=["o34"],
                       help="จัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส (DOCX และ PDF)")
    p.add_argument("results")
    p.add_argument("--agency", required=True, help="ไฟล์โปรไฟล์หน่วยงาน (.yaml)")
    p.add_argument("--out", required=True, help="โฟลเดอร์ที่จะเขียนเอกสาร")
    p.add_argument("--year", type=int)
    p.add_argument("--previous")
    p.add_argument("--date", help="วันที่ของบันทึกข้อความ (YYYY-MM-DD แบบ ค.ศ.) ค่าเริ่มต้นคือวันที่ที่เหมาะกับเอกสาร")
    p.add_argument("--number", default="", help=MEMO_NUMBER_HELP)
    p.add_argument("--arabic-digits", action="store_true", help="ใช้เลขอารบิกแทนเลขไทย")
    p.add_argument("--format", choices=FORMAT_CHOICES, default="both", help=FORMAT_HELP)
    p.set_defaults(func=cmd_measures_plan)

    p = sub.add_parser("results-report", aliases=["o35"],
                       help="รายงานผลการดำเนินการตามมาตรการ รอบ 6 หรือ 12 เดือน (DOCX และ PDF)")
    p.add_argument("results", help="ไฟล์ผลคะแนนของปีที่ใช้จัดทำมาตรการ")
    p.add_argument("--agency", required=True, help="ไฟล์โปรไฟล์หน่วยงาน (.yaml)")
    p.add_argument("--progress", required=True, help="ไฟล์ผลการดำเนินการรายมาตรการ (.yaml หรือ .json)")
    p.add_argument("--round", type=int, default=12, help="รอบรายงาน (เดือน) ค่าเริ่มต้น 12")
    p.add_argument("--out", required=True)
    p.add_argument("--year", type=int)
    p.add_argument("--date", help="วันที่ของบันทึกข้อความ (YYYY-MM-DD แบบ ค.ศ.)")
    p.add_argument("--number", default="", help=MEMO_NUMBER_HELP)
    p.add_argument("--arabic-digits", action="store_true")
    p.add_argument("--format", choices=FORMAT_CHOICES, default="both", help=FORMAT_HELP)
    p.set_defaults(func=cmd_results_report)

    p = sub.add_parser("template", help="สร้างแบบฟอร์ม XLSX สำหรับกรอกคะแนน")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("criteria", help="ดู ส่งออก หรือนำเข้าเกณฑ์การประเมินรายปี")
    p.add_argument("action", choices=["list", "export", "import"])
    p.add_argument("file", nargs="?", help="ไฟล์ XLSX (สำหรับ import)")
    p.add_argument("--year", type=int)
    p.add_argument("--out")
    p.set_defaults(func=cmd_criteria)

    p = sub.add_parser("oit-check", help="ตรวจลิงก์หลักฐาน OIT และคาดการณ์คะแนน OIT")
    p.add_argument("evidence", help="ทะเบียนลิงก์หลักฐาน (.xlsx .yaml)")
    p.add_argument("--year", type=int, required=True, help="ปีของเกณฑ์การประเมิน (พ.ศ.)")
    p.add_argument("--website", help="เว็บไซต์หลักของหน่วยงาน เช่น https://www.example.go.th")
    p.add_argument("--fiscal-year", type=int, help="ปีงบประมาณที่หลักฐานต้องระบุ (ค่าเริ่มต้น: ตามไฟล์ หรือ --year)")
    p.add_argument("--allow-private", action="store_true", help="อนุญาตที่อยู่ในเครือข่ายภายใน (อินทราเน็ต)")
    p.add_argument("--max-mb", type=float, default=limits.OIT_PAGE_BYTES / limits.MB, help="ขนาดไฟล์สูงสุดที่ดาวน์โหลด (MB)")
    p.add_argument("--rate", type=float, default=5, help="จำนวนคำขอต่อวินาทีต่อเว็บไซต์")
    p.add_argument("--timeout", type=float, default=60, help="เวลาสูงสุดต่อหนึ่งลิงก์ (วินาที)")
    p.add_argument("--json", action="store_true", help="พิมพ์ผลเป็น JSON")
    p.add_argument("--out", help="เขียนรายงาน XLSX")
    p.set_defaults(func=cmd_oit_check)

    p = sub.add_parser("survey-score", help="คิดคะแนนแบบสำรวจ IIT/EIT ฝึกซ้อมจากไฟล์คำตอบ")
    p.add_argument("answers", help="ไฟล์คำตอบ (.csv .xlsx): แถวละผู้ตอบ คอลัมน์ละข้อ (i1 … e9)")
    p.add_argument("--year", type=int, required=True, help="ปีงบประมาณของเกณฑ์ (พ.ศ.)")
    p.add_argument("--iit-population", type=int, help="จำนวนบุคลากรทั้งหมด (สำหรับช่วงความเชื่อมั่นและขนาดตัวอย่าง)")
    p.add_argument("--eit-population", type=int, help="จำนวนผู้มีส่วนได้ส่วนเสียภายนอก")
    p.add_argument("--json", action="store_true", help="พิมพ์ผลเป็น JSON")
    p.set_defaults(func=cmd_survey_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print("ข้อมูลไม่ถูกต้อง ไม่ได้เขียนไฟล์ใด ๆ:", file=sys.stderr)
        for problem in exc.problems:
            hint = " (--year ในบรรทัดคำสั่ง)" if problem.message.startswith(YEAR_UNKNOWN) else ""
            print(f"  - {problem}{hint}", file=sys.stderr)
        return EXIT_INPUT
    except (OSError, ValueError) as exc:
        print(f"ทำงานไม่สำเร็จ: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # last resort: never show a traceback to an officer
        if os.environ.get("ITADESK_DEBUG"):
            traceback.print_exc()
        print(f"เกิดข้อผิดพลาดที่ไม่คาดคิด ({type(exc).__name__}: {exc}) "
              "ตั้งค่า ITADESK_DEBUG=1 เพื่อดูรายละเอียด", file=sys.stderr)
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
