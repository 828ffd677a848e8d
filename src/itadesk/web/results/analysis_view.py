"""What the analysis page shows, computed by the core package from a stored result set."""

from __future__ import annotations

from itadesk.peers import TOOLS, spread
from itadesk.plan import plan_year_of
from itadesk.web.results.models import ResultSet
from itadesk.web.results.services import year_analysis
from itadesk.workflow import analyze_results

STATUS_ORDER = ("urgent", "improve", "keep")


def _bar(label: str, value: float | None, group: str = "") -> dict:
    return {"label": label, "value": value, "width": max(0.0, min(100.0, value or 0.0)), "group": group}


def peer_comparison(agency, result_set: ResultSet) -> list[dict]:
    """ITA and each tool against the same type of agency in the province and in the country:
    quartiles and the percentile. One query (the year's summaries of that type), whatever the count."""
    rows = list(ResultSet.objects.filter(fiscal_year=result_set.fiscal_year, agency__type=agency.type,
                                         ita__isnull=False)
                .values_list("agency__province", "ita", "iit", "eit", "oit"))
    own = {"ITA": result_set.ita, "IIT": result_set.iit, "EIT": result_set.eit, "OIT": result_set.oit}
    out = []
    for i, tool in enumerate(TOOLS, start=1):
        country = [r[i] for r in rows]
        province = [r[i] for r in rows if r[0] == agency.province]
        out.append({"tool": tool, "value": own[tool],
                    "spreads": [spread(province, own[tool]), spread(country, own[tool])]})
    return out


def analysis_context(agency, result_set: ResultSet) -> dict:
    by_year = {rs.fiscal_year: rs for rs in agency.result_sets.all()}  # one query for every year
    analysis = year_analysis(agency, result_set.fiscal_year, by_year)
    card, criteria = analysis.card, analysis.criteria
    history = [
        _bar(str(year), card.ita if year == result_set.fiscal_year else analyze_results(rs.as_results()).card.ita)
        for year, rs in sorted(by_year.items())
    ]
    return {
        "agency": agency,
        "year": result_set.fiscal_year,
        "result_set": result_set,
        "card": card,
        "level": card.level,
        "tool_bars": [_bar("ITA", card.ita, "ITA")] + [_bar(t, v, t) for t, v in card.tools.items()],
        "indicator_bars": [
            _bar(f"{i.number}. {i.name or ''}", card.indicators.get(i.number), i.tool) for i in criteria.indicators
        ],
        "history": history,
        "themes": [
            {
                "number": t.theme.number,
                "name": t.theme.name,
                "rows": t.rows,
                "lists": [(s, [r for r in t.rows if r.status == s]) for s in STATUS_ORDER],
                "unscored": t.unscored,
            }
            for t in analysis.themes
        ],
        "mismatches": card.mismatches,
        "peers": peer_comparison(agency, result_set),
        "plan": agency.plans.filter(plan_year=plan_year_of(result_set.fiscal_year)).first(),
    }
