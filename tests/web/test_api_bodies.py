"""Odd request bodies and numbers in URLs: a Thai 400 or a 404, never a 500, nothing written."""


import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from itadesk.web.parsers import nesting_depth
from itadesk.web.results.models import ResultSet

from .test_access_matrix import _PARAM, all_routes


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


NASTY = {
    "nested 5,000 deep": '{"fiscal_year": 2567, "scores": {"ITA": ' + "[" * 5000 + "]" * 5000 + "}}",
    "an array nested 5,000 deep": "[" * 5000 + "]" * 5000,
    "NaN as a score": '{"fiscal_year": 2567, "scores": {"ITA": NaN}}',
    "Infinity as a score": '{"fiscal_year": 2567, "scores": {"ITA": -Infinity}}',
    "1e999 as a score": '{"fiscal_year": 2567, "scores": {"ITA": 1e999}}',
    "a 300-digit year": '{"fiscal_year": %s, "scores": {"ITA": 50}}' % ("9" * 300),
    "a lone surrogate key": '{"fiscal_year": 2567, "scores": {"\\ud800": 50}}',
    "not UTF-8": b'{"fiscal_year": 2567, "scores": {"ITA": "\xff"}}',
    "truncated": '{"fiscal_year": 2567, "scores": {"ITA": ',
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(NASTY))
def test_a_malformed_json_body_gets_a_thai_400_and_writes_nothing(world, name):
    agency = world["a"]
    client = api(world["users"]["editor"])
    before = list(ResultSet.objects.filter(agency=agency).values_list("fiscal_year", "scores"))
    for method, url in (("post", f"/api/agencies/{agency.pk}/results/"),
                        ("put", f"/api/agencies/{agency.pk}/results/2567/"),
                        ("put", f"/api/agencies/{agency.pk}/plans/2568/")):
        answer = getattr(client, method)(url, NASTY[name], content_type="application/json")
        assert answer.status_code in (400, 404), (url, answer.status_code)
        if answer.status_code == 400:
            body = answer.json()
            message = body.get("detail") or " ".join(body.get("problems", []))
            assert any("\u0e00" <= ch <= "\u0e7f" for ch in message), message     # said in Thai
            assert "Traceback" not in message and len(message) < 300
    assert list(ResultSet.objects.filter(agency=agency).values_list("fiscal_year", "scores")) == before


@pytest.mark.django_db
def test_the_depth_limit_leaves_ordinary_bodies_alone(world):
    """A real plan update (4 levels) goes through; nesting inside strings does not count."""
    from itadesk.web.plans.services import create_plan

    editor = world["users"]["editor"]
    plan = create_plan(world["a"], 2567, editor)
    client = api(editor)
    body = client.get(f"/api/agencies/{world['a'].pk}/plans/{plan.plan_year}/").json()
    measures = [{k: m[k] for k in ("id", "theme", "name", "steps", "responsible", "period", "monitoring")}
                for m in body["measures"]]
    measures[0]["name"] = "มาตรการ [[[[[[[[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{{{{{{{{{{{ ในวงเล็บ"
    answer = client.put(f"/api/agencies/{world['a'].pk}/plans/{plan.plan_year}/",
                        {"version": body["version"], "measures": measures}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["measures"][0]["name"].startswith("มาตรการ [[[")


def test_nesting_depth_counts_brackets_outside_strings():
    assert nesting_depth('{"a": [1, {"b": "[[[["}]}') == 3
    assert nesting_depth('"\\"[[["') == 0
    assert nesting_depth("[" * 5000) == 5000


HUGE = "9" * 300


@pytest.mark.django_db
def test_absurd_numbers_in_urls_and_queries_are_not_found(world, client):
    """Every route with a number in its path, with a 300-digit number there, and ?year=abc:
    404 (or a redirect/400), never a 500 — as the system administrator, who may see everything."""
    client.force_login(world["users"]["sysadmin"])
    tried = 0
    for template, _ in all_routes():
        if "<int:" not in template or template.startswith(("admin/", "static/", "media/")):
            continue
        url = "/" + _PARAM.sub(lambda m: HUGE if m.group("converter") == "int" else "pdf", template)
        answer = client.get(url)
        assert answer.status_code in (302, 400, 404, 405), (url, answer.status_code)  # 405: POST-only
        tried += 1
    assert tried > 30
    a = world["a"].pk
    for url in (f"/agencies/{a}/results/new/?year=abc", f"/agencies/{a}/results/new/?year={HUGE}",
                f"/agencies/{a}/results/new/?year=1e300", f"/agencies/{a}/results/2567/edit/?year=-1",
                f"/?page={HUGE}", "/?page=abc"):
        assert client.get(url).status_code in (200, 302, 400, 404), url   # 302: back, with a message
    assert client.get(f"/agencies/{a}/results/new/?year=2567").status_code == 200
