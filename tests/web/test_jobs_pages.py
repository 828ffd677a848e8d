"""The region's job pages in process (jobs run inline here; test_jobs_worker.py runs them in a real
worker): a supervisor starts the province's document batch and gets one ZIP with every agency's
DOCX and PDF; the same form posted twice is one job; a bad start says why in Thai."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.web.test_reminders import plan_world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_supervisor_gets_the_provinces_documents_as_one_zip(world, login):
    from itadesk.web.jobs.models import Job

    a = world["a"]
    supervisor = login(world["users"]["supervisor"])
    page = supervisor.get("/region/jobs/")
    assert page.status_code == 200 and f"จังหวัด{a.province}" in page.content.decode()
    form = {"kind": "documents", "scope": f"{a.province}|", "year": "2567", "request_key": "k1"}
    answer = supervisor.post("/region/jobs/", form)
    assert answer.status_code == 302
    again = supervisor.post("/region/jobs/", form)            # the same form posted twice: one job
    assert again["Location"] == answer["Location"] and Job.objects.count() == 1
    job = Job.objects.get()
    assert job.state == "done" and job.province == a.province
    body = supervisor.get(answer["Location"]).content.decode()
    assert "ดาวน์โหลดไฟล์ ZIP" in body and "๑ หน่วยงาน" in body
    download = supervisor.get(f"/region/jobs/{job.pk}/download/")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert names == [f"มาตรการ-2568/{a.province}/{a.name}.docx", f"มาตรการ-2568/{a.province}/{a.name}.pdf"]
    assert world["b"].name not in " ".join(names)             # B is in another province


def test_a_bad_start_says_why_and_starts_nothing(world, login):
    from itadesk.web.jobs.models import Job

    supervisor = login(world["users"]["supervisor"])
    other = f"{world['b'].province}|"                           # not the supervisor's province
    page = supervisor.post("/region/jobs/", {"kind": "documents", "scope": other, "year": "2567"})
    assert page.status_code == 200 and "กรุณาเลือกพื้นที่ที่ท่านกำกับดูแล" in page.content.decode()
    page = supervisor.post("/region/jobs/", {"kind": "documents", "scope": f"{world['a'].province}|", "year": "2400"})
    assert "กรุณาเลือกปีงบประมาณที่มีเกณฑ์การประเมิน" in page.content.decode()
    assert not Job.objects.exists()


def test_an_oit_batch_with_nothing_to_check_fails_in_thai_with_a_retry(world, login):
    supervisor = login(world["users"]["supervisor"])
    answer = supervisor.post("/region/jobs/", {"kind": "oit_batch", "scope": f"{world['a'].province}|",
                                               "year": "2568", "request_key": "k2"})
    body = supervisor.get(answer["Location"]).content.decode()
    assert "ไม่สำเร็จ" in body and "ไม่มีหน่วยงานใดในขอบเขตนี้ที่มีลิงก์หลักฐาน OIT ของปีงบประมาณ ๒๕๖๘ ให้ตรวจ" in body
    assert "ลองใหม่" in body


def test_a_job_is_claimed_once_and_only_the_live_claim_stores_its_result(world):
    """The database claim behind "done once" (the real-worker test kills a worker; this is each rule)."""
    import datetime as dt

    from django.utils import timezone

    from itadesk.web.jobs import runner
    from itadesk.web.jobs.models import Job

    job = Job.objects.create(kind=Job.OIT_CHECK, agency=world["a"], fiscal_year=2568)
    assert runner.claim(Job, job.pk) == 1
    with pytest.raises(runner.Busy):                 # delivered again while the first worker is alive
        runner.claim(Job, job.pk)
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert runner.claim(Job, job.pk) == 2            # its worker died: taken over
    with pytest.raises(runner.Lost):                 # the overtaken worker writes nothing
        runner.finish(job, 1, store=lambda: pytest.fail("stored by a lost claim"))
    assert runner.finish(job, 2, store=lambda: {"run_id": 7})
    job.refresh_from_db()
    assert job.state == "done" and job.result == {"run_id": 7}
    assert runner.claim(Job, job.pk) is None         # a late copy finds it done
    Job.objects.filter(pk=job.pk).update(state="running", attempts=3, lease_until=None)
    assert runner.claim(Job, job.pk) is None         # a job that kept killing its workers: failed
    job.refresh_from_db()
    assert job.state == "failed" and "ทำไม่สำเร็จหลังพยายาม ๓ ครั้ง" in job.message


def test_beat_sends_the_daily_reminders_through_the_command(plan_world, monkeypatch, mailoutbox):
    """The beat schedule names the reminders task; the task is the command, once a day."""
    import datetime as dt

    from django.conf import settings

    from itadesk.web.jobs.tasks import send_reminders
    from itadesk.web.progress.models import ReminderSent
    from itadesk.web.worker import app
    from tests.web.conftest import on_day

    entry = settings.CELERY_BEAT_SCHEDULE["reminders"]
    assert entry["task"] in app.tasks and (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {30})
    on_day(monkeypatch, dt.date(2025, 3, 25))          # test_reminders.py's plan: six items due that day
    send_reminders.run()
    sent, mails = ReminderSent.objects.count(), len(mailoutbox)
    assert sent == 6 and mails >= 1
    send_reminders.run()                              # the same day again: nothing more
    assert ReminderSent.objects.count() == sent and len(mailoutbox) == mails
