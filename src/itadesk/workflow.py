"""The main job end to end: results file + agency profile -> analysis, plan, documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from itadesk.agency import Agency
from itadesk.analysis import Analysis, analyze
from itadesk.criteria import criteria_in_force
from itadesk.documents.measures_plan import build_measures_document
from itadesk.documents.model import MeasuresDocument
from itadesk.knowledge import load_knowledge
from itadesk.plan import MeasuresPlan, generate_plan, previous_year
from itadesk.results import Results, load_results
from itadesk.scoring import score


def analyze_results(results: Results, previous: Results | None = None) -> Analysis:
    criteria = results.criteria()
    card = score(results, criteria)
    if previous is None:
        return analyze(card, criteria)
    previous_criteria = previous.criteria()
    return analyze(card, criteria, score(previous, previous_criteria), previous_criteria)


def analyze_files(results_path: str | Path, year: int | None = None,
                  previous_path: str | Path | None = None) -> Analysis:
    results = load_results(results_path, year)
    previous = load_results(previous_path, previous_year(results.fiscal_year)) if previous_path else None
    return analyze_results(results, previous)


@dataclass
class MeasuresPackage:
    analysis: Analysis
    plan: MeasuresPlan
    document: MeasuresDocument


def prepare_measures(analysis: Analysis, agency: Agency, thai_digits: bool = True,
                     day: dt.date | None = None, memo_number: str = "") -> MeasuresPackage:
    kb = load_knowledge()
    plan = generate_plan(analysis, kb, agency, thai_digits)
    document = build_measures_document(analysis, plan, agency, kb, thai_digits, day,
                                       criteria_in_force(plan.plan_year), memo_number)
    return MeasuresPackage(analysis, plan, document)
