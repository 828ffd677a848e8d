"""Jobs in a real Celery worker (not in-process, not eager): gunicorn serves the pages, a `celery
worker` subprocess takes the jobs from Redis, both on one database (a SQLite file, or PostgreSQL
with DATABASE_URL), the checked links on a local evidence website.

- An OIT check started from the page is done by the worker; the page follows it and shows the verdicts.
- The worker SIGKILLed mid-check (master and pool) and started again: the job is done exactly once
  (one stored run, the second attempt), neither twice nor lost (acks_late + the claim in the database).
- A job that fails in the worker shows why in Thai with a retry button; retried, it is done.
- A running check cancelled from its page stops within a second or two and stores nothing.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.test_oit_support import EvidenceSite
from tests.web.serve import csrf, running_server, session_client
from tests.web.worker import Worker, ensure_redis, worker_env

FY = 2568
PASSWORD = "worker-test-2567"
SLOW_LINKS = 10


@pytest.fixture(scope="module")
def site():
    with EvidenceSite(slow_seconds=1.5) as s:
        yield s


@pytest.fixture(scope="module")
def server(tmp_path_factory, site):
    ensure_redis()
    data_dir = tmp_path_factory.mktemp("jobs-live")
    with running_server(data_dir) as live:
        live.env.update(worker_env(data_dir))
        ids = live.python(f"""
import json
from pathlib import Path
from django.contrib.auth import get_user_model
from itadesk.agency import load_agency
from itadesk.web.agencies.models import Membership
from itadesk.web.agencies.services import upsert_agency
agency = upsert_agency(load_agency(Path("demo/agency.yaml")))
agency.website = "{site.base}"
agency.save()
user = get_user_model().objects.create_user("editor", password="{PASSWORD}")
Membership.objects.create(user=user, agency=agency, role="editor")
print(json.dumps({{"agency": agency.pk}}))
""")
        live.agency_id = ids["agency"]
        live.start(workers=2)
        yield live


@pytest.fixture
def worker(server, tmp_path):
    started = []

    def start(concurrency: int = 1) -> Worker:
        w = Worker(server.env, tmp_path / "worker.log", concurrency).start()
        started.append(w)
        return w
    yield start
    for w in started:
        w.stop()


def set_links(server, links: dict[str, list[str]]) -> None:
    server.python(f"""
import json
from itadesk.web.oit.models import EvidenceEntry
EvidenceEntry.objects.filter(fiscal_year={FY}).delete()
for code, urls in json.loads({json.dumps(json.dumps(links))}).items():
    EvidenceEntry.objects.create(agency_id={server.agency_id}, fiscal_year={FY}, code=code, urls=urls)
print(json.dumps({{}}))
""")


def start_check(client, server) -> str:
    """Press "ตรวจสอบ" on the agency's OIT page: the answer is the job's page, at once."""
    began = time.monotonic()
    answer = client.post(f"/agencies/{server.agency_id}/oit/{FY}/check/",
                         data={"csrfmiddlewaretoken": csrf(client), "request_key": str(time.time_ns())})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["location"], answer.text[:300]
    assert time.monotonic() - began < 5, "the request waited for the check"
    return answer.headers["location"]


def job_state(client, job_url: str) -> tuple[str, int, str]:
    """(state shown, links done, page) of the job page; state "done" once it sends us to the run."""
    page = client.get(job_url)
    if page.status_code == 302:
        return "done", -1, client.get(page.headers["location"]).text
    assert page.status_code == 200, page.text[:300]
    state = re.search(r'data-state="(\w+)"', page.text)[1]
    done = re.search(r'data-testid="job-progress">(\S+) จาก', page.text)
    from itadesk.thai import to_arabic_digits
    return state, int(to_arabic_digits(done[1])) if done else 0, page.text


def wait_for(client, job_url: str, until, seconds: float = 40.0, workers=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = job_state(client, job_url)
        if until(state):
            return state
        time.sleep(0.2)
    logs = "\n".join(w.output()[-3000:] for w in workers)
    raise AssertionError(f"job still {state[0]} ({state[1]} links) after {seconds} s\n{logs}")


def stored(server) -> dict:
    return server.python("""
import json
from itadesk.web.jobs.models import Job
from itadesk.web.oit.models import CheckRunRecord
print(json.dumps({"runs": CheckRunRecord.objects.count(),
                  "jobs": list(Job.objects.order_by("pk").values("pk", "state", "attempts", "result"))}))
""")


def test_a_check_started_from_the_page_finishes_in_the_worker_and_the_page_shows_verdicts(server, site, worker):
    set_links(server, {"O1": [site.url("/good.html")], "O3": [site.url("/missing")]})
    client = session_client(server, "editor", PASSWORD)
    before = stored(server)["runs"]
    job_url = start_check(client, server)
    state, _, page = job_state(client, job_url)
    assert state in ("queued", "running") and "หน้านี้จะปรับเองทุก" in page   # no worker yet: queued
    w = worker()
    state, _, run_page = wait_for(client, job_url, lambda s: s[0] == "done", workers=[w])
    assert "ผลการตรวจหลักฐาน OIT" in run_page or "OIT (คาดการณ์)" in run_page
    assert "O1" in run_page and "O3" in run_page
    assert "ผ่าน" in run_page and "ไม่ผ่าน" in run_page and "404" in run_page
    assert stored(server)["runs"] == before + 1
    assert any(p.startswith("/good.html") for p, _, _ in site.requests)


def test_a_worker_killed_mid_check_and_started_again_does_the_job_exactly_once(server, site, worker):
    set_links(server, {f"O{n}": [site.url(f"/slow?{n}")] for n in range(1, SLOW_LINKS + 1)})
    client = session_client(server, "editor", PASSWORD)
    runs_before = stored(server)["runs"]
    first = worker()
    job_url = start_check(client, server)
    state, done, _ = wait_for(client, job_url, lambda s: s[0] == "running" and 0 < s[1] < SLOW_LINKS,
                              workers=[first])
    first.kill()                                        # SIGKILL, master and pool, mid-check
    assert job_state(client, job_url)[0] == "running"   # nobody finished it
    second = worker()
    state, _, run_page = wait_for(client, job_url, lambda s: s[0] == "done", seconds=60, workers=[first, second])
    assert "O10" in run_page
    time.sleep(3)   # a copy delivered again by the broker would run now: it must find the job done
    after = stored(server)
    job = after["jobs"][-1]
    assert after["runs"] == runs_before + 1, "the killed job was stored twice (or not at all)"
    assert job["state"] == "done" and job["attempts"] == 2 and job["result"]["urls"] == SLOW_LINKS


def test_a_failed_job_says_why_in_thai_and_a_retry_does_it(server, site, worker):
    set_links(server, {"O1": [site.url("/good.html")]})
    client = session_client(server, "editor", PASSWORD)
    job_url = start_check(client, server)     # queued: no worker runs yet
    server.python(f"""
import json
from itadesk.web.agencies.models import Agency
Agency.objects.filter(pk={server.agency_id}).update(website="")
print(json.dumps({{}}))
""")
    w = worker()
    state, _, page = wait_for(client, job_url, lambda s: s[0] == "failed", workers=[w])
    assert "ไม่สำเร็จ" in page and "ยังไม่ได้ระบุเว็บไซต์หลักของหน่วยงาน จึงตรวจไม่ได้" in page
    assert 'data-testid="job-retry"' in page and "ลองใหม่" in page
    assert "Traceback" not in page and "Error" not in page
    server.python(f"""
import json
from itadesk.web.agencies.models import Agency
Agency.objects.filter(pk={server.agency_id}).update(website="{site.base}")
print(json.dumps({{}}))
""")
    retry_url = job_url + "retry/"
    answer = client.post(retry_url, data={"csrfmiddlewaretoken": csrf(client)})
    assert answer.status_code == 302
    state, _, run_page = wait_for(client, job_url, lambda s: s[0] == "done", workers=[w])
    assert "O1" in run_page and "ผ่าน" in run_page


def test_a_running_check_cancelled_from_its_page_stops_and_stores_nothing(server, site, worker):
    set_links(server, {f"O{n}": [site.url(f"/slow?c{n}")] for n in range(1, SLOW_LINKS + 1)})
    client = session_client(server, "editor", PASSWORD)
    runs_before = stored(server)["runs"]
    w = worker()
    job_url = start_check(client, server)
    wait_for(client, job_url, lambda s: s[0] == "running", workers=[w])
    assert client.post(job_url + "cancel/", data={"csrfmiddlewaretoken": csrf(client)}).status_code == 302
    began = time.monotonic()
    state, _, page = wait_for(client, job_url, lambda s: s[0] == "cancelled", seconds=15, workers=[w])
    assert time.monotonic() - began < 6 and "ยกเลิกแล้ว" in page and "ลองใหม่" in page
    assert stored(server)["runs"] == runs_before
