"""The predicted ITA: practice IIT and EIT scores with the OIT self-check's predicted OIT give
ITA = Σ weight × tool (weights and levels from the year's criteria), a range from the surveys'
confidence intervals and the OIT items still doubtful (counted 0 and 100), the level of each,
and what it would take to reach the next level, one tool at a time (e.g. "EIT +3.1 → ผ่าน").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import fmean

from itadesk.criteria import Criteria, Level
from itadesk.scoring import rate
from itadesk.surveys.scoring import Estimate

STEP = 0.1  # the gap to the next level is shown rounded up to this, and checked to reach it


@dataclass(frozen=True)
class ToolInput:
    score: float
    low: float
    high: float


@dataclass(frozen=True)
class Step:
    """Raising one tool (or several, ``tools``) by ``delta`` points reaches ``level``."""

    changes: tuple[tuple[str, float], ...]
    level: Level

    def text(self, fmt=lambda v: f"{v:.1f}") -> str:
        return " และ ".join(f"{t} +{fmt(d)}" for t, d in self.changes) + f" → {self.level.name}"


@dataclass(frozen=True)
class Prediction:
    fiscal_year: int
    tools: dict[str, ToolInput]
    ita: float
    low: float
    high: float
    level: Level
    level_low: Level
    level_high: Level
    next_level: Level | None
    steps: tuple[Step, ...]
    estimated: bool = True

    def to_dict(self) -> dict:
        return {
            "fiscal_year": self.fiscal_year, "estimated": self.estimated,
            "tools": {t: {"score": v.score, "low": v.low, "high": v.high} for t, v in self.tools.items()},
            "ita": self.ita, "low": self.low, "high": self.high,
            "level": self.level.name, "level_low": self.level_low.name, "level_high": self.level_high.name,
            "next_level": self.next_level.name if self.next_level else None,
            "steps": [s.text() for s in self.steps],
        }


def survey_input(est: Estimate | None) -> ToolInput | None:
    if est is None or est.score is None:
        return None
    return ToolInput(est.score, est.low if est.low is not None else est.score,
                     est.high if est.high is not None else est.score)


def oit_input(indicators: dict[int, float], items: list[tuple[int, str]], points: dict[str, float]) -> ToolInput:
    """The OIT self-check's prediction with its range: doubtful items counted as fail and as pass."""
    def oit(doubtful: float) -> float:
        per: dict[int, list[float]] = {}
        for number, verdict in items:
            per.setdefault(number, []).append(doubtful if verdict == "doubtful" else points[verdict])
        return fmean(fmean(v) for v in per.values()) if per else 0.0
    score = fmean(indicators.values()) if indicators else 0.0
    return ToolInput(score, min(score, oit(points.get("fail", 0.0))), max(score, oit(points.get("pass", 100.0))))


def _ita(criteria: Criteria, tools: dict[str, float]) -> float:
    return sum(t.weight * tools[t.code] for t in criteria.tools)


def _rank(criteria: Criteria, level: Level) -> int:
    return list(criteria.levels).index(level)


def predict_ita(criteria: Criteria, tools: dict[str, ToolInput], estimated: bool = True) -> Prediction:
    """``tools`` must hold IIT, EIT and OIT."""
    scores = {t: v.score for t, v in tools.items()}
    lows = {t: v.low for t, v in tools.items()}
    highs = {t: v.high for t, v in tools.items()}
    ita, low, high = _ita(criteria, scores), _ita(criteria, lows), _ita(criteria, highs)
    level = rate(ita, scores, criteria)
    rank = _rank(criteria, level)
    next_level = criteria.levels[rank - 1] if rank > 0 else None
    steps = _steps(criteria, scores, next_level) if next_level else ()
    return Prediction(criteria.fiscal_year, dict(tools), ita, low, high, level,
                      rate(low, lows, criteria), rate(high, highs, criteria), next_level, steps, estimated)


def _reaches(criteria: Criteria, scores: dict[str, float], target: Level) -> bool:
    return _rank(criteria, rate(_ita(criteria, scores), scores, criteria)) <= _rank(criteria, target)


def _round_up(value: float) -> float:
    return math.ceil(round(value / STEP, 6)) * STEP


def _steps(criteria: Criteria, scores: dict[str, float], target: Level) -> tuple[Step, ...]:
    """Each tool alone, where raising it alone (to at most 100) reaches ``target``; else one
    combined step: every tool brought to the level's minimum per tool, the rest on the tool
    with the most room."""
    weight = {t.code: t.weight for t in criteria.tools}
    gap = max(0.0, target.min_ita - _ita(criteria, scores))
    steps = []
    for tool in sorted(scores, key=lambda t: -weight[t]):
        floor = target.min_each_tool or 0.0
        others_ok = all(round(v, 2) >= floor for t, v in scores.items() if t != tool)
        if not others_ok:
            continue
        delta = _round_up(max(gap / weight[tool], floor - scores[tool], 0.0))
        while not _reaches(criteria, {**scores, tool: scores[tool] + delta}, target) and delta < 100:
            delta = round(delta + STEP, 6)
        if scores[tool] + delta <= 100 + 1e-9 and delta > 0:
            steps.append(Step(((tool, delta),), target))
    if steps:
        return tuple(sorted(steps, key=lambda s: s.changes[0][1]))
    raised = dict(scores)
    changes = {}
    floor = target.min_each_tool or 0.0
    for tool, value in scores.items():
        if value < floor:
            changes[tool] = _round_up(floor - value)
            raised[tool] = value + changes[tool]
    rest = max(0.0, target.min_ita - _ita(criteria, raised))
    if rest > 0:
        roomiest = max(raised, key=lambda t: (100 - raised[t]) * weight[t])
        extra = _round_up(rest / weight[roomiest])
        changes[roomiest] = round(changes.get(roomiest, 0.0) + extra, 6)
        raised[roomiest] += extra
    if changes and all(v <= 100 + 1e-9 for v in raised.values()) and _reaches(criteria, raised, target):
        return (Step(tuple(changes.items()), target),)
    return ()
