"""PDF of a ProvinceSummaryDocument through Typst (``templates/province_summary.typ``), with the
rules of the other documents (typst_parts.py: Sarabun only, data as JSON, Thai pre-segmented)."""

from __future__ import annotations

from itadesk.documents.province import ProvinceSummaryDocument
from itadesk.documents.typst_parts import TypstTemplate, segment_all, signature_data
from itadesk.thai import digits

PROVINCE_TEMPLATE = TypstTemplate("province_summary.typ")


def province_data(doc: ProvinceSummaryDocument) -> dict:
    m = doc.memo
    th = doc.thai_digits
    data = {
        "thai_digits": th,
        "memo": {"office": m.office, "reference": m.reference or "-", "date": m.date, "subject": m.subject,
                 "to": m.to, "paragraphs": list(m.paragraphs), "closing": m.closing,
                 "signers": [signature_data(s) for s in m.signers], "comments": []},
        "title": doc.title, "region_line": doc.region_line,
        "overview_title": f"{digits(1, th)}. ผลการประเมินโดยรวม", "overview": doc.overview,
        "levels": [list(r) for r in doc.level_rows], "total": list(doc.total_row),
        "below_title": doc.below_title, "below": [list(r) for r in doc.below_rows], "below_note": doc.below_note,
        "weakness_title": doc.weakness_title, "weakness_note": doc.weakness_note,
        "weaknesses": [list(r) for r in doc.weakness_rows],
        "measures_title": doc.measures_title,
        "measures": [{"name": s.name, "answers": s.answers, "steps": s.steps,
                      "numbers": [digits(i, th) for i in range(1, len(s.steps) + 1)]} for s in doc.measures],
    }
    data = segment_all(data)
    data["author"] = doc.memo.office
    return data


def render_province_pdf(doc: ProvinceSummaryDocument) -> bytes:
    return PROVINCE_TEMPLATE.render(province_data(doc))
