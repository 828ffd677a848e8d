"""Measures plan for the new fiscal year, generated from the analysis and the knowledge base.

The plan is plain data (dataclasses, JSON-friendly) so an officer can edit it before the
documents are written from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields

from itadesk.agency import Agency
from itadesk.analysis import Analysis
from itadesk.knowledge import PLACEHOLDER, SIGNATORY_PLACEHOLDERS, KnowledgeBase, Measure
from itadesk.status import IMPROVE, URGENT
from itadesk.thai import fiscal_year_bounds, fiscal_year_period, thai_date

MAINTAIN = "maintain"
_PERIOD_MONTHS = {  # offset in months from 1 Oct, length in months
    "quarter1": (0, 3), "quarter2": (3, 3), "quarter3": (6, 3), "quarter4": (9, 3),
    "half1": (0, 6), "half2": (6, 6),
}


def previous_year(fiscal_year: int) -> int:
    """The year a year's scores are compared with (the changes of the analysis): the one before."""
    return fiscal_year - 1


def next_year(fiscal_year: int) -> int:
    """The year whose analysis compares with ``fiscal_year``'s scores: the one after."""
    return fiscal_year + 1


def plan_year_of(assessed_year: int) -> int:
    """The fiscal year a plan made from ``assessed_year``'s scores is for: the next one (the
    FY2567 results make the FY2568 measures). So the plan after a plan is that of
    ``plan_year_of(plan.plan_year)``, made from the scores of the plan's own year."""
    return next_year(assessed_year)


@dataclass
class Target:
    """A question or item a measure answers, with the score that made it a target.

    Stored as JSON (``to_json``) with a plan's measures and read back with ``from_json``, which
    ignores keys it does not know and leaves missing ones to their defaults: a field added here
    must have a default, so rows stored before it was added still load."""

    code: str
    name: str = ""
    score: float = 0.0
    status: str = MAINTAIN   # URGENT / IMPROVE, or MAINTAIN for a theme with nothing weak

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping) -> Target:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass
class PlannedMeasure:
    measure_id: str
    theme: int
    name: str
    steps: list[str]
    responsible: str
    period: str
    monitoring: str
    targets: list[Target] = field(default_factory=list)


@dataclass
class MeasuresPlan:
    assessed_year: int
    plan_year: int
    measures: list[PlannedMeasure]

    def to_dict(self) -> dict:
        return asdict(self)

    def for_theme(self, number: int) -> list[PlannedMeasure]:
        return [m for m in self.measures if m.theme == number]


def period_dates(period: str, plan_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a knowledge-base period code ("quarter1", "half2", …; anything
    else is the whole fiscal year)."""
    start, end = fiscal_year_bounds(plan_year)
    if period not in _PERIOD_MONTHS:
        return start, end
    offset, length = _PERIOD_MONTHS[period]
    first = _add_months(start, offset)
    return first, _add_months(first, length) - dt.timedelta(days=1)


def period_text(period: str, plan_year: int, thai: bool = True) -> str:
    if period not in _PERIOD_MONTHS:
        return fiscal_year_period(plan_year, thai)
    first, last = period_dates(period, plan_year)
    return f"{thai_date(first, thai)} ถึง {thai_date(last, thai)}"


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def unit_for(role_id: str, kb: KnowledgeBase, agency: Agency) -> str:
    """The agency's own department doing a kind of work ('สำนักปลัด'), from its profile; work no
    department covers is named generically ('ผู้รับผิดชอบงานด้านกฎหมาย'), never as a unit the
    agency may not have."""
    return agency.department_for(role_id) or kb.roles[role_id].generic


def responsible_text(measure: Measure, kb: KnowledgeBase, agency: Agency) -> str:
    """The units doing the measure's work ('สำนักปลัด / กองคลัง'), see ``unit_for``."""
    names: list[str] = []
    for role_id in measure.roles:
        name = unit_for(role_id, kb, agency)
        if name not in names:
            names.append(name)
    return " / ".join(names) or agency.office


def fill_placeholders(text: str, kb: KnowledgeBase, agency: Agency) -> str:
    """A knowledge-base text with its placeholders replaced by the agency's own names: ``{legal}``
    by the unit doing that work (``unit_for``), ``{endorser}`` and the other signatories by their
    full titles (``Agency.position_of``). Done once, when the plan is generated: a stored plan
    keeps the words it was approved with."""
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return agency.position_of(name) if name in SIGNATORY_PLACEHOLDERS else unit_for(name, kb, agency)
    return PLACEHOLDER.sub(fill, text)


def generate_plan(analysis: Analysis, kb: KnowledgeBase, agency: Agency, thai: bool = True) -> MeasuresPlan:
    """One row per knowledge-base measure, placed in the first theme that needs it.

    A measure that answers several weak items appears once, listing all of them; a theme
    with nothing weak gets its upkeep measure so every theme has a line in the plan.
    """
    plan_year = plan_year_of(analysis.criteria.fiscal_year)
    planned: dict[str, PlannedMeasure] = {}

    def add(measure: Measure, theme: int, target: Target) -> None:
        row = planned.get(measure.id)
        if row is None:
            row = planned[measure.id] = PlannedMeasure(
                measure.id, theme, measure.name, list(measure.steps),
                responsible_text(measure, kb, agency), period_text(measure.period, plan_year, thai),
                fill_placeholders(measure.monitoring, kb, agency),
            )
        if all(t.code != target.code for t in row.targets):
            row.targets.append(target)

    for theme in analysis.themes:
        weak = theme.weak
        for result in weak:
            advice = kb.topics.get(result.topic or "")
            if advice is None:
                continue
            target = Target(result.entry.code, result.entry.label, result.score, result.status)
            for measure_id in advice.measures:
                add(kb.measures[measure_id], theme.theme.number, target)
        if not weak and theme.theme.key in kb.theme_measures:
            measure = kb.measures[kb.theme_measures[theme.theme.key]]
            lowest = min(theme.rows, key=lambda r: r.score, default=None)
            if lowest is not None:
                add(measure, theme.theme.number,
                    Target(lowest.entry.code, lowest.entry.label, lowest.score, MAINTAIN))

    order = {URGENT: 0, IMPROVE: 1, MAINTAIN: 2}
    measures = sorted(
        planned.values(),
        key=lambda m: (m.theme, min(order[t.status] for t in m.targets), min(t.score for t in m.targets)),
    )
    return MeasuresPlan(analysis.criteria.fiscal_year, plan_year, measures)
