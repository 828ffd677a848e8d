from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from itadesk.web.agencies.access import ADMIN, VIEW, agency_view, region_agencies, visible_agencies
from itadesk.web.plans.models import Plan
from itadesk.web.progress.services import plan_standings


AGENCIES_PER_PAGE = 200


@login_required
def home(request):
    """The agencies the user may see (a province office: all of its province), each with its
    results years, its latest plan and, for an approved plan, how far its measures are.
    Supervisors and system administrators get the region dashboard instead."""
    if region_agencies(request.user) is not None:
        from itadesk.web.dashboard.views import dashboard

        return dashboard(request)
    page = Paginator(visible_agencies(request.user).prefetch_related("result_sets", "plans"),
                     AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    latest = {a.pk: max(a.plans.all(), key=lambda p: p.plan_year, default=None) for a in page}
    approved = [p for p in latest.values() if p is not None and p.status == Plan.APPROVED]
    standings = plan_standings(approved, timezone.localdate())
    rows = [(a, latest[a.pk], standings.get(latest[a.pk].pk) if latest[a.pk] else None) for a in page]
    return render(request, "agencies/home.html", {"rows": rows, "page": page})


@agency_view(VIEW)
def agency_detail(request, agency):
    from itadesk.web.surveys.services import latest_prediction

    return render(request, "agencies/detail.html", {
        "prediction": latest_prediction(agency),
        "agency": agency,
        "result_sets": agency.result_sets.all(),
        "plans": agency.plans.all(),
        "can_edit": request.agency_level in ("edit", "admin"),
        "is_admin": request.agency_level == ADMIN,
    })


@agency_view(ADMIN)
def audit_log(request, agency):
    entries = agency.audit_entries.select_related("user")[:500]
    return render(request, "agencies/audit.html", {"agency": agency, "entries": entries})
