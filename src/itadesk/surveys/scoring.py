"""Scores of a practice survey, the way the NACC's ITAS is understood to compute them
(ita-methodology.md §3.2): a respondent's points on a question are the scale's points of the
answer (reversed for reverse-worded items), averaged over the question's sub-items; the question
score is the mean over respondents; an indicator is the mean of its questions, a tool the mean
of its indicators.

Uncertainty is itadesk's own: a 95 % confidence interval from the spread and count of the
answers (Student's t, with the finite-population correction when the head-count is known). For
a tool, the spread is that of the respondents' own tool scores (each respondent's mean over the
tool's indicators of their mean per indicator). Scores are kept unrounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import NormalDist, fmean, stdev

from itadesk.scoring import Scorecard
from itadesk.surveys.definition import SampleRule, SurveyDefinition

CONFIDENCE = 0.95
# Student's t, two-sided 95 %, by degrees of freedom (1…30); beyond 30 the normal value is used.
_T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042)


def t95(df: int) -> float:
    return _T95[df - 1] if 1 <= df <= len(_T95) else NormalDist().inv_cdf(0.975)


@dataclass(frozen=True)
class Estimate:
    """A mean over ``n`` respondents with its 95 % confidence interval (None below 2 answers)."""

    score: float | None
    n: int
    sd: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def half_width(self) -> float | None:
        return None if self.low is None or self.high is None else (self.high - self.low) / 2

    def to_dict(self) -> dict:
        return {"score": self.score, "n": self.n, "sd": self.sd, "low": self.low, "high": self.high}


def estimate(values: list[float], population: int | None = None) -> Estimate:
    n = len(values)
    if n == 0:
        return Estimate(None, 0)
    mean = fmean(values)
    if n < 2:
        return Estimate(mean, n)
    sd = stdev(values)
    fpc = math.sqrt(max(0.0, (population - n) / (population - 1))) if population and population > n else (
        0.0 if population and population <= n else 1.0)
    half = t95(n - 1) * sd / math.sqrt(n) * fpc
    return Estimate(mean, n, sd, max(0.0, mean - half), min(100.0, mean + half))


@dataclass(frozen=True)
class SampleNeed:
    """How many answers the sample needs under the year's rule, and how many are still missing."""

    tool: str
    rule: SampleRule
    population: int | None
    have: int
    needed: int
    basis: str           # Thai: how ``needed`` was reached

    @property
    def more(self) -> int:
        return max(0, self.needed - self.have)


def sample_need(rule: SampleRule, have: int, population: int | None, sd: float | None) -> SampleNeed:
    if rule.rule == "share":
        if population is None:
            needed, basis = rule.at_least, f"ไม่ทราบจำนวนผู้มีส่วนได้ส่วนเสีย: อย่างน้อย {rule.at_least:,} คน"
        elif population < rule.at_least:
            needed, basis = population, f"มีไม่ถึง {rule.at_least:,} คน: ทุกคน ({population:,} คน)"
        else:
            needed = max(rule.at_least, math.ceil((rule.share or 0) * population - 1e-9))
            if rule.at_most:
                needed = min(needed, rule.at_most)
            basis = f"ร้อยละ {(rule.share or 0) * 100:g} ของ {population:,} คน (อย่างน้อย {rule.at_least:,}" + (
                f" ไม่เกิน {rule.at_most:,} คน)" if rule.at_most else " คน)")
        return SampleNeed(rule.tool, rule, population, have, needed, basis)
    # precision: enough answers for the interval to be at most ±margin at the rule's confidence
    spread = sd if sd and have >= 2 else rule.assumed_sd
    z = NormalDist().inv_cdf((1 + rule.confidence) / 2)
    n0 = (z * spread / rule.margin) ** 2
    needed = math.ceil(n0 * population / (n0 + population - 1) - 1e-9) if population else math.ceil(n0 - 1e-9)
    needed = max(needed, rule.at_least if not population else min(rule.at_least, population))
    source = "ส่วนเบี่ยงเบนมาตรฐานของคำตอบที่ได้" if sd and have >= 2 else "ส่วนเบี่ยงเบนมาตรฐานที่สมมติ"
    basis = (f"ช่วงความเชื่อมั่น {rule.confidence * 100:g}% ไม่เกิน ±{rule.margin:g} คะแนน "
             f"({source} {spread:.1f}" + (f", บุคลากรทั้งหมด {population:,} คน)" if population else ")"))
    return SampleNeed(rule.tool, rule, population, have, needed, basis)


@dataclass
class SurveyScores:
    fiscal_year: int
    estimated: bool
    respondents: dict[str, int]
    questions: dict[str, Estimate]                 # question code → estimate (questions with answers)
    subitems: dict[str, Estimate]                  # "i1.2" → estimate, for questions with sub-items
    indicators: dict[int, float | None]
    tools: dict[str, Estimate]
    samples: dict[str, SampleNeed] = field(default_factory=dict)
    total: int = 0                                 # rows with at least one answer


    def scorecard(self) -> Scorecard:
        """The practice scores as a Scorecard for the seven-theme analysis (no official values, no ITA)."""
        return Scorecard(
            fiscal_year=self.fiscal_year, ita=None,
            tools={t: e.score for t, e in self.tools.items()},
            indicators=dict(self.indicators),
            entries={c: e.score for c, e in self.questions.items() if e.score is not None},
        )

    def to_json(self) -> dict:
        return {
            "fiscal_year": self.fiscal_year,
            "estimated": self.estimated,
            "respondents": self.total,
            "respondents_by_tool": self.respondents,
            "questions": {c: e.score for c, e in self.questions.items()},
            "indicators": {str(n): v for n, v in self.indicators.items()},
            "tools": {t: e.score for t, e in self.tools.items()},
            "intervals": {
                "questions": {c: e.to_dict() for c, e in self.questions.items()},
                "subitems": {c: e.to_dict() for c, e in self.subitems.items()},
                "tools": {t: e.to_dict() for t, e in self.tools.items()},
            },
            "sample": {t: {"have": s.have, "needed": s.needed, "more": s.more, "population": s.population,
                           "rule": s.rule.rule, "status": s.rule.status, "basis": s.basis}
                       for t, s in self.samples.items()},
        }


def score_answers(definition: SurveyDefinition, rows: Iterable[dict[str, int]],
                  populations: dict[str, int | None] | None = None) -> SurveyScores:
    """Score respondents' answers (column key → option index). Rows may mix IIT and EIT."""
    populations = populations or {}
    rows = list(rows)
    per_question: dict[str, list[float]] = {q.code: [] for q in definition.questions}
    per_column: dict[str, list[float]] = {c.key: [] for q in definition.questions if q.has_subitems for c in q.columns}
    per_respondent: dict[str, list[float]] = {t: [] for t in definition.tools}
    total = 0
    for row in rows:
        total += bool(row)
        for tool in definition.tools:
            by_indicator: dict[int, list[float]] = {}
            for question in definition.questions_of(tool):
                points = []
                for column in question.columns:
                    index = row.get(column.key)
                    if index is None:
                        continue
                    value = column.scale.points(index, column.reversed)
                    points.append(value)
                    if question.has_subitems:
                        per_column[column.key].append(value)
                if points:
                    mean = fmean(points)
                    per_question[question.code].append(mean)
                    by_indicator.setdefault(question.indicator, []).append(mean)
            if by_indicator:
                per_respondent[tool].append(fmean(fmean(v) for v in by_indicator.values()))

    questions = {c: estimate(v, populations.get(definition.question_by_code[c].tool))
                 for c, v in per_question.items() if v}
    subitems = {k: estimate(v, populations.get(definition.question_by_code[k.split(".")[0]].tool))
                for k, v in per_column.items() if v}
    indicators: dict[int, float | None] = {}
    for question in definition.questions:
        indicators.setdefault(question.indicator, None)
    for number in indicators:
        scores = [questions[q.code].score for q in definition.questions
                  if q.indicator == number and q.code in questions]
        indicators[number] = fmean(scores) if scores else None  # type: ignore[arg-type]
    tools: dict[str, Estimate] = {}
    samples: dict[str, SampleNeed] = {}
    for tool in definition.tools:
        numbers = sorted({q.indicator for q in definition.questions_of(tool)})
        present = [indicators[n] for n in numbers if indicators[n] is not None]
        spread = estimate(per_respondent[tool], populations.get(tool))
        score = fmean(present) if present else None  # type: ignore[arg-type]
        if score is None:
            tools[tool] = Estimate(None, 0)
        elif spread.low is None:
            tools[tool] = Estimate(score, spread.n)
        else:
            # The interval of the respondents' own tool scores, centred on the tool score.
            shift = score - (spread.score or 0.0)
            tools[tool] = Estimate(score, spread.n, spread.sd, max(0.0, spread.low + shift),
                                   min(100.0, (spread.high or 0.0) + shift))
        samples[tool] = sample_need(definition.sample[tool], spread.n, populations.get(tool), spread.sd)
    return SurveyScores(definition.fiscal_year, definition.estimated,
                        {t: len(per_respondent[t]) for t in definition.tools}, questions, subitems,
                        indicators, tools, samples, total)
