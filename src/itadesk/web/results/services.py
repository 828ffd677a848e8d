"""A year's results: loading their analysis, saving and replacing them. Shared by the pages, the
API and the commands of every app above this one."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404

from itadesk.analysis import Analysis
from itadesk.plan import next_year, previous_year
from itadesk.results import Results
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.models import record
from itadesk.web.results.models import ResultSet
from itadesk.workflow import analyze_results


def scores_of(agency, year: int, by_year: dict[int, ResultSet] | None = None) -> tuple[Results, Results | None]:
    """The year's scores (404 without them) and the previous year's (or None), as the core reads
    them. ``by_year`` (the agency's result sets by fiscal year) spares the queries when the
    caller has read them already."""
    if by_year is None:
        by_year = {rs.fiscal_year: rs for rs in ResultSet.objects.filter(
            agency=agency, fiscal_year__in=(year, previous_year(year)))}
    current = by_year.get(year) or get_object_or_404(ResultSet, agency=agency, fiscal_year=year)
    previous = by_year.get(previous_year(year))
    return current.as_results(), previous.as_results() if previous else None


def year_analysis(agency, year: int, by_year: dict[int, ResultSet] | None = None) -> Analysis:
    """The analysis of the agency's scores of ``year`` with the changes since the previous year:
    the one loader of a year's analysis for every page, API route and command (404 without the
    year's scores)."""
    return analyze_results(*scores_of(agency, year, by_year))


def results_json(results: Results | None) -> dict | None:
    """Scores as stored in JSON (an approved plan's snapshot, an upload waiting for confirmation)."""
    if results is None:
        return None
    return {"fiscal_year": results.fiscal_year, "scores": dict(results.scores), "source": results.source,
            "question_indicators": dict(results.question_indicators)}


def results_from_json(data: dict | None) -> Results | None:
    if data is None:
        return None
    return Results(int(data["fiscal_year"]), {k: float(v) for k, v in data["scores"].items()}, data["source"],
                   {k: int(v) for k, v in data["question_indicators"].items()})


def plans_using(agency, fiscal_year: int) -> list:
    """The agency's plans made from this year's scores (or comparing with them: the next year's),
    read through the agency (the plans app is above this one)."""
    return list(agency.plans.filter(
        Q(assessed_year=fiscal_year) | Q(assessed_year=next_year(fiscal_year))).order_by("plan_year"))


def needs_confirmation(agency, fiscal_year: int) -> list:
    """Plans that replacing this year's existing scores would touch (empty: nothing to ask)."""
    if not ResultSet.objects.filter(agency=agency, fiscal_year=fiscal_year).exists():
        return []
    return plans_using(agency, fiscal_year)


def describe_plans(plans) -> str:
    """'มาตรการปีงบประมาณ ๒๕๖๘ (อนุมัติแล้ว)' for each plan, for the confirmation question."""
    return ", ".join(f"มาตรการปีงบประมาณ {to_thai_digits(p.plan_year)} ({p.get_status_display()})" for p in plans)


REPLACE_NOTE = ("มาตรการที่อนุมัติแล้วใช้คะแนนชุดเดิมที่เก็บไว้ ณ วันอนุมัติต่อไป "
                "ร่างมาตรการจะใช้คะแนนใหม่ ผลคะแนนเดิมยังดูได้ในบันทึกการเปลี่ยนแปลง")


def save_results(agency, user, results: Results) -> ResultSet:
    """Create or replace the agency's scores for the year, with an audit line. A replaced set
    stays in the audit log (the scores, who saved them and when): the history of the year."""
    with transaction.atomic():
        old = ResultSet.objects.select_for_update(of=("self",)).select_related("updated_by").filter(
            agency=agency, fiscal_year=results.fiscal_year).first()
        previous = None
        if old is not None:
            previous = {"scores": old.scores, "question_indicators": old.question_indicators, "source": old.source,
                        "saved_by": old.updated_by.username if old.updated_by else "",
                        "saved_at": old.updated_at.isoformat() if old.updated_at else ""}
        result_set, created = ResultSet.objects.update_or_create(
            agency=agency, fiscal_year=results.fiscal_year,
            defaults={"scores": results.scores, "question_indicators": results.question_indicators,
                      "source": results.source[:200], "updated_by": user},
        )
        year = to_thai_digits(results.fiscal_year)
        count = to_thai_digits(len(results.scores))
        if created:
            record(agency, user, "results.saved", f"บันทึกผลคะแนนปีงบประมาณ {year} ({count} รายการ)",
                   fiscal_year=results.fiscal_year, source=results.source, codes=len(results.scores))
        else:
            plans = plans_using(agency, results.fiscal_year)
            record(agency, user, "results.replaced",
                   f"แทนที่ผลคะแนนปีงบประมาณ {year} ({count} รายการ)"
                   + (f" ที่ใช้ใน{describe_plans(plans)}" if plans else ""),
                   fiscal_year=results.fiscal_year, source=results.source, codes=len(results.scores),
                   plans=[p.plan_year for p in plans], previous=previous)
    return result_set


def score_history(agency, fiscal_year: int) -> list[dict]:
    """The year's replaced scores, newest first: when and by whom replaced, and what they were."""
    import datetime as dt

    from itadesk.web.agencies.models import AuditEntry

    rows = []
    for entry in AuditEntry.objects.filter(agency=agency, action="results.replaced").select_related("user"):
        if entry.details.get("fiscal_year") != fiscal_year or not entry.details.get("previous"):
            continue
        previous = entry.details["previous"]
        saved_at = previous.get("saved_at")
        rows.append({"at": entry.at, "by": entry.user.username if entry.user else "",
                     "ita": previous["scores"].get("ITA"), "codes": len(previous["scores"]),
                     "saved_by": previous.get("saved_by", ""),
                     "saved_at": dt.datetime.fromisoformat(saved_at) if saved_at else None})
    return rows
