"""PDFs of the practice surveys through Typst (same setup as documents/typst_parts.py: Sarabun only, the
data as JSON in ``sys.inputs``, Thai text pre-segmented so words stay whole):

- the EIT poster for the service counter (A4: agency, QR, link);
- the IIT one-time code slips (A4, ten slips a page, cut along the dashed lines);
- the predicted ITA on one page.

The QR code arrives as an SVG string made by the caller (the web layer uses segno), so the core
does not depend on a QR library. The agency's emblem (PNG or JPEG, ``itadesk.emblem``) heads the
poster when the agency has one.
"""

from __future__ import annotations

import datetime as dt

from itadesk.documents.thai_text import ZWSP
from itadesk.documents.typst_parts import TypstTemplate, emblem_data, segment_all
from itadesk.emblem import Emblem
from itadesk.surveys.definition import ESTIMATED_LABEL
from itadesk.surveys.predict import Prediction
from itadesk.thai import digits, format_score, thai_date

POSTER = TypstTemplate("survey_poster.typ")
SLIPS = TypstTemplate("survey_slips.typ")
PREDICTION = TypstTemplate("ita_prediction.typ")
BANNER = "ผลจากแบบสำรวจฝึกซ้อม ไม่ใช่ผลทางการ"


def _unsegmented(data: dict, *keys: str) -> dict:
    for key in keys:
        if isinstance(data.get(key), str):
            data[key] = data[key].replace(ZWSP, "")
    return data


def poster_data(agency: str, fiscal_year: int, url: str, qr_svg: str, closes_on: dt.date | None,
                emblem: Emblem | None = None) -> dict:
    data = segment_all({
        "agency": agency,
        "title": "ขอเชิญร่วมตอบแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
        "subtitle": f"(EIT ฝึกซ้อม) ปีงบประมาณ พ.ศ. {digits(fiscal_year)}",
        "lead": "ท่านที่มาติดต่อหรือรับบริการ โปรดสแกน QR code ด้วยกล้องโทรศัพท์ แล้วตอบคำถามสั้น ๆ ใช้เวลาประมาณ ๓ นาที",
        "privacy": "ไม่ต้องเข้าสู่ระบบ ไม่เก็บชื่อ เบอร์โทรศัพท์ หรือข้อมูลที่ระบุตัวท่าน",
        "closes": f"เปิดรับคำตอบถึงวันที่ {thai_date(closes_on)}" if closes_on else "",
        "thanks": "ความคิดเห็นของท่านช่วยให้หน่วยงานปรับปรุงการให้บริการให้โปร่งใสยิ่งขึ้น",
    })
    data.update({"url": url, "qr": qr_svg, "emblem": emblem_data(emblem),
                 "pdf_title": f"โปสเตอร์ EIT {agency} {fiscal_year}"})
    return data


def render_poster_pdf(agency: str, fiscal_year: int, url: str, qr_svg: str, closes_on: dt.date | None = None,
                      emblem: Emblem | None = None) -> bytes:
    return POSTER.render(poster_data(agency, fiscal_year, url, qr_svg, closes_on, emblem))


def render_slips_pdf(agency: str, fiscal_year: int, url: str, qr_svg: str, codes: list[str]) -> bytes:
    data = segment_all({
        "agency": agency,
        "title": f"แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT ฝึกซ้อม) ปีงบประมาณ {digits(fiscal_year)}",
        "how": "สแกน QR code หรือเปิดลิงก์ แล้วกรอกรหัสนี้ รหัสใช้ตอบได้ครั้งเดียว และไม่มีการบันทึกว่าใครได้รหัสใด",
    })
    data.update({"url": url, "qr": qr_svg, "codes": codes, "pdf_title": f"รหัส IIT {agency} {fiscal_year}"})
    return SLIPS.render(data)


def prediction_data(agency: str, prediction: Prediction, answers: dict[str, int], day: dt.date,
                    oit_checked: str = "") -> dict:
    p = prediction
    names = {"IIT": "IIT (แบบสำรวจฝึกซ้อม)", "EIT": "EIT (แบบสำรวจฝึกซ้อม)", "OIT": "OIT (ตรวจหลักฐานด้วยตนเอง)"}
    rows = []
    for tool in ("IIT", "EIT", "OIT"):
        v = p.tools[tool]
        basis = (f"{digits(answers.get(tool, 0))} คำตอบ, ช่วงความเชื่อมั่น ๙๕%" if tool != "OIT"
                 else f"{oit_checked + ', ' if oit_checked else ''}ข้อที่ไม่แน่ใจนับเป็น ๐ ถึง ๑๐๐")
        rows.append({"tool": names[tool], "score": format_score(v.score),
                     "range": f"{format_score(v.low)} – {format_score(v.high)}", "basis": basis})
    data = segment_all({
        "title": f"คาดการณ์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {digits(p.fiscal_year)}",
        "agency": agency,
        "date": f"จัดทำเมื่อ {thai_date(day)}",
        "banner": BANNER + (f" · คะแนนเป็น{ESTIMATED_LABEL}" if p.estimated else ""),
        "level": p.level.name,
        "range": f"ช่วงที่เป็นไปได้ {format_score(p.low)} – {format_score(p.high)} ("
                 + (p.level_low.name if p.level_low == p.level_high else f"{p.level_low.name} ถึง {p.level_high.name}")
                 + ")",
        "rows": rows,
        "next": f"สิ่งที่ต้องทำเพื่อให้ถึงระดับ {p.next_level.name}" if p.next_level else "อยู่ในระดับสูงสุดแล้ว",
        "steps": [s.text(lambda v: digits(f"{v:.1f}")) for s in p.steps] or (
            ["ยกระดับเครื่องมือเดียวไม่พอ ต้องปรับหลายด้านพร้อมกัน"] if p.next_level else []),
        "notes": [
            "ITA = ๐.๓ × IIT + ๐.๓ × EIT + ๐.๔ × OIT ตามน้ำหนักในเกณฑ์ของปี ระดับผลตามเกณฑ์ของปี",
            "คะแนน IIT และ EIT คำนวณจากคำตอบแบบสำรวจฝึกซ้อมของหน่วยงานเอง ด้วยค่าคะแนนต่อคำตอบที่ประมาณการ "
            "(๐ / ๓๓ / ๖๗ / ๑๐๐ และ มี/ไม่มี ๐ / ๑๐๐) ซึ่งสำนักงาน ป.ป.ช. ยังไม่ได้ยืนยัน",
            "คะแนน OIT มาจากการตรวจลิงก์หลักฐานครั้งล่าสุด (ผ่าน ๑๐๐ ไม่แน่ใจ ๕๐ ไม่ผ่าน ๐) คะแนนจริงขึ้นกับผู้ประเมิน",
        ],
    })
    data.update({"ita": format_score(p.ita), "pdf_title": f"คาดการณ์ ITA {agency} {p.fiscal_year}",
                 "estimated_label": ESTIMATED_LABEL if p.estimated else ""})
    return data


def render_prediction_pdf(agency: str, prediction: Prediction, answers: dict[str, int], day: dt.date,
                          oit_checked: str = "") -> bytes:
    """``oit_checked``: when and for which year the OIT self-check was made (Thai text)."""
    return PREDICTION.render(prediction_data(agency, prediction, answers, day, oit_checked))
