"""A province supervisor, in chromium, against gunicorn and a real Celery worker (Redis): starts the
province's OIT check and its document batch, watches them progress, opens the verdicts and
downloads the ZIP with every agency's DOCX and PDF. Screenshots at desktop size and at 390 px."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.test_oit_support import EvidenceSite
from tests.web.serve import running_server
from tests.web.worker import Worker, ensure_redis, worker_env

from .conftest import DESKTOP, PASSWORD, PHONE

pytestmark = pytest.mark.browser
PROVINCE = "นครราชสีมา"
AGENCIES = ("เทศบาลตำบลหนึ่ง", "เทศบาลตำบลสอง", "องค์การบริหารส่วนตำบลสาม")


@pytest.fixture
def live(tmp_path, browser):
    ensure_redis()
    with EvidenceSite(slow_seconds=1.0) as site, running_server(tmp_path) as server:
        server.env.update(worker_env(tmp_path))
        server.python(f"""
import json
from pathlib import Path
from django.contrib.auth import get_user_model
from itadesk.agency import load_agency
from itadesk.results import load_results
from itadesk.web.agencies.models import Supervision
from itadesk.web.agencies.services import upsert_agency
from itadesk.web.oit.models import EvidenceEntry
from itadesk.web.results.models import ResultSet
profile = load_agency(Path("demo/agency.yaml"))
scores = load_results(Path("tests/data/seed000-2567.csv")).scores
for n, name in enumerate({list(AGENCIES)!r}):
    agency = upsert_agency(profile.__class__(**{{**profile.__dict__, "name": name, "province": "{PROVINCE}"}}))
    agency.website = "{site.base}"
    agency.save()
    ResultSet.objects.create(agency=agency, fiscal_year=2567, scores=scores, source="seed000")
    EvidenceEntry.objects.create(agency=agency, fiscal_year=2568, code="O1", urls=["{site.url('/good.html')}"])
    EvidenceEntry.objects.create(agency=agency, fiscal_year=2568, code="O3", urls=["{site.url('/slow')}?" + str(n)])
user = get_user_model().objects.create_user("province", password="{PASSWORD}")
Supervision.objects.create(user=user, province="{PROVINCE}")
print(json.dumps({{}}))
""")
        server.start(workers=2)
        worker = Worker(server.env, tmp_path / "worker.log", concurrency=2).start()
        try:
            yield server
        finally:
            worker.stop()


def serve_static(context) -> None:
    """gunicorn serves no static files (nginx does in production): the browser gets them from the
    source tree, as nginx would from collectstatic's folder."""
    import fontpkg_sarabun

    from .conftest import ROOT

    def answer(route):
        name = route.request.url.split("/static/itadesk/", 1)[1].split("?")[0]
        for folder in (ROOT / "src/itadesk/web/static/itadesk", fontpkg_sarabun.ROOT / "files"):
            if (folder / name).is_file():
                return route.fulfill(path=str(folder / name))
        return route.fulfill(status=404)
    context.route("**/static/itadesk/**", answer)


def test_supervisor_checks_the_provinces_oit_and_downloads_its_documents(live, desktop, shots):
    serve_static(desktop)
    page = desktop.new_page()
    page.goto(f"{live.url}/login/")
    page.fill("input[name=username]", "province")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("[data-testid=region-jobs-link]")

    # The province's OIT check: queued or running with its progress, then the verdicts per agency.
    oit = page.locator("[data-testid=start-oit_batch]")
    oit.locator("select[name=year]").select_option("2568")
    oit.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=job]")
    assert page.locator("[data-testid=job]").get_attribute("data-state") in ("queued", "running", "done")
    page.screenshot(path=str(shots / "jobs-oit-progress-desktop.png"), full_page=True)
    page.wait_for_selector("[data-testid=batch-results]", timeout=60_000)
    table = page.locator("[data-testid=batch-results]").inner_text()
    assert all(name in table for name in AGENCIES)
    page.screenshot(path=str(shots / "jobs-oit-done-desktop.png"), full_page=True)

    # The document batch: every agency's DOCX and PDF in one ZIP.
    page.goto(f"{live.url}/region/jobs/")
    docs = page.locator("[data-testid=start-documents]")
    docs.locator("select[name=year]").select_option("2567")
    docs.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=job]")
    seen = page.locator("[data-testid=job]").get_attribute("data-state")
    assert seen in ("queued", "running", "done")
    if seen != "done":
        page.wait_for_selector("[data-testid=job-progress]", timeout=60_000)
        page.screenshot(path=str(shots / "jobs-documents-progress-desktop.png"), full_page=True)
    page.wait_for_selector("[data-testid=job-download]", timeout=120_000)
    assert "๓ หน่วยงาน" in page.locator("[data-testid=documents-summary]").inner_text()
    page.screenshot(path=str(shots / "jobs-documents-done-desktop.png"), full_page=True)
    with page.expect_download() as got:
        page.click("[data-testid=job-download]")
    data = open(got.value.path(), "rb").read()
    names = sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert names == sorted(f"มาตรการ-2568/{PROVINCE}/{name}.{fmt}" for name in AGENCIES for fmt in ("docx", "pdf"))

    # At 390 px: the job page and the region's job list fit the phone.
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "jobs-documents-done-phone.png"), full_page=True)
    page.goto(f"{live.url}/region/jobs/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "jobs-region-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    print(f"\nscreenshots: {shots}")
