"""The REST API: token auth, same permissions as the pages, validation, optimistic locking, analysis JSON."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.web.conftest import PASSWORD, ROOT

SEED = ROOT / "tests" / "data" / "seed000-2567.csv"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def counts():
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.plans.models import Plan, PlanMeasure
    from itadesk.web.results.models import ResultSet

    return {m.__name__: m.objects.count() for m in (ResultSet, Plan, PlanMeasure, AuditEntry)}


def seed_scores() -> dict:
    from itadesk.results import load_results

    return load_results(SEED).scores


@pytest.mark.django_db
def test_token_is_obtained_with_username_and_password_and_required(world):
    from django.core.cache import cache

    cache.clear()   # attempts of other tests count against the same client address
    client = APIClient()
    assert client.get("/api/agencies/").status_code == 401
    bad = client.post("/api/token/", {"username": "a_editor", "password": "wrong"}, format="json")
    assert bad.status_code == 400
    good = client.post("/api/token/", {"username": "a_editor", "password": PASSWORD}, format="json")
    assert good.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    listed = client.get("/api/agencies/")
    assert listed.status_code == 200
    assert [(a["id"], a["level"]) for a in listed.json()] == [(world["a"].pk, "edit")]
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/agencies/").status_code == 401


@pytest.mark.django_db
def test_password_guessing_for_a_token_is_slowed_down(world):
    """After the allowed attempts in a minute the token endpoint answers 429, even with the right
    password, so a password cannot be guessed at speed."""
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    answers = [client.post("/api/token/", {"username": "a_editor", "password": f"guess-{i}"}, format="json").status_code
               for i in range(10)]
    assert answers == [400] * 10
    late = client.post("/api/token/", {"username": "a_editor", "password": PASSWORD}, format="json")
    assert late.status_code == 429 and "token" not in late.json()
    cache.clear()


@pytest.mark.django_db
def test_agency_list_and_detail_follow_visibility(world):
    users, a, b = world["users"], world["a"], world["b"]
    assert {x["id"] for x in api(users["sysadmin"]).get("/api/agencies/").json()} == {a.pk, b.pk}
    assert [x["id"] for x in api(users["supervisor"]).get("/api/agencies/").json()] == [a.pk]
    assert api(users["outsider"]).get("/api/agencies/").json() == []
    assert api(users["viewer"]).get(f"/api/agencies/{a.pk}/").json()["level"] == "view"
    assert api(users["supervisor"]).get(f"/api/agencies/{a.pk}/").json()["level"] == "view"
    assert api(users["editor"]).get(f"/api/agencies/{b.pk}/").status_code == 404
    assert api(users["editor"]).get("/api/agencies/999999/").status_code == 404


@pytest.mark.django_db
def test_analysis_is_the_cli_json_for_seed000(world):
    from itadesk.cli import _analysis_json
    from itadesk.workflow import analyze_files

    response = api(world["users"]["viewer"]).get(f"/api/agencies/{world['a'].pk}/results/2567/analysis/")
    assert response.status_code == 200
    data = response.json()
    assert data["fiscal_year"] == 2567
    assert data["scores"]["ita"] == pytest.approx(72.97)
    assert data["level"] == "ต้องปรับปรุง" and data["passed"] is False
    assert [m["code"] for m in data["mismatches"]] == ["IND10"]
    assert set(data["scores"]) == {"ita", "tools", "indicators"}
    assert set(data["scores"]["tools"]) == {"IIT", "EIT", "OIT"}
    assert [t["no"] for t in data["themes"]] == sorted(t["no"] for t in data["themes"])
    assert {"no", "name", "urgent", "improve", "keep"} <= set(data["themes"][0])
    assert data == json.loads(json.dumps(_analysis_json(analyze_files(SEED))))
    missing = api(world["users"]["viewer"]).get(f"/api/agencies/{world['a'].pk}/results/2560/analysis/")
    assert missing.status_code == 404


@pytest.mark.django_db
def test_results_list_retrieve_post_and_put(world):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.results.models import ResultSet

    a, editor = world["a"], world["users"]["editor"]
    client = api(editor)
    assert [r["fiscal_year"] for r in client.get(f"/api/agencies/{a.pk}/results/").json()] == [2567]
    one = client.get(f"/api/agencies/{a.pk}/results/2567/").json()
    assert one["scores"]["ITA"] == pytest.approx(72.97)
    assert client.get(f"/api/agencies/{a.pk}/results/2560/").status_code == 404

    # The year exists: POST does not overwrite it, PUT does.
    conflict = client.post(f"/api/agencies/{a.pk}/results/",
                           {"fiscal_year": 2567, "scores": seed_scores()}, format="json")
    assert conflict.status_code == 409 and "PUT" in conflict.json()["detail"]

    ResultSet.objects.filter(agency=a).delete()
    created = client.post(f"/api/agencies/{a.pk}/results/",
                          {"fiscal_year": 2567, "scores": seed_scores(), "source": "ITAS"}, format="json")
    assert created.status_code == 201, created.content
    stored = ResultSet.objects.get(agency=a, fiscal_year=2567)
    assert stored.updated_by == editor and stored.source == "ITAS"
    assert AuditEntry.objects.filter(agency=a, action="results.saved", user=editor).count() == 1

    scores = {**seed_scores(), "ITA": "๗๓.๕๐"}  # Thai digits are accepted like in files
    replaced = client.put(f"/api/agencies/{a.pk}/results/2567/", {"scores": scores}, format="json")
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["scores"]["ITA"] == 73.5
    assert AuditEntry.objects.filter(agency=a, action__in=("results.saved", "results.replaced")).count() == 2


@pytest.mark.django_db
def test_bad_scores_answer_400_with_every_problem_and_write_nothing(world):
    a = world["a"]
    client = api(world["users"]["editor"])
    before = counts()
    bad = {"fiscal_year": 2567, "scores": {"ITA": "abc", "XYZ": 5, "IND1": 150}}
    response = client.put(f"/api/agencies/{a.pk}/results/2567/", bad, format="json")
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert len(problems) == 3
    assert any("ITA" in p and "ต้องเป็นตัวเลข" in p for p in problems)
    assert any("XYZ" in p and "ไม่รู้จักรหัส" in p for p in problems)
    assert any("IND1" in p and "0 ถึง 100" in p for p in problems)
    assert not any("scores.json" in p for p in problems)
    assert client.post(f"/api/agencies/{a.pk}/results/", {**bad, "fiscal_year": 2566},
                       format="json").status_code == 400
    shape = client.post(f"/api/agencies/{a.pk}/results/", {"scores": "nope"}, format="json")
    assert shape.status_code == 400 and any(p.startswith("fiscal_year:") for p in shape.json()["problems"])
    other_year = client.put(f"/api/agencies/{a.pk}/results/2567/",
                            {"fiscal_year": 2568, "scores": seed_scores()}, format="json")
    assert other_year.status_code == 400 and "ไม่ตรงกับปีใน URL" in other_year.json()["problems"][0]
    assert counts() == before
    assert world["a"].result_sets.get().scores["ITA"] == pytest.approx(72.97)


@pytest.mark.django_db
def test_plan_generate_edit_with_version_and_approve(world):
    from itadesk.web.agencies.models import AuditEntry
    from itadesk.web.plans.models import Plan

    a, editor = world["a"], world["users"]["editor"]
    client = api(editor)
    assert client.post(f"/api/agencies/{a.pk}/plans/", {"assessed_year": 2560}, format="json").status_code == 400
    created = client.post(f"/api/agencies/{a.pk}/plans/", {"assessed_year": 2567}, format="json")
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["plan_year"] == 2568 and plan["status"] == "draft" and plan["measures"]
    assert [p["plan_year"] for p in client.get(f"/api/agencies/{a.pk}/plans/").json()] == [2568]

    url = f"/api/agencies/{a.pk}/plans/2568/"
    read = client.get(url).json()
    first, second, *rest = read["measures"]
    assert rest and {"id", "theme", "name", "steps", "targets"} <= set(first)
    edited = {**first, "name": "มาตรการที่แก้ไขผ่าน API", "steps": ["ประชุมชี้แจง", "รายงานผล"]}
    added = {"theme": 7, "name": "มาตรการใหม่", "steps": ["ขั้นตอนเดียว"]}
    saved = client.put(url, {"version": read["version"], "measures": [edited, second, added]}, format="json")
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["version"] == read["version"] + 1
    names = [m["name"] for m in body["measures"]]
    assert len(names) == 3 and "มาตรการที่แก้ไขผ่าน API" in names and "มาตรการใหม่" in names
    kept = next(m for m in body["measures"] if m["id"] == first["id"])
    assert kept["targets"] == first["targets"] and kept["steps"] == ["ประชุมชี้แจง", "รายงานผล"]
    assert AuditEntry.objects.filter(agency=a, action="plan.edited", user=editor).count() == 1

    # Someone else saved in between: the stale version is refused and nothing changes.
    before = counts()
    stale = client.put(url, {"version": read["version"], "measures": read["measures"]}, format="json")
    assert stale.status_code == 409
    assert "a_editor" in stale.json()["detail"] and str(body["version"]) in stale.json()["detail"]
    assert counts() == before
    assert Plan.objects.get(agency=a, plan_year=2568).measures.count() == 3
    assert client.post(f"{url}approve/", {"version": read["version"]}, format="json").status_code == 409

    version = body["version"]
    problems = client.put(url, {"version": version, "measures": [
        {**edited, "theme": 99}, {**second, "name": "", "steps": []}, {"id": 999999, "theme": 1, "name": "x",
                                                                       "steps": ["y"]}]}, format="json")
    assert problems.status_code == 400
    text = " | ".join(problems.json()["problems"])
    assert "measures[0].theme" in text and "measures[1].name" in text and "measures[1].steps" in text
    assert "measures[2].id" in text
    assert client.put(url, {"version": version, "measures": []}, format="json").status_code == 400
    missing = client.put(url, {"measures": []}, format="json")
    assert missing.status_code == 400 and any(p.startswith("version:") for p in missing.json()["problems"])
    assert client.post(f"{url}approve/", {}, format="json").status_code == 400
    assert counts() == before

    approved = client.post(f"{url}approve/", {"version": version}, format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"]
    assert AuditEntry.objects.filter(agency=a, action="plan.approved", user=editor).count() == 1
    before = counts()
    again = client.post(f"{url}approve/", {"version": approved.json()["version"]}, format="json")
    assert again.status_code == 409 and "อนุมัติแล้ว" in again.json()["detail"]
    after_approval = client.put(url, {"version": approved.json()["version"], "measures": [added]}, format="json")
    assert after_approval.status_code == 409 and "อนุมัติแล้ว" in after_approval.json()["detail"]
    assert client.post(f"/api/agencies/{a.pk}/plans/", {"assessed_year": 2567}, format="json").status_code == 409
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "supervisor"])
def test_read_only_roles_read_but_get_403_on_writes(world, role):
    from itadesk.web.plans.services import create_plan

    a = world["a"]
    create_plan(a, 2567, world["users"]["editor"])
    client = api(world["users"][role])
    for url in (f"/api/agencies/{a.pk}/", f"/api/agencies/{a.pk}/results/", f"/api/agencies/{a.pk}/results/2567/",
                f"/api/agencies/{a.pk}/results/2567/analysis/", f"/api/agencies/{a.pk}/plans/",
                f"/api/agencies/{a.pk}/plans/2568/"):
        assert client.get(url).status_code == 200, url
    version = client.get(f"/api/agencies/{a.pk}/plans/2568/").json()["version"]
    before = counts()
    writes = [
        client.post(f"/api/agencies/{a.pk}/results/", {"fiscal_year": 2567, "scores": seed_scores()}, format="json"),
        client.put(f"/api/agencies/{a.pk}/results/2567/", {"scores": seed_scores()}, format="json"),
        client.post(f"/api/agencies/{a.pk}/plans/", {"assessed_year": 2567}, format="json"),
        client.put(f"/api/agencies/{a.pk}/plans/2568/", {"version": version, "measures": []}, format="json"),
        client.post(f"/api/agencies/{a.pk}/plans/2568/approve/", {"version": version}, format="json"),
    ]
    assert [w.status_code for w in writes] == [403] * 5
    assert counts() == before


@pytest.mark.django_db
def test_admin_of_the_agency_may_write_too(world):
    a = world["a"]
    client = api(world["users"]["admin"])
    response = client.put(f"/api/agencies/{a.pk}/results/2567/", {"scores": seed_scores()}, format="json")
    assert response.status_code == 200


@pytest.mark.django_db
def test_schema_is_generated_and_lists_the_api(world):
    response = api(world["users"]["viewer"]).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert "/api/agencies/{agency_id}/plans/{plan_year}/approve/" in paths
    assert "/api/agencies/{agency_id}/results/{year}/analysis/" in paths


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    """A warning means a client generator would get a made-up name or a wrong type."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "ProgressStatusEnum" in (tmp_path / "schema.yml").read_text()
