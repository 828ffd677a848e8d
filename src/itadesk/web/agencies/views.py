from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from itadesk.web.agencies.access import ADMIN, VIEW, agency_view, visible_agencies


@login_required
def home(request):
    agencies = visible_agencies(request.user).prefetch_related("result_sets")
    return render(request, "agencies/home.html", {"agencies": agencies})


@agency_view(VIEW)
def agency_detail(request, agency):
    return render(request, "agencies/detail.html", {
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
