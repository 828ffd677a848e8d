"""Creating agencies from the same profile files the CLI reads."""

from __future__ import annotations

from django.db import transaction

from itadesk import agency as core
from itadesk.web.agencies.models import Agency, Department, Signatory


@transaction.atomic
def upsert_agency(profile: core.Agency) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        name=profile.name, province=profile.province,
        defaults={
            "type": profile.type, "district": profile.district,
            "office": profile.office, "reference": profile.reference, "website": profile.website,
            "emblem": profile.emblem.data if profile.emblem else None,
        },
    )
    agency.departments.all().delete()
    Department.objects.bulk_create(
        Department(agency=agency, name=d.name, roles=list(d.roles), order=i) for i, d in enumerate(profile.departments)
    )
    agency.signatories.all().delete()
    Signatory.objects.bulk_create(
        Signatory(agency=agency, role=role, name=p.name, position=p.position) for role, p in profile.signatories.items()
    )
    return agency
