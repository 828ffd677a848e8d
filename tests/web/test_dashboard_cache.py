"""The dashboard's cached pages are never older than the data: after an import, a result save or a
plan approval the very next page shows the new numbers (real commits, as in production)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bench import national_file
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itadesk.thai import to_thai_digits


def tile(body: str, label: str) -> str:
    """The number on the dashboard's tile ``label`` (Thai digits)."""
    found = re.search(r'<div class="n">([^<]*)</div>' + re.escape(label), body)
    assert found, label
    return found.group(1)


def fetch(client, url: str = "/?year=2567") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


@pytest.fixture
def empty_cache():
    caches["dashboard"].clear()   # the cache table outlives a transactional test's flush
    yield
    caches["dashboard"].clear()


@pytest.mark.django_db(transaction=True)
def test_no_stale_numbers_after_an_import_a_result_save_or_an_approval(world, login, empty_cache):
    from itadesk.web.dashboard.national import import_national
    from itadesk.web.plans.services import approve_plan, create_plan
    from itadesk.web.results.models import ResultSet

    client = login(world["users"]["supervisor"])
    body, computed = fetch(client)
    again, cached = fetch(client)
    main = lambda html: html[html.index("<main>"):]   # noqa: E731 (the header's CSRF token changes)
    assert main(again) == main(body) and cached < computed   # the second one came from the cache
    assert tile(body, "หน่วยงาน") == "๑"

    # an import of new agencies of the province (bulk inserts, no signals)
    rows = [dict(r, province="นครราชสีมา", name=f"{r['name']} {to_thai_digits(i)}")
            for i, r in enumerate(national_file.rows(2567, count=4, seed=7))]
    import_national(national_file.to_csv(rows), "national.csv", 2567)
    body, _ = fetch(client)
    assert tile(body, "หน่วยงาน") == "๕" and rows[0]["name"] in body

    # a result save: agency A's ITA changes on the page at once
    rs = ResultSet.objects.get(agency=world["a"], fiscal_year=2567)
    rs.scores = {**rs.scores, "ITA": 61.25}
    rs.save()
    body, _ = fetch(client)
    assert to_thai_digits("61.25") in body

    # an approval (a QuerySet.update, no signal): the approved tile counts it
    editor = world["users"]["editor"]
    plan = create_plan(world["a"], 2567, editor)
    body, _ = fetch(client)
    assert tile(body, "อนุมัติมาตรการปี ๒๕๖๘") == "๐"
    approve_plan(plan, plan.version, "นายกเทศมนตรี", dt.date(2024, 10, 15), editor)
    body, _ = fetch(client)
    assert tile(body, "อนุมัติมาตรการปี ๒๕๖๘") == "๑"


@pytest.mark.django_db(transaction=True)
def test_weaknesses_page_follows_a_result_save(world, login, empty_cache):
    from itadesk.web.results.models import ResultSet

    client = login(world["users"]["supervisor"])
    url = "/region/weaknesses/?year=2567"
    before, _ = fetch(client, url)
    rs = ResultSet.objects.get(agency=world["a"], fiscal_year=2567)
    rs.scores = {**rs.scores, **{code: 0.0 for code in rs.scores if code.startswith("O")}}
    rs.save()
    after, _ = fetch(client, url)
    assert after != before


def test_each_region_gets_its_own_page(world, login, django_user_model):
    from itadesk.web.agencies.models import Supervision

    korat = fetch(login(world["users"]["supervisor"]), "/")[0]
    other = django_user_model.objects.create_user("khonkaen")
    Supervision.objects.create(user=other, province="ขอนแก่น")
    khonkaen = fetch(login(other), "/")[0]
    assert world["a"].name in korat and world["b"].name not in korat
    assert world["b"].name in khonkaen and world["a"].name not in khonkaen
    root = fetch(login(world["users"]["sysadmin"]), "/")[0]
    assert world["a"].name in root and world["b"].name in root and "นำเข้าไฟล์ผลระดับประเทศ" in root
    assert "นำเข้าไฟล์ผลระดับประเทศ" not in korat


def test_an_installed_criteria_file_or_another_day_is_another_page(world, tmp_path, monkeypatch):
    """Level names and the pass mark come from the criteria files (another process may install
    one, from the command line) and overdue measures from today: neither leaves the old page."""
    from django.test import RequestFactory

    from itadesk.web.dashboard import freshness
    from tests.web.conftest import on_day

    monkeypatch.setenv("ITADESK_CRITERIA_DIR", str(tmp_path))
    request = RequestFactory().get("/?year=2567")
    request.user, request.supervisions = world["users"]["supervisor"], []
    on_day(monkeypatch, dt.date(2025, 3, 1))
    params = ("year",)
    before = freshness.page_key("home", request, params)
    assert freshness.page_key("home", request, params) == before
    (tmp_path / "ita-2567-local.yaml").write_text("x: 1\n", "utf-8")
    installed = freshness.page_key("home", request, params)
    assert installed != before
    on_day(monkeypatch, dt.date(2025, 3, 2))
    assert freshness.page_key("home", request, params) != installed


def test_parameters_the_page_does_not_read_are_not_another_cached_copy(world, login):
    client = login(world["users"]["supervisor"])
    fetch(client, "/?year=2567")
    _, queries = fetch(client, "/?year=2567&junk=1")
    assert queries <= 5   # from the cache
    _, queries = fetch(client, "/?year=2567&sort=ita")
    assert queries > 5    # a parameter it reads: its own page
