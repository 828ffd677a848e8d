"""The OIT evidence register through the API, with the pages' rules."""

import pytest
from rest_framework.authtoken.models import Token

from itadesk.web.agencies.models import AuditEntry
from itadesk.web.oit.models import EvidenceEntry


def api(client, user):
    token, _ = Token.objects.get_or_create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


@pytest.mark.django_db
def test_editor_puts_links_and_reads_them_back(world, client):
    a = world["a"]
    client = api(client, world["users"]["editor"])
    body = {"items": [{"code": "o01", "urls": ["https://www.bansuanhom.go.th/structure"], "note": "แผนผัง"},
                      {"code": "O๓", "urls": ["https://www.bansuanhom.go.th/mandate"]}]}
    response = client.put(f"/api/agencies/{a.pk}/oit/2567/evidence/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    items = {i["code"]: i for i in client.get(f"/api/agencies/{a.pk}/oit/2567/evidence/").json()["items"]}
    assert items["O1"]["urls"] == ["https://www.bansuanhom.go.th/structure"] and items["O1"]["note"] == "แผนผัง"
    assert items["O3"]["urls"] == ["https://www.bansuanhom.go.th/mandate"]
    assert len(items) == 35 and items["O2"]["urls"] == []
    assert AuditEntry.objects.filter(agency=a, action="oit.evidence_saved").count() == 1


@pytest.mark.django_db
def test_bad_links_and_unknown_codes_are_all_reported_and_nothing_is_saved(world, client):
    a = world["a"]
    client = api(client, world["users"]["editor"])
    body = {"items": [{"code": "O1", "urls": ["ftp://example.go.th/x"]}, {"code": "O99", "urls": []},
                      {"code": "O2", "urls": ["https://www.bansuanhom.go.th/ok"]}]}
    response = client.put(f"/api/agencies/{a.pk}/oit/2567/evidence/", body, content_type="application/json")
    assert response.status_code == 400
    problems = " ".join(response.json()["problems"])
    assert "O99" in problems and "O1" in problems
    assert not EvidenceEntry.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_viewer_reads_but_cannot_put_and_other_agencies_are_not_found(world, client):
    a, b = world["a"], world["b"]
    client = api(client, world["users"]["viewer"])
    assert client.get(f"/api/agencies/{a.pk}/oit/2567/evidence/").status_code == 200
    body = {"items": [{"code": "O1", "urls": ["https://www.bansuanhom.go.th/structure"]}]}
    assert client.put(f"/api/agencies/{a.pk}/oit/2567/evidence/", body,
                      content_type="application/json").status_code == 403
    assert client.get(f"/api/agencies/{b.pk}/oit/2567/evidence/").status_code == 404
    assert not EvidenceEntry.objects.exists()
