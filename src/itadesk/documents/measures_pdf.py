"""PDF rendering of a MeasuresDocument through Typst.

The layout lives in ``templates/measures.typ``; this module only turns the document into JSON
and hands it to the template (``typst.TypstTemplate``). Every text string is pre-segmented
(``thai_text.segment``) so that words stay whole.
"""

from __future__ import annotations

from itadesk.documents.model import MeasuresDocument, ScoreBar
from itadesk.documents.typst_parts import TypstTemplate, emblem_data, memo_data, segment_all, signature_data
from itadesk.status import CLASSIFICATION_LABEL
from itadesk.thai import digits

MEASURES_TEMPLATE = TypstTemplate("measures.typ")


def _bar(bar: ScoreBar, group: str | None = None) -> dict:
    return {
        "label": bar.label,
        "short": bar.short_label,
        "value": None if bar.value is None else max(0.0, min(100.0, float(bar.value))),
        "text": bar.text,
        "group": group if group is not None else bar.group,
    }


def _groups(items: list, key) -> list[dict]:
    """Consecutive runs of equal ``key`` (for the merged tool column)."""
    runs: list[dict] = []
    for item in items:
        k = key(item)
        if runs and runs[-1]["key"] == k:
            runs[-1]["items"].append(item)
        else:
            runs.append({"key": k, "items": [item]})
    return runs


def _theme_data(theme, th: bool) -> dict:
    """One theme: its score rows grouped by tool, what to improve and keep, its measures."""
    row_groups = [
        {
            "tool": g["key"],
            "rows": [
                {
                    "code": r.code,
                    "text": r.text,
                    "score": r.score,
                    "status": r.status,
                    "status_label": CLASSIFICATION_LABEL.get(r.status, r.status),
                    "change": r.change or "-",
                }
                for r in g["items"]
            ],
        }
        for g in _groups(theme.rows, lambda r: r.tool)
    ]
    measures = [
        {
            "issue": m.issue,
            "name": m.name,
            "steps": [{"n": digits(i, th) + ".", "text": s} for i, s in enumerate(m.steps, 1)],
            "responsible": m.responsible,
            "period": m.period,
            "monitoring": m.monitoring,
            "unbreakable": m.keeps_whole(),
        }
        for m in theme.measures
    ]
    return {
        "title": f"ประเด็นที่ {theme.number} {theme.name}",
        "has_change": any(r.change for r in theme.rows),
        "groups": row_groups,
        "overview": theme.overview,
        "improve": list(theme.improve),
        "keep": list(theme.keep),
        "measures": measures,
    }


def _titles_data(doc: MeasuresDocument) -> dict:
    return {
        "agency_line": f"{doc.agency_name} {doc.agency_place}".strip(),
        "narrative": doc.titles.narrative,
        "section1": doc.titles.overall,
        "figure1": doc.titles.figure_tools,
        "figure2": doc.titles.figure_indicators,
        "section2": doc.titles.indicators,
        "section3": doc.titles.themes,
        "section4": doc.titles.measures,
        "pass_line": f"เกณฑ์ผ่าน {digits(f'{doc.pass_mark:g}', doc.thai_digits)} คะแนน",
    }


def document_data(doc: MeasuresDocument) -> dict:
    """The JSON-ready structure the template reads (public for tests and debugging).

    Every text string carries U+200B at Thai word boundaries; the template keeps the words
    whole, so neither running text nor table cells break inside a word.
    """
    indicator_groups = [
        {"tool": g["key"], "rows": [{"short": b.short_label, "name": b.name, "text": b.text} for b in g["items"]]}
        for g in _groups(doc.indicators, lambda b: b.group)
    ]
    memo = memo_data(doc.memo) if doc.memo is not None else None
    data = {
        "thai_digits": doc.thai_digits,
        "pass_mark": doc.pass_mark,
        "title": " ".join(doc.cover_title),
        "agency_name": doc.agency_name,
        "cover_title": list(doc.cover_title),
        "agency_place": doc.agency_place,
        "heading": list(doc.heading),
        "titles": _titles_data(doc),
        "summary": list(doc.summary),
        "narrative": list(doc.narrative),
        "overall_text": doc.overall_text,
        "tool_bars": [_bar(doc.ita, "ITA")] + [_bar(b, b.group or b.short_label) for b in doc.tools],
        "indicator_bars": [_bar(b) for b in doc.indicators],
        "indicator_groups": indicator_groups,
        "themes": [_theme_data(theme, doc.thai_digits) for theme in doc.themes],
        "notes": list(doc.notes),
        "signatures": [signature_data(s) for s in doc.signatures],
        "memo": memo,
    }
    data = segment_all(data)
    if memo is not None and doc.memo is not None:
        data["memo"]["emblem"] = emblem_data(doc.memo.emblem)   # numbers, not text to segment
    # PDF metadata stays plain text
    data["title"] = " ".join(doc.cover_title)
    data["author"] = doc.agency_name
    return data


def render_measures_pdf(doc: MeasuresDocument) -> bytes:
    """Lay out ``doc`` as an A4 PDF (memo, cover, analysis with charts, measures, signatures)."""
    return MEASURES_TEMPLATE.render(document_data(doc))
