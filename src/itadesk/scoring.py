"""ITA arithmetic: indicators from questions/items, tools from indicators, ITA from tools.

Official scores given in the results file are the truth; recomputed values only fill gaps
and check the official ones. A difference over ``MISMATCH_TOLERANCE`` is reported (seed
000's indicator 10 is printed as 45 while its items average 40).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import fmean

from itadesk.criteria import Criteria, Level
from itadesk.errors import Problem
from itadesk.results import Results

MISMATCH_TOLERANCE = 0.01


@dataclass(frozen=True)
class Mismatch:
    code: str
    official: float
    recomputed: float
    basis: str  # what the recomputation used, e.g. "O26–O35"

    @property
    def difference(self) -> float:
        return self.official - self.recomputed


@dataclass
class Scorecard:
    """Effective scores (official where given, else recomputed) with their provenance."""

    fiscal_year: int
    ita: float | None
    tools: dict[str, float | None]
    indicators: dict[int, float | None]
    entries: dict[str, float]                    # questions and items as given
    official: set[str] = field(default_factory=set)
    mismatches: list[Mismatch] = field(default_factory=list)
    level: Level | None = None
    held_back: tuple[Problem, ...] = ()          # rows of the results file not used, and why

    @property
    def passed(self) -> bool | None:
        return None if self.level is None else self.level.passed


def _mean(values: list[float | None]) -> float | None:
    if not values or any(v is None for v in values):
        return None
    return fmean(values)  # type: ignore[arg-type]


def _basis(codes: list[str]) -> str:
    return f"{codes[0]}–{codes[-1]}" if len(codes) > 2 else ", ".join(codes)


def score(results: Results, criteria: Criteria) -> Scorecard:
    given = results.scores
    card = Scorecard(
        fiscal_year=results.fiscal_year, ita=None, tools={}, indicators={},
        entries={c: v for c, v in given.items() if c in criteria.entry_by_code},
        official={c for c in given}, held_back=results.held_back,
    )

    def settle(code: str, recomputed: float | None, basis: str) -> float | None:
        official = given.get(code)
        if official is not None and recomputed is not None and abs(official - recomputed) > MISMATCH_TOLERANCE:
            card.mismatches.append(Mismatch(code, official, round(recomputed, 4), basis))
        return official if official is not None else recomputed

    for indicator in criteria.indicators:
        members = criteria.entries_of_indicator[indicator.number]
        recomputed = _mean([given.get(e.code) for e in members])
        card.indicators[indicator.number] = settle(
            indicator.code, recomputed, _basis([e.code for e in members]) if members else ""
        )

    for tool in criteria.tools:
        numbers = [i.number for i in criteria.indicators_of_tool(tool.code)]
        recomputed = _mean([card.indicators[n] for n in numbers])
        card.tools[tool.code] = settle(tool.code, recomputed, _basis([f"IND{n}" for n in numbers]))

    weighted = [(t.weight, score) for t in criteria.tools if (score := card.tools[t.code]) is not None]
    recomputed_ita = sum(w * score for w, score in weighted) if len(weighted) == len(criteria.tools) else None
    card.ita = settle("ITA", recomputed_ita, "IIT, EIT, OIT")
    card.level = rate(card.ita, card.tools, criteria) if card.ita is not None else None
    return card


def rate(ita: float, tools: Mapping[str, float | None], criteria: Criteria) -> Level:
    """The first level whose conditions hold; scores compared as ITAS prints them (2 decimals)."""
    ita_shown = round(ita, 2)
    tool_scores = [round(v, 2) for v in tools.values() if v is not None]
    complete = len(tool_scores) == len(criteria.tools)
    for level in criteria.levels:
        if ita_shown < level.min_ita:
            continue
        if level.min_each_tool is not None and (not complete or min(tool_scores) < level.min_each_tool):
            continue
        return level
    return criteria.levels[-1]
