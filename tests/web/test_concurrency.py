"""Several editors at once against a real server (gunicorn, 3 worker processes, one database):
saving one plan (through the API and through the editor page) and uploading results (page and
API) together gets 2xx/3xx/409, never 500, and nothing is lost.

Runs on the SQLite file of a temp DATA_DIR (the embedded default), and on PostgreSQL when
DATABASE_URL points there (scripts/test.sh reruns tests/web that way).
"""

from __future__ import annotations

import threading
from collections import Counter
from html.parser import HTMLParser

import httpx

from .serve import ROOT, csrf, running_server, session_client

EDITORS = 6
ROUNDS = 6
PASSWORD = "concurrent-2567-pass"

SETUP = f"""
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from itadesk.agency import load_agency
from itadesk.results import load_results
from itadesk.web.agencies.models import Membership
from itadesk.web.agencies.services import upsert_agency
from itadesk.web.plans.services import create_plan
from itadesk.web.results.models import ResultSet
agency = upsert_agency(load_agency("{ROOT}/demo/agency.yaml"))
results = load_results("{ROOT}/tests/data/seed000-2567.csv")
ResultSet.objects.create(agency=agency, fiscal_year=2567, scores=results.scores, source="seed000")
tokens = []
for i in range({EDITORS}):
    user = get_user_model().objects.create_user(f"editor{{i}}", password="{PASSWORD}")
    Membership.objects.create(user=user, agency=agency, role=Membership.EDITOR)
    tokens.append(Token.objects.create(user=user).key)
plan = create_plan(agency, 2567, user)
print(json.dumps({{"agency": agency.pk, "plan_year": plan.plan_year, "version": plan.version, "tokens": tokens}}))
"""

COUNTS = """
import json
from django.db import connection
from itadesk.web.agencies.models import AuditEntry
from itadesk.web.plans.models import Plan
plan = Plan.objects.get(agency_id={agency}, plan_year={plan_year})
names = sorted(plan.measures.values_list("name", flat=True))
audit = {{a: AuditEntry.objects.filter(agency_id={agency}, action=a).count() for a in ("plan.edited", "results.saved", "results.replaced")}}
check = None
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        check = cursor.execute("PRAGMA integrity_check").fetchone()[0]
print(json.dumps({{"version": plan.version, "names": names, "audit": audit, "integrity": check}}))
"""


def _plan_saver(url, token, agency, plan_year, me, codes, saved, errors):
    client = httpx.Client(base_url=url, timeout=120, headers={"Authorization": f"Token {token}"})
    api = f"/api/agencies/{agency}/plans/{plan_year}/"
    for k in range(ROUNDS):
        try:
            plan = client.get(api)
            codes.append(plan.status_code)
            body = plan.json()
            measures = [{key: m[key] for key in ("id", "theme", "name", "steps", "responsible", "period", "monitoring")}
                        for m in body["measures"]]
            name = f"มาตรการของ {me} รอบ {k}"
            measures[0]["name"] = name
            answer = client.put(api, json={"version": body["version"], "measures": measures})
            codes.append(answer.status_code)
            if answer.status_code == 200:
                saved.append(name)
        except Exception as exc:  # noqa: BLE001 - a dropped connection is a failure to report
            errors.append(repr(exc))


class _FormFields(HTMLParser):
    """The values a browser would submit from the page's POST form (outside <template>)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = self._in_template = False
        self._textarea = self._select = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post" and "data-progress" in a:
            self._in_form = True
        elif tag == "template":
            self._in_template = True
        if not self._in_form or self._in_template or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "template":
            self._in_template = False
        elif tag == "form":
            self._in_form = False


def _page_plan_saver(server, username, agency, plan_year, me, codes, saved, errors):
    """An editor on the plan editor page: open it, rename the first measure, save."""
    try:
        client = session_client(server, username, PASSWORD)
        url = f"/agencies/{agency}/plans/{plan_year}/edit/"
        for k in range(ROUNDS):
            page = client.get(url)
            codes.append(page.status_code)
            form = _FormFields()
            form.feed(page.text)
            name = f"มาตรการจากหน้าเว็บของ {me} รอบ {k}"
            fields = [(key, name if key == "form-0-name" else value) for key, value in form.fields]
            assert ("form-0-name", name) in fields and any(key == "version" for key, _ in fields)
            answer = client.post(url, data=dict(fields))
            codes.append(answer.status_code)
            if answer.status_code == 302:
                saved.append(name)
    except Exception as exc:  # noqa: BLE001
        errors.append(repr(exc))


def _results_uploader(server, username, token, agency, me, codes, uploads, errors):
    try:
        page = session_client(server, username, PASSWORD)
        api = httpx.Client(base_url=server.url, timeout=120, headers={"Authorization": f"Token {token}"})
        data = (ROOT / "demo" / "results-2567.yaml").read_bytes()
        scores = api.get(f"/api/agencies/{agency}/results/2567/").json()["scores"]
        for k in range(ROUNDS):
            answer = page.post(f"/agencies/{agency}/results/upload/",
                               data={"csrfmiddlewaretoken": csrf(page), "fiscal_year": "2567"},
                               files={"file": ("results-2567.yaml", data, "application/x-yaml")})
            codes.append(answer.status_code)
            if answer.status_code == 200:   # the scores a plan uses: asked first, then confirmed
                answer = page.post(f"/agencies/{agency}/results/upload/",
                                   data={"csrfmiddlewaretoken": csrf(page), "confirm": "1"})
                codes.append(answer.status_code)
            uploads.append(answer.status_code == 302)
            answer = api.put(f"/api/agencies/{agency}/results/2567/",
                             json={"scores": scores, "source": f"{me}-{k}", "confirm": True})
            codes.append(answer.status_code)
            uploads.append(answer.status_code == 200)
    except Exception as exc:  # noqa: BLE001
        errors.append(repr(exc))


def test_editors_saving_one_plan_and_uploading_together_never_get_500(tmp_path):
    with running_server(tmp_path, workers=3) as server:
        world = server.python(SETUP)
        server.start(workers=3)
        codes: list[int] = []
        saved: list[str] = []
        uploads: list[bool] = []
        errors: list[str] = []
        threads = []
        for i, token in enumerate(world["tokens"]):
            if i % 3 == 0:
                target = threading.Thread(target=_plan_saver, args=(
                    server.url, token, world["agency"], world["plan_year"], f"editor{i}", codes, saved, errors))
            elif i % 3 == 1:
                target = threading.Thread(target=_page_plan_saver, args=(
                    server, f"editor{i}", world["agency"], world["plan_year"], f"editor{i}", codes, saved, errors))
            else:
                target = threading.Thread(target=_results_uploader, args=(
                    server, f"editor{i}", token, world["agency"], f"editor{i}", codes, uploads, errors))
            threads.append(target)
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        after = server.python(COUNTS.format(agency=world["agency"], plan_year=world["plan_year"]))
        log = server.server_errors()

    assert not errors, errors
    tally = Counter(codes)
    assert set(tally) <= {200, 201, 302, 409}, (tally, log[-3000:])
    assert "database is locked" not in log
    # Every save that answered 200 is one version and one audit line; the last one is what is stored.
    page_saves = [name for name in saved if "หน้าเว็บ" in name]
    assert page_saves and len(page_saves) < len(saved), (tally, saved)    # both the page and the API saved
    print(f"answers {dict(tally)}; plan saves: {len(page_saves)} page, {len(saved) - len(page_saves)} API")
    assert after["version"] == world["version"] + len(saved)
    assert after["audit"]["plan.edited"] == len(saved)
    assert any(name in after["names"] for name in saved)
    # Every upload that answered 302 (page) or 200 (API) wrote one audit line.
    saved_results = after["audit"]["results.saved"] + after["audit"]["results.replaced"]   # a replacement is audited as such
    assert saved_results == sum(uploads) and sum(uploads) == len(uploads)
    assert after["integrity"] in (None, "ok")


def test_migrate_alone_makes_the_cache_tables(tmp_path):
    """Every save renews the dashboard's data version in its database cache: a site set up with
    ``migrate`` only (no ``createcachetable``) must already have the tables, or no save would work."""
    from .serve import Server, _database

    with _database(tmp_path) as database_url:
        server = Server(tmp_path, database_url)
        server.manage("migrate", "--no-input", "-v", "0")
        assert "CREATE TABLE" not in server.manage("createcachetable", "--dry-run")   # nothing left to make
        saved = server.python(
            "import json\n"
            "from itadesk.agency import load_agency\n"
            "from itadesk.web.agencies.services import upsert_agency\n"
            f"agency = upsert_agency(load_agency({str(ROOT / 'demo' / 'agency.yaml')!r}))\n"
            "print(json.dumps({'pk': agency.pk}))\n")
        assert saved["pk"]
