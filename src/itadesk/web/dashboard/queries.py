"""The dashboard's numbers, in SQL: one query per table or chart, however many agencies.

Every agency of the region is one row with its year's summary (a LEFT JOIN on the year's result
set, last year's and the next plan through ``FilteredRelation``) and per-plan counts as correlated
subqueries. Filters, sort and search are WHERE / ORDER BY clauses; charts are GROUP BY aggregates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Rank

from itadesk.criteria import Criteria
from itadesk.plan import plan_year_of, previous_year
from itadesk.progress import CANCELLED, DONE
from itadesk.status import IMPROVE, KEEP, URGENT
from itadesk.thai import fiscal_year_bounds, sort_key, to_arabic_digits, to_thai_digits
from itadesk.web.agencies.models import Agency
from itadesk.web.oit.models import CheckRunRecord
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.progress.models import MeasureReport, Round
from itadesk.web.results.models import EntryScore, ResultSet

NO_RESULTS = "none"   # the level filter's value for agencies without the year's results
SORTS = {
    "name": ("sort_key",),
    "ita": (F("cur__ita").desc(nulls_last=True), "sort_key"),
    "-ita": (F("cur__ita").asc(nulls_last=True), "sort_key"),
    "change": (F("change").desc(nulls_last=True), "sort_key"),
    "-change": (F("change").asc(nulls_last=True), "sort_key"),
    "district": ("district", "sort_key"),
    "type": ("type", "sort_key"),
}
HISTOGRAM_EDGES = (0, 50, 60, 70, 80, 90, 95)


def histogram_bins(pass_mark: float) -> list[tuple[float, float]]:
    """The ITA histogram's bins: fixed edges plus the year's pass mark, so no bar straddles it."""
    edges = sorted({*HISTOGRAM_EDGES, pass_mark})
    return list(zip(edges, [*edges[1:], 100.001], strict=True))


@dataclass(frozen=True)
class Filters:
    year: int
    district: str = ""
    type: str = ""
    level: str = ""
    behind: bool = False
    q: str = ""
    sort: str = "name"


def years_of(region: QuerySet[Agency]) -> list[int]:
    sets = ResultSet.objects.all() if not region.query.has_filters() else \
        ResultSet.objects.filter(agency__in=region.values("pk"))   # the whole country: no IN (…)
    return sorted(sets.values_list("fiscal_year", flat=True).distinct().order_by(), reverse=True)


def choices(region: QuerySet[Agency], field: str) -> list[str]:
    """The districts or agency types of the region, in Thai order (a few dozen: sorted here)."""
    return sorted(region.order_by().values_list(field, flat=True).distinct(), key=sort_key)


def _count(queryset) -> Subquery:
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
                    output_field=IntegerField())


def _measures(year: int):
    """The approved next-year plan's measures of the outer agency, each with its latest reported status."""
    latest = MeasureReport.objects.filter(measure=OuterRef("pk")).order_by("-round__months").values("status")[:1]
    return PlanMeasure.objects.filter(plan__agency=OuterRef("pk"), plan__plan_year=plan_year_of(year),
                                      plan__status=Plan.APPROVED).annotate(last=Subquery(latest))


def _overdue(year: int, today: dt.date) -> Subquery:
    end = fiscal_year_bounds(plan_year_of(year))[1]
    late = _measures(year).annotate(deadline=Coalesce("due_on", Value(end, output_field=DateField())))
    return _count(late.filter(deadline__lt=today).exclude(last__in=[DONE, CANCELLED]))


def base(region: QuerySet[Agency], year: int) -> QuerySet[Agency]:
    return region.annotate(
        cur=FilteredRelation("result_sets", condition=Q(result_sets__fiscal_year=year)),
        prev=FilteredRelation("result_sets", condition=Q(result_sets__fiscal_year=previous_year(year))),
        nextplan=FilteredRelation("plans", condition=Q(plans__plan_year=plan_year_of(year))),
    )


def filtered(region: QuerySet[Agency], f: Filters, today: dt.date) -> QuerySet[Agency]:
    qs = base(region, f.year)
    if f.district:
        qs = qs.filter(district=f.district)
    if f.type:
        qs = qs.filter(type=f.type)
    if f.level == NO_RESULTS:
        qs = qs.filter(cur__isnull=True)
    elif f.level:
        qs = qs.filter(cur__level=f.level)
    if f.q:
        words = {f.q, to_thai_digits(f.q), to_arabic_digits(f.q)}
        search = Q()
        for word in words:
            search |= Q(name__icontains=word)
        qs = qs.filter(search)
    if f.behind:
        qs = qs.annotate(overdue=_overdue(f.year, today)).filter(behind_clause())
    return qs


def behind_clause() -> Q:
    """Behind in the cycle: no result set for the year, no approved plan for the next one, or
    measures past their due date and not done."""
    return Q(cur__isnull=True) | Q(nextplan__isnull=True) | ~Q(nextplan__status=Plan.APPROVED) | Q(overdue__gt=0)


def table(qs: QuerySet[Agency], f: Filters, today: dt.date) -> QuerySet[Agency]:
    """The rows as the dashboard shows them, sorted."""
    year = f.year
    if "overdue" not in qs.query.annotations:
        qs = qs.annotate(overdue=_overdue(year, today))
    locked = Round.objects.filter(plan__agency=OuterRef("pk"), plan__plan_year=plan_year_of(year),
                                  locked_at__isnull=False).order_by("-months").values("months")[:1]
    predicted = CheckRunRecord.objects.filter(agency=OuterRef("pk")).order_by("-started_at", "-id").values("oit")[:1]
    qs = qs.annotate(
        ita=F("cur__ita"), level_code=F("cur__level"), passed=F("cur__passed"),
        prev_ita=F("prev__ita"),
        change=Case(When(cur__ita__isnull=False, prev__ita__isnull=False, then=F("cur__ita") - F("prev__ita")),
                    default=None, output_field=FloatField()),
        plan_status=F("nextplan__status"),
        measures=_count(_measures(year)),
        done=_count(_measures(year).filter(last=DONE)),
        locked_months=Subquery(locked, output_field=IntegerField()),
        predicted_oit=Subquery(predicted, output_field=FloatField()),
    )
    if f.sort in ("ita", "-ita"):   # sorted by ITA anyway: the rank within the agency type costs little
        qs = qs.annotate(type_rank=Window(Rank(), partition_by=[F("type")],
                                          order_by=F("cur__ita").desc(nulls_last=True)))
    return qs.order_by(*SORTS.get(f.sort, SORTS["name"]))


def totals(qs: QuerySet[Agency], passing: float) -> dict:
    """Counts over the filtered agencies (``below``: ITA under the pass mark) and the ITA histogram,
    in one query."""
    buckets = {f"b{i}": Count("pk", filter=Q(cur__ita__gte=lo, cur__ita__lt=hi))
               for i, (lo, hi) in enumerate(histogram_bins(passing))}
    return qs.order_by().aggregate(
        agencies=Count("pk"), with_results=Count("cur__pk"), passed=Count("pk", filter=Q(cur__passed=True)),
        below=Count("pk", filter=Q(cur__ita__lt=passing)),
        approved=Count("pk", filter=Q(nextplan__status=Plan.APPROVED)),
        average=Avg("cur__ita"), **buckets,
    )


def levels_by(qs: QuerySet[Agency], place: str = "district") -> dict[str, dict[str, int]]:
    """Levels by district, or by province for the country: place → level code ("" = no results
    for the year) → agencies; one GROUP BY query."""
    levels: dict[str, dict[str, int]] = {}
    for row in qs.order_by().values(place, lvl=F("cur__level")).annotate(n=Count("pk")):
        levels.setdefault(row[place], {})[row["lvl"] or ""] = row["n"]
    return levels


def by_type(qs: QuerySet[Agency]) -> list[dict]:
    """Per agency type: agencies, scored, average / lowest / highest ITA and passed (one GROUP BY
    query), in Thai order of the type."""
    rows = qs.order_by().values("type").annotate(
        n=Count("pk"), scored=Count("cur__pk"), average=Avg("cur__ita"), low=Min("cur__ita"), high=Max("cur__ita"),
        passed=Count("pk", filter=Q(cur__passed=True)))
    return sorted(rows, key=lambda t: sort_key(t["type"]))


# --- Common weaknesses ------------------------------------------------------------------------

def entry_status(criteria: Criteria) -> Case:
    """analysis.classify in SQL: keep at or above ``keep_at_least``; urgent below ``urgent_below``
    (or an OIT item at 0 when the year says so); improve otherwise."""
    rules = criteria.classification
    urgent = Q(score__lt=rules.urgent_below)
    if rules.oit_zero_is_urgent:
        urgent |= Q(is_oit_item=True, score=0)
    return Case(When(score__gte=rules.keep_at_least, then=Value(KEEP)), When(urgent, then=Value(URGENT)),
                default=Value(IMPROVE))


def _entries(qs: QuerySet[Agency], year: int):
    return EntryScore.objects.filter(result_set__fiscal_year=year, result_set__agency__in=qs.values("pk"))


def weakness_counts(qs: QuerySet[Agency], year: int, criteria: Criteria) -> tuple[dict[str, dict[str, int]], int]:
    """code → {urgent: n, improve: n, keep: n}, and how many agencies have per-item scores (two queries)."""
    counts: dict[str, dict[str, int]] = {}
    rows = _entries(qs, year).annotate(status=entry_status(criteria)).values("code", "status").annotate(n=Count("pk"))
    for row in rows.order_by():
        counts.setdefault(row["code"], {URGENT: 0, IMPROVE: 0, KEEP: 0})[row["status"]] = row["n"]
    agencies = _entries(qs, year).aggregate(n=Count("result_set", distinct=True))["n"]
    return counts, agencies


def weakness_agencies(qs: QuerySet[Agency], year: int, criteria: Criteria, code: str, status: str) -> list[dict]:
    """The agencies behind one count: name, district, type and score, lowest first."""
    rows = (_entries(qs, year).filter(code=code).annotate(status=entry_status(criteria)).filter(status=status)
            .values("score", agency_id=F("result_set__agency_id"), name=F("result_set__agency__name"),
                    district=F("result_set__agency__district"), type=F("result_set__agency__type"),
                    key=F("result_set__agency__sort_key"))
            .order_by("score", "result_set__agency__sort_key"))
    return list(rows)
