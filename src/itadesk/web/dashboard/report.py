"""The region's summary report: the dashboard's numbers (SQL) put into the documents' model."""

from __future__ import annotations

from django.db.models import Count, F
from django.utils import timezone

from itadesk.documents.province import MAX_LISTED, RegionFacts, build_province_summary
from itadesk.knowledge import load_knowledge
from itadesk.web.dashboard import queries as q


def _addressee(user, province: str, district: str) -> str:
    """To whom the memo goes: the district chief for a district, the governor for a province."""
    if not district and not province and not user.is_superuser:
        supervised = list(user.supervisions.all())
        if len(supervised) == 1:
            province, district = supervised[0].province, supervised[0].district
    if district:
        return f"นายอำเภอ{district}"
    return f"ผู้ว่าราชการจังหวัด{province}" if province else "ผู้บริหาร"


def region_facts(request, f: q.Filters, qs, form) -> RegionFacts:
    from itadesk.web.dashboard.views import region_name, weakness_table

    criteria = form["criteria"]
    names = dict(form["levels"])
    mark = criteria.pass_mark
    totals = q.totals(qs, mark)
    levels = dict(qs.order_by().filter(cur__isnull=False).values_list("cur__level").annotate(n=Count("pk")))
    below_qs = qs.filter(cur__ita__lt=mark)
    below = [(a["name"], a["district"], a["type"], a["ita"], names.get(a["lvl"], "-"))
             for a in below_qs.order_by("cur__ita", "sort_key").values("name", "district", "type", ita=F("cur__ita"),
                                                                      lvl=F("cur__level"))[:MAX_LISTED]]
    weaknesses, itemised = weakness_table(qs, f, criteria)
    region = region_name(request)
    province = form["province"]
    if province:
        region = f"จังหวัด{province}"
    if f.district:
        region = f"อำเภอ{f.district} " + (f"จังหวัด{province}" if province else region.split(" ")[-1])
    filters = ", ".join(x for x in (f"ประเภท {f.type}" if f.type else "", f"ค้นหา \"{f.q}\"" if f.q else "") if x)
    return RegionFacts(
        region=region, addressee=_addressee(request.user, province, f.district), fiscal_year=f.year,
        agencies=totals["agencies"], with_results=totals["with_results"], passed=totals["passed"],
        average=totals["average"], levels=[(lv.name, levels.get(lv.code, 0)) for lv in criteria.levels],
        below=below, below_total=below_qs.count(), weaknesses=weaknesses, itemised=itemised, filters=filters,
        author=request.user.get_full_name(),
        pass_mark=mark,
        urgent_below=criteria.classification.urgent_below, keep_at_least=criteria.classification.keep_at_least,
    )


def summary_document(request, f: q.Filters, qs, form, fmt: str) -> bytes:
    doc = build_province_summary(region_facts(request, f, qs, form), load_knowledge(), day=timezone.localdate())
    if fmt == "pdf":
        from itadesk.documents.province_pdf import render_province_pdf

        return render_province_pdf(doc)
    from itadesk.documents.province_docx import render_province_docx

    return render_province_docx(doc)
