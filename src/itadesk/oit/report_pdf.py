"""PDF report of an OIT self-check through Typst (``documents/templates/oit_report.typ``).

Same rules as the other documents (``documents/pdf.py``): Sarabun from ``fontpkg-sarabun`` with
system fonts ignored, the data passed as JSON in ``sys_inputs`` (never as Typst markup), Thai
text pre-segmented by pdf.py's ``segment`` so words stay whole. URLs inside reasons get
zero-width spaces after ``/ . - _ ? & =`` so a long link can wrap inside a table cell. One
module-level compiler (a Typst compiler is bound to its main file), created lazily and reused.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from itadesk.documents.thai_text import ZWSP
from itadesk.documents.typst_parts import TypstTemplate, segment_all
from itadesk.oit.checker import CheckRun
from itadesk.oit.verdict import DOUBTFUL, FAIL, PASS, VERDICT_TH, OitPrediction
from itadesk.thai import digits, digits_in_prose, format_score, thai_date

BANGKOK = ZoneInfo("Asia/Bangkok")

OIT_TEMPLATE = TypstTemplate("oit_report.typ")


_URL = re.compile(r"(?:https?|ftp)://[^\s)]+|(?:www\.)[^\s)]+")


def _breakable_urls(text: str) -> str:
    """Zero-width break points after / . - _ ? & = inside every URL of ``text``."""
    return _URL.sub(lambda m: re.sub(r"([/.\-_?&=])", "\\1" + ZWSP, m.group(0)), text)


def _urls_everywhere(obj):
    if isinstance(obj, str):
        return _breakable_urls(obj)
    if isinstance(obj, list):
        return [_urls_everywhere(v) for v in obj]
    if isinstance(obj, dict):
        return {k: (v if k in ("verdict", "website_link") else _urls_everywhere(v)) for k, v in obj.items()}
    return obj


def _when(iso: str, thai: bool) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or "-"
    if moment.tzinfo is not None:
        moment = moment.astimezone(BANGKOK)
    return f"{thai_date(moment.date(), thai)} เวลา {digits(moment.strftime('%H:%M'), thai)} น."


def report_data(run: CheckRun, prediction: OitPrediction, agency_name: str, fiscal_year: int,
                thai_digits: bool = True) -> dict:
    """The JSON-ready structure the template reads (public for tests and debugging)."""
    th = thai_digits
    counts = prediction.counts()
    points = prediction.points
    data = {
        "thai_digits": th,
        "title": "รายงานผลการตรวจหลักฐาน OIT ด้วยตนเอง",
        "subtitle": f"ปีงบประมาณ พ.ศ. {digits(fiscal_year, th)} (เกณฑ์ปี {digits(prediction.criteria_year, th)})",
        "agency": agency_name,
        "facts": [
            {"label": "หน่วยงาน", "text": agency_name},
            {"label": "เว็บไซต์หลัก", "text": run.website or "-"},   # an address: its digits as they are
            {"label": "ตรวจเมื่อ", "text": _when(run.started_at, th)},
            {"label": "จำนวนลิงก์ที่ตรวจ", "text": f"{digits(len(run.checks), th)} ลิงก์"},
        ],
        "scores": [{"label": "OIT (คาดการณ์)", "text": format_score(prediction.oit, th), "main": True}] + [
            {"label": f"ตัวชี้วัดที่ {digits(n, th)}", "text": format_score(v, th), "main": False}
            for n, v in sorted(prediction.indicators.items())
        ],
        "counts": [{"verdict": v, "label": VERDICT_TH[v], "text": digits(counts[v], th)}
                   for v in (PASS, DOUBTFUL, FAIL)],
        "assumption": (f"คะแนนคาดการณ์ถือว่า ผ่าน = {digits(f'{points[PASS]:g}', th)} "
                       f"ไม่แน่ใจ = {digits(f'{points[DOUBTFUL]:g}', th)} ไม่ผ่าน = {digits(f'{points[FAIL]:g}', th)} "
                       "คะแนนจริงขึ้นกับการพิจารณาของผู้ประเมิน ลำดับ \"แก้ก่อน\" เรียงตามคะแนน ITA ที่จะได้เพิ่มเมื่อข้อนั้นผ่าน"),
        "fix_first": [
            {"n": digits(n, th), "code": digits(i.code, th), "name": digits_in_prose(i.name, th), "verdict": i.verdict,
             "verdict_label": i.verdict_th, "gain": "+" + format_score(i.gain, th),
             "reasons": [digits_in_prose(r, th) for r in i.reasons]}
            for n, i in enumerate(prediction.fix_first, start=1)
        ],
        "items": [
            {"code": digits(i.code, th), "name": digits_in_prose(i.name, th), "verdict": i.verdict,
             "verdict_label": i.verdict_th, "reasons": [digits_in_prose(r, th) for r in i.reasons],
             "notes": [digits_in_prose(n, th) for n in i.notes], "urls": digits(i.urls, th)}
            for i in prediction.items
        ],
    }
    data = _urls_everywhere(segment_all(data))
    for key in ("fix_first", "items", "counts"):   # codes and short labels stay whole
        for row in data[key]:
            row["verdict"] = row["verdict"].replace(ZWSP, "")
            row["label" if key == "counts" else "verdict_label"] = \
                row["label" if key == "counts" else "verdict_label"].replace(ZWSP, "")
    data["pdf_title"] = f"{data['title'].replace(ZWSP, '')} {agency_name} {fiscal_year}"
    data["author"] = agency_name
    return data


def render_oit_report_pdf(run: CheckRun, prediction: OitPrediction, agency_name: str, fiscal_year: int,
                          thai_digits: bool = True) -> bytes:
    """A4 PDF: title, agency, fiscal year, predicted scores, the fix-first table and every item."""
    return OIT_TEMPLATE.render(report_data(run, prediction, agency_name, fiscal_year, thai_digits))
