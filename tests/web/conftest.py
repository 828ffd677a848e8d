"""Two agencies in two provinces and a user for every role, for the web tests."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "test-password-2567"


@pytest.fixture
def world(db, django_user_model):
    from itadesk.agency import load_agency
    from itadesk.results import load_results
    from itadesk.web.agencies.models import Membership, Supervision
    from itadesk.web.agencies.services import upsert_agency
    from itadesk.web.results.models import ResultSet

    profile = load_agency(ROOT / "demo" / "agency.yaml")
    agency_a = upsert_agency(profile)
    agency_b = upsert_agency(profile.__class__(**{**profile.__dict__, "name": "เทศบาลตำบลหนองน้ำใส",
                                                  "province": "ขอนแก่น", "district": "พล"}))
    results = load_results(ROOT / "tests" / "data" / "seed000-2567.csv")
    for agency in (agency_a, agency_b):
        ResultSet.objects.create(agency=agency, fiscal_year=2567, scores=results.scores, source="seed000")

    def user(name, **extra):
        return django_user_model.objects.create_user(name, password=PASSWORD, **extra)

    users = {}
    for role in (Membership.ADMIN, Membership.EDITOR, Membership.VIEWER):
        users[role] = user(f"a_{role}")
        Membership.objects.create(user=users[role], agency=agency_a, role=role)
    users["supervisor"] = user("a_supervisor")
    Supervision.objects.create(user=users["supervisor"], province=agency_a.province)
    users["outsider"] = user("nobody")
    users["sysadmin"] = user("root_admin", is_superuser=True, is_staff=True)
    return {"a": agency_a, "b": agency_b, "users": users}


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client
    return as_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs seconds per test user; the tests are about access, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
