"""Celery tasks: thin wrappers around runner.py (which claims the job in the database, so a task
delivered twice, or again after its worker was killed, does the work once)."""

from celery import shared_task

from itadesk.web.jobs import runner

# acks_late: the message is acknowledged after the task ends, so a worker killed mid-job leaves
# it to be delivered again; reject_on_worker_lost: a pool process that dies puts it back at once.
OPTIONS = {"bind": True, "acks_late": True, "reject_on_worker_lost": True, "max_retries": None}


@shared_task(name="itadesk.jobs.run", **OPTIONS)
def run_job(self, job_id: int) -> None:
    try:
        runner.execute(job_id)
    except runner.Busy as busy:   # another worker holds a live claim: look again once it may have run out
        raise self.retry(countdown=busy.seconds) from busy
    except runner.Lost:
        pass


@shared_task(name="itadesk.jobs.part", **OPTIONS)
def run_part(self, part_id: int) -> None:
    try:
        runner.execute_part(part_id)
    except runner.Busy as busy:
        raise self.retry(countdown=busy.seconds) from busy
    except runner.Lost:
        pass


@shared_task(name="itadesk.jobs.zip", **OPTIONS)
def zip_documents(self, job_id: int) -> None:
    from itadesk.web.jobs.work import DOCUMENTS_ZIP, handler

    handler(DOCUMENTS_ZIP)(job_id)


@shared_task(name="itadesk.reminders", acks_late=True)
def send_reminders() -> None:
    """The daily reminders (Celery beat, CELERY_BEAT_SCHEDULE), the same as `manage.py send_reminders`:
    every reminder sent is logged, so a second run the same day sends nothing."""
    from django.core.management import call_command

    call_command("send_reminders")
