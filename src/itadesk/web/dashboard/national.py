"""Importing the national results file: match, create, store; all or nothing.

An agency is matched by its exact name in its province. A row whose name is not found but is close
to an existing agency of the province (difflib ratio ≥ ``NEAR``, same numbers in the name, common
abbreviations expanded) is a problem, not a guess: fix the name in the file, or confirm that these
are new agencies (``accept_new``). Missing agencies are created. The file's scores replace the same
codes of the year's result set and keep the others (an agency's own per-item scores stay); a row
whose scores are already stored changes nothing, so re-importing a file writes nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from itadesk.criteria import load_criteria
from itadesk.errors import InputError, Problem
from itadesk.national import NationalRow, read_national
from itadesk.thai import sort_key, to_arabic_digits
from itadesk.web import dataversion
from itadesk.web.agencies.models import Agency, AuditEntry
from itadesk.web.results.models import ResultSet

NEAR = 0.85
ANALYZE_AFTER = 1000
_ABBREVIATIONS = (("องค์การบริหารส่วนตำบล", "อบต."), ("องค์การบริหารส่วนจังหวัด", "อบจ."), ("เทศบาลตำบล", "ทต."),
                  ("เทศบาลเมือง", "ทม."), ("เทศบาลนคร", "ทน."))


@dataclass
class ImportOutcome:
    rows: int = 0
    created: int = 0        # agencies created
    added: int = 0          # result sets created
    updated: int = 0        # result sets whose scores changed
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def _loose(name: str) -> str:
    text = "".join(to_arabic_digits(name).split())
    for long, short in _ABBREVIATIONS:
        text = text.replace(long, short)
    return text


def _near(name: str, candidates: dict[str, str]) -> str | None:
    """An existing name of the province that is probably the same agency written differently."""
    loose = _loose(name)
    numbers = re.findall(r"\d+", loose)
    best, best_ratio = None, NEAR
    for other_loose, other in candidates.items():
        if re.findall(r"\d+", other_loose) != numbers:
            continue
        ratio = difflib.SequenceMatcher(None, loose, other_loose).ratio()
        if ratio >= best_ratio:
            best, best_ratio = other, ratio
    return best


def import_national(data: bytes, source: str, year: int, user=None, accept_new: bool = False) -> ImportOutcome:
    """Read, check and store the file. Raises InputError (nothing written) on any problem."""
    load_criteria(year)   # an unknown year is refused before anything is read
    rows = read_national(data, source)
    existing = {(a["name"], a["province"]): a for a in Agency.objects.values("pk", "name", "province", "type")}
    by_province: dict[str, dict[str, str]] = {}
    for name, province in existing:
        by_province.setdefault(province, {})[_loose(name)] = name
    problems: list[Problem] = []
    new_rows: list[NationalRow] = []
    for row in rows:
        if (row.name, row.province) in existing:
            continue
        near = None if accept_new else _near(row.name, by_province.get(row.province, {}))
        if near is not None:
            problems.append(Problem(
                f"ไม่พบหน่วยงานชื่อนี้ในจังหวัด{row.province} แต่มีชื่อใกล้เคียง \"{near}\": "
                "แก้ชื่อในไฟล์ให้ตรงกับที่มีอยู่ หรือยืนยันว่าเป็นหน่วยงานใหม่", source, row.row, row.name))
            continue
        new_rows.append(row)
    if problems:
        raise InputError(problems)   # the first ones listed, the rest counted (errors.cap)
    outcome = _store(rows, new_rows, existing, year, source, user)
    if connection.vendor == "postgresql" and outcome.created + outcome.added + outcome.updated >= ANALYZE_AFTER:
        # Thousands of new rows at once: refresh the planner's statistics now rather than at the next
        # autovacuum, or the dashboards' joins are planned for the tables as they were (nested loops).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE agencies_agency, results_resultset")
    return outcome


@transaction.atomic
def _store(rows, new_rows, existing, year, source, user) -> ImportOutcome:
    outcome = ImportOutcome(rows=len(rows))
    created = Agency.objects.bulk_create([
        Agency(name=r.name, type=r.type, province=r.province, district=r.district, sort_key=sort_key(r.name))
        for r in new_rows], batch_size=1000)
    outcome.created = len(created)
    ids = {(a["name"], a["province"]): a["pk"] for a in existing.values()}
    if created:
        provinces = {r.province for r in new_rows}
        ids.update({(n, p): pk for n, p, pk in
                    Agency.objects.filter(province__in=provinces).values_list("name", "province", "pk")})
    stored = {rs.agency_id: rs for rs in ResultSet.objects.filter(fiscal_year=year, agency_id__in=ids.values())
              .only("pk", "agency_id", "fiscal_year", "scores", "source")}
    label = f"ไฟล์ผลระดับประเทศ {source}"[:200]
    to_create, to_update, audit = [], [], []
    for row in rows:
        agency_id = ids[(row.name, row.province)]
        rs = stored.get(agency_id)
        if rs is None:
            rs = ResultSet(agency_id=agency_id, fiscal_year=year, scores=dict(row.scores), source=label,
                           updated_by=user)
            rs.apply_summary()
            to_create.append(rs)
            outcome.added += 1
        else:
            merged = {**rs.scores, **row.scores}
            if merged == rs.scores:
                outcome.unchanged += 1
                continue
            rs.scores, rs.source, rs.updated_by = merged, label, user
            rs.apply_summary()
            to_update.append(rs)
            outcome.updated += 1
        audit.append(AuditEntry(agency_id=agency_id, user=user if getattr(user, "is_authenticated", False) else None,
                                action="results.national",
                                summary=f"นำเข้าผลคะแนนปีงบประมาณ {year} จาก{label}"[:300],
                                details={"fiscal_year": year, "source": source, "row": row.row}))
    ResultSet.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        now = timezone.now()
        for rs in to_update:
            rs.updated_at = now
        ResultSet.objects.bulk_update(to_update, ["scores", "source", "updated_by", "updated_at",
                                                  *ResultSet.SUMMARY_FIELDS], batch_size=1000)
    AuditEntry.objects.bulk_create(audit, batch_size=1000)
    if audit or created:
        dataversion.changed()   # bulk writes send no signals
    return outcome
