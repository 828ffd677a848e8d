"""The analysis as plain JSON data: one shape for ``itadesk analyze --json`` and the web API."""

from __future__ import annotations

from itadesk.analysis import Analysis


def analysis_json(analysis: Analysis) -> dict:
    card = analysis.card
    criteria = analysis.criteria
    return {
        "fiscal_year": card.fiscal_year,
        "scores": {
            "ita": card.ita,
            "tools": card.tools,
            "indicators": {str(n): v for n, v in card.indicators.items()},
        },
        "level": card.level.name if card.level else None,
        "level_code": card.level.code if card.level else None,
        "passed": card.passed,
        "mismatches": [
            {"code": m.code, "official": m.official, "recomputed": m.recomputed, "basis": m.basis}
            for m in card.mismatches
        ],
        "themes": [
            {
                "no": t.theme.number,
                "key": t.theme.key,
                "name": t.theme.name,
                "urgent": t.codes("urgent"),
                "improve": t.codes("improve"),
                "keep": t.codes("keep"),
                "unscored": list(t.unscored),
                "changes": {r.entry.code: round(r.change, 2) for r in t.rows if r.change is not None},
            }
            for t in analysis.themes
        ],
        "criteria": {"urn": criteria.urn, "status": criteria.status},
    }
