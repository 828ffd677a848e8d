"""PDF rendering of a ResultsReportDocument through Typst (``templates/results_report.typ``).

Same engine and rules as the measures plan (``typst_parts.py``): the Sarabun font from
``fontpkg-sarabun`` with system fonts ignored, document text passed as JSON data (never as
markup), and every Thai string pre-segmented (``thai_text.segment``) so words stay whole. This
template has its own compiler (a Typst compiler is bound to one main file), created lazily and
reused.
"""

from __future__ import annotations

from itadesk.documents.model import ResultsReportDocument
from itadesk.documents.typst_parts import TypstTemplate, emblem_data, memo_data, segment_all, signature_data
from itadesk.text import printable
from itadesk.thai import digits

REPORT_TEMPLATE = TypstTemplate("results_report.typ")


def _parts(*pairs: tuple[str, str]) -> list[dict]:
    """Labelled paragraphs of a cell, without the empty ones ('-')."""
    return [{"label": label, "text": text} for label, text in pairs if text and text != "-"]


def report_data(doc: ResultsReportDocument) -> dict:
    """The JSON-ready structure the template reads (public for tests and debugging)."""
    th = doc.thai_digits
    themes: list[dict] = []
    for row in doc.rows:
        if not themes or themes[-1]["title"] != row.theme:
            themes.append({"title": row.theme, "rows": []})
        themes[-1]["rows"].append({
            "name": row.name,
            "steps": [{"n": digits(i, th) + ".", "text": s} for i, s in enumerate(row.steps, 1)],
            "responsible": row.responsible,
            "period": row.period,
            "status": row.status,
            "status_label": row.status_label,
            "done": _parts(("", row.done)),
            "links": list(row.evidence),
            "files": list(row.files),
            "results": _parts(("ผลผลิต", row.output), ("ผลลัพธ์", row.outcome)),
            "problems": _parts(("ปัญหาอุปสรรค", row.problems), ("ข้อเสนอแนะ", row.suggestions)),
            "unbreakable": row.keeps_whole(),
        })
    memo = memo_data(doc.memo) if doc.memo is not None else None
    data = {
        "thai_digits": th,
        "heading": list(doc.heading),
        "agency_line": f"{doc.agency_name} {doc.agency_place}".strip(),
        "summary_title": doc.summary_title,
        "summary_text": list(doc.summary_text),
        "counts": [{"status": c.status, "label": c.label, "count": c.count, "percent": c.percent}
                   for c in doc.counts],
        "total": doc.total,
        "total_percent": digits("100.00", th),
        "theme_counts_title": "จำนวนมาตรการจำแนกตามประเด็นและสถานะการดำเนินการ",
        "theme_counts": [{"theme": t.theme, "counts": list(t.counts), "total": t.total}
                         for t in doc.theme_counts],
        "results_title": doc.results_title,
        "themes": themes,
        "signatures": [signature_data(s) for s in doc.signatures],
        "memo": memo,
    }
    data = segment_all(data)
    if memo is not None and doc.memo is not None:
        data["memo"]["emblem"] = emblem_data(doc.memo.emblem)
    for theme, original in zip(data["themes"], _theme_links(doc), strict=False):   # links stay as given
        for row, links in zip(theme["rows"], original, strict=False):
            row["links"] = [printable(link) for link in links]
    data["title"] = " ".join(doc.heading)
    data["author"] = doc.agency_name
    return data


def _theme_links(doc: ResultsReportDocument) -> list[list[list[str]]]:
    grouped: list[list[list[str]]] = []
    previous = None
    for row in doc.rows:
        if row.theme != previous:
            grouped.append([])
            previous = row.theme
        grouped[-1].append(list(row.evidence))
    return grouped


def render_results_report_pdf(doc: ResultsReportDocument) -> bytes:
    """Lay out ``doc`` as an A4 PDF: memo, summary (portrait), results table and signatures
    (landscape)."""
    return REPORT_TEMPLATE.render(report_data(doc))
