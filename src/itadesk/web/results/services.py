"""Saving results: shared by the pages and the API."""

from __future__ import annotations

from django.db import transaction

from itadesk.results import Results
from itadesk.web.agencies.models import record
from itadesk.web.results.models import ResultSet


def save_results(agency, user, results: Results) -> ResultSet:
    """Create or replace the agency's scores for the year, with an audit line."""
    with transaction.atomic():
        result_set, created = ResultSet.objects.update_or_create(
            agency=agency, fiscal_year=results.fiscal_year,
            defaults={"scores": results.scores, "question_indicators": results.question_indicators,
                      "source": results.source[:200], "updated_by": user},
        )
        record(agency, user, "results.saved",
               f"{'บันทึก' if created else 'แก้ไข'}ผลคะแนนปีงบประมาณ {results.fiscal_year} ({len(results.scores)} รายการ)",
               fiscal_year=results.fiscal_year, source=results.source, codes=len(results.scores))
    return result_set
