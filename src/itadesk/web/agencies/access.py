"""Who may do what with which agency. Every view and API route goes through here.

Levels, lowest first: view < edit < admin. Members get their membership role; a region
supervisor may view (never edit) the agencies of their province/district; a system admin
(superuser) may do everything. An agency the user may not view is answered with 404, so its
existence is not revealed.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import Http404

from itadesk.web.agencies.models import Agency, Membership

VIEW, EDIT, ADMIN = "view", "edit", "admin"
_RANK = {VIEW: 1, EDIT: 2, ADMIN: 3}
_ROLE_LEVEL = {Membership.VIEWER: VIEW, Membership.EDITOR: EDIT, Membership.ADMIN: ADMIN}


def _supervision_filter(user, supervisions=None) -> Q | None:
    query = None
    for sup in user.supervisions.all() if supervisions is None else supervisions:
        clause = Q(province=sup.province) & (Q(district=sup.district) if sup.district else Q())
        query = clause if query is None else query | clause
    return query


def visible_agencies(user) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    query = Q(memberships__user=user)
    supervised = _supervision_filter(user)
    if supervised is not None:
        query |= supervised
    return Agency.objects.filter(query).distinct()


def region_agencies(user, supervisions=None) -> QuerySet[Agency] | None:
    """What a supervisor oversees: a system admin the whole country, a region supervisor their
    province(s)/district(s) (``supervisions``, if already read); None for everyone else (the
    region pages answer them 404)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Agency.objects.all()
    supervised = _supervision_filter(user, supervisions)
    return None if supervised is None else Agency.objects.filter(supervised)


def request_supervisions(request) -> list:
    """The user's supervisions, read once per request (``request.supervisions``)."""
    if not hasattr(request, "supervisions"):
        request.supervisions = [] if request.user.is_superuser else list(request.user.supervisions.all())
    return request.supervisions


def region_covers(user, province: str, district: str) -> bool:
    """Whether a region job's scope (province, district; both empty: the country) lies inside what
    the user oversees: system admins everything, a supervisor their province or district."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not province:
        return False
    return any(s.province == province and (not s.district or s.district == district)
               for s in user.supervisions.all())


def region_view(view):
    """Decorator for the region (dashboard) pages: logs in, 404 unless a supervisor or system
    admin, passes the agencies the user oversees as ``request.region`` and the user's
    supervisions as ``request.supervisions``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        region = region_agencies(request.user, request_supervisions(request))
        if region is None:
            raise Http404("ไม่พบหน้านี้")
        request.region = region
        return view(request, *args, **kwargs)

    return wrapper


def system_admin_view(view):
    """Decorator for system administrators' pages (criteria, agency set-up): logs in, 404 for anyone
    else (the page is not revealed)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            raise Http404("ไม่พบหน้านี้")
        return view(request, *args, **kwargs)
    return wrapper


def level(user, agency: Agency) -> str | None:
    """The highest level the user has on the agency, or None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMIN
    membership = Membership.objects.filter(user=user, agency=agency).only("role").first()
    if membership:
        return _ROLE_LEVEL[membership.role]
    supervised = _supervision_filter(user)
    if supervised is not None and Agency.objects.filter(supervised, pk=agency.pk).exists():
        return VIEW
    return None


def reaches(have: str | None, needed: str) -> bool:
    """Whether the level ``have`` (None: no access) reaches ``needed``: the one comparison of levels."""
    return have is not None and _RANK[have] >= _RANK[needed]


def allows(user, agency: Agency, needed: str) -> bool:
    return reaches(level(user, agency), needed)


def may_edit(request) -> bool:
    """Whether the user of a page opened through ``agency_view`` may change the agency's data."""
    return reaches(request.agency_level, EDIT)


def is_admin(request) -> bool:
    """Whether the user of a page opened through ``agency_view`` is an admin of the agency."""
    return reaches(request.agency_level, ADMIN)


def agency_and_level(user, agency_id: int, needed: str = VIEW) -> tuple[Agency, str]:
    """The agency and the user's level on it, if that level reaches ``needed``; 404 otherwise."""
    agency = Agency.objects.filter(pk=agency_id).first()
    have = level(user, agency) if agency is not None else None
    if not reaches(have, needed):
        raise Http404("ไม่พบหน่วยงาน")
    return agency, have


def agency_view(needed: str = VIEW):
    """Decorator for views taking ``agency_id``: logs in, checks the level, passes ``agency``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, agency_id: int, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            agency, request.agency_level = agency_and_level(request.user, agency_id, needed)
            return view(request, agency, *args, **kwargs)

        return wrapper

    return decorator
