"""An agency's audit log (its admins only)."""

from django.shortcuts import render

from itadesk.web.agencies.access import ADMIN, agency_view


@agency_view(ADMIN)
def audit_log(request, agency):
    entries = agency.audit_entries.select_related("user")[:500]
    return render(request, "agencies/audit.html", {"agency": agency, "entries": entries})
