"""An agency among its peers: the stored summary of a year's scores, quartiles and percentiles.

Pure functions; the web layer fetches the numbers (one query per page) and the database does the
per-agency work. The summary is what a dashboard sorts and filters on (ITA, tools, level), kept
next to the scores so that 8,000 agencies are one indexed query, not 8,000 recomputations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import quantiles

from itadesk.criteria import load_criteria
from itadesk.errors import InputError
from itadesk.results import Results
from itadesk.scoring import score

TOOLS = ("ITA", "IIT", "EIT", "OIT")


@dataclass(frozen=True)
class Summary:
    ita: float | None = None
    tools: dict[str, float | None] = field(default_factory=dict)
    level: str = ""                 # the criteria's level code ("" when ITA is unknown)
    passed: bool | None = None
    entries: dict[str, float] = field(default_factory=dict)   # questions and OIT items as given


def summarize(results: Results) -> Summary:
    """Effective ITA, tools and level of a result set (official where given, else recomputed);
    for a year without criteria, the official ITA and tools as given and no level."""
    try:
        criteria = load_criteria(results.fiscal_year)
    except InputError:
        given = results.scores
        return Summary(ita=given.get("ITA"), tools={t: given.get(t) for t in TOOLS[1:]})
    card = score(results, criteria)
    return Summary(
        ita=card.ita, tools=dict(card.tools), level=card.level.code if card.level else "",
        passed=card.passed, entries=dict(card.entries),
    )


@dataclass(frozen=True)
class Spread:
    """Where a value stands among its peers' values."""

    count: int
    q1: float | None
    median: float | None
    q3: float | None
    percentile: float | None     # share of peers below the value (ties count half), 0–100


def spread(values: list[float], value: float | None) -> Spread:
    """Quartiles (inclusive method, as spreadsheets compute QUARTILE.INC) and the percentile rank."""
    values = sorted(v for v in values if v is not None)
    n = len(values)
    if n == 0:
        return Spread(0, None, None, None, None)
    if n == 1:
        q1 = median = q3 = values[0]
    else:
        q1, median, q3 = quantiles(values, n=4, method="inclusive")
    percentile = None
    if value is not None:
        below = sum(1 for v in values if v < value)
        equal = sum(1 for v in values if v == value)
        percentile = 100.0 * (below + 0.5 * equal) / n
    return Spread(n, q1, median, q3, percentile)
