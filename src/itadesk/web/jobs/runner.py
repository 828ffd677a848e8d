"""How a job runs, whoever runs it (a Celery worker, or a thread of the web process without a broker).

Exactly once: a worker *claims* a job (or a part of one) in the database before working, with a
conditional update under a row lock: a queued job, or a running one whose lease has run out (its
worker died). The lease is renewed every few seconds while the work goes on (``Heartbeat``). The
result is written in one transaction with the state ``done``, and only by the claim that still
holds the job (its attempt number), so a message delivered twice, a worker killed mid-job and
restarted, or a slow worker overtaken after its lease ran out, all end with the result stored once.
A delivery that finds the job running under a live lease is ``Busy``: the task retries later (never
dropped: if that worker dies, the job is taken over once the lease runs out).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from itadesk.thai import to_thai_digits
from itadesk.web.jobs.models import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job, JobPart

log = logging.getLogger("itadesk.jobs")

UNEXPECTED = ("เกิดข้อผิดพลาดที่ไม่คาดคิดระหว่างทำงาน (รายละเอียดบันทึกไว้ในล็อกของระบบแล้ว) "
              "กด \"ลองใหม่\" ได้ หากยังไม่สำเร็จแจ้งผู้ดูแลระบบ")
TOO_LONG = "งานใช้เวลานานเกินกำหนด ({minutes} นาที) จึงหยุดไว้ กด \"ลองใหม่\" ได้"
GAVE_UP = "ทำไม่สำเร็จหลังพยายาม {attempts} ครั้ง (เครื่องที่ทำงานหยุดกลางคัน) กด \"ลองใหม่\" ได้"


def lease_seconds() -> float:
    return float(settings.JOBS_LEASE_SECONDS)


class Busy(Exception):
    """Another worker holds a live claim; try again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = max(1.0, seconds)


class Lost(Exception):
    """This claim no longer holds the job (overtaken after its lease ran out): write nothing."""


class Cancelled(Exception):
    """The user cancelled the job."""


class JobFailed(Exception):
    """A failure to show the user: a Thai message and, for a file, its problems."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def claim(model, pk: int, **extra) -> int | None:
    """Take the row (a Job or JobPart) for this worker: its new attempt number, or None when there
    is nothing to do (done, failed, cancelled, gone). Raises Busy under another live claim."""
    now = timezone.now()
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk, **extra).first()
        if row is None or row.state not in (QUEUED, RUNNING):
            return None
        if row.state == RUNNING and row.lease_until and row.lease_until > now:
            raise Busy((row.lease_until - now).total_seconds())
        if row.attempts >= settings.JOBS_MAX_ATTEMPTS:
            job = row if isinstance(row, Job) else row.job
            _fail(job, GAVE_UP.format(attempts=to_thai_digits(row.attempts)))
            if not isinstance(row, Job):
                model.objects.filter(pk=pk).update(state=FAILED)
            return None
        fields = {"state": RUNNING, "attempts": row.attempts + 1,
                  "lease_until": now + dt.timedelta(seconds=lease_seconds())}
        if isinstance(row, Job) and row.started_at is None:
            fields["started_at"] = now
        model.objects.filter(pk=pk).update(**fields)
        return row.attempts + 1


def _fail(job: Job, message: str, problems: list[str] | None = None, attempt: int | None = None) -> bool:
    match = Job.objects.filter(pk=job.pk, state__in=(QUEUED, RUNNING))
    if attempt is not None:
        match = match.filter(attempts=attempt)
    return bool(match.update(state=FAILED, message=message, problems=problems or [], finished_at=timezone.now(),
                             lease_until=None, stage=""))


@dataclass
class Heartbeat:
    """While the work goes on: renews the lease, writes the progress, reads the cancel request.

    The work calls ``step()`` after each unit (thread-safe enough: an int under the GIL, read by the
    beat thread); a thread of its own writes to the database every few seconds, so progress costs
    the work nothing and works from inside an event loop."""

    model: type
    pk: int
    attempt: int
    total: int = 0
    done: int = 0
    cancelled: bool = False
    lost: bool = False

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"itadesk-job-beat-{self.pk}", daemon=True)

    def step(self, n: int = 1) -> None:
        self.done += n

    def should_stop(self) -> bool:
        return self.cancelled or self.lost

    def __enter__(self) -> Heartbeat:
        self.beat()
        if settings.JOBS_MODE != "inline":   # inline (page tests): one connection, beats at the ends only
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if not self.lost:
            self.beat()

    def _run(self) -> None:
        interval = max(0.5, lease_seconds() / 4)
        try:
            while not self._stop.wait(interval):
                self.beat()
        finally:
            connection.close()

    def beat(self) -> None:
        now = timezone.now()
        fields = {"lease_until": now + dt.timedelta(seconds=lease_seconds())}
        if self.model is Job:
            fields.update(progress_done=self.done, progress_total=self.total)
        else:
            fields["done"] = self.done
        if not self.model.objects.filter(pk=self.pk, state=RUNNING, attempts=self.attempt).update(**fields):
            self.lost = True
            return
        if self.model is JobPart:
            part = JobPart.objects.select_related("job").get(pk=self.pk)
            self.cancelled = part.job.cancel_requested or part.job.state != RUNNING
            total = JobPart.objects.filter(job_id=part.job_id).aggregate(n=Sum("done"))["n"] or 0
            Job.objects.filter(pk=part.job_id, state=RUNNING).update(progress_done=total)
        else:
            self.cancelled = Job.objects.filter(pk=self.pk, cancel_requested=True).exists()


def finish(job: Job, attempt: int, store=None, **fields) -> bool:
    """Mark the job done, after ``store()`` (the result's rows), in one transaction, if this claim
    still holds it; otherwise nothing is written (Lost)."""
    with transaction.atomic():
        current = Job.objects.select_for_update().filter(pk=job.pk, state=RUNNING, attempts=attempt).first()
        if current is None:
            raise Lost()
        if store is not None:
            fields.setdefault("result", store())
        Job.objects.filter(pk=job.pk).update(state=DONE, finished_at=timezone.now(), lease_until=None,
                                             message="", problems=[], **fields)
    return True


def cancel_now(job: Job) -> None:
    Job.objects.filter(pk=job.pk, state__in=(QUEUED, RUNNING)).update(
        state=CANCELLED, finished_at=timezone.now(), lease_until=None, stage="")


def _minutes_limit() -> int:
    return int(settings.CELERY_TASK_SOFT_TIME_LIMIT // 60)


def _guarded(job: Job, attempt: int, work) -> None:
    """Run ``work``; turn what it raises into the job's state."""
    try:
        work()
    except (Busy, Lost):
        raise
    except Cancelled:
        cancel_now(job)
    except JobFailed as failed:
        _fail(job, failed.message, failed.problems, attempt)
    except Exception as exc:
        if type(exc).__name__ == "SoftTimeLimitExceeded":
            _fail(job, TOO_LONG.format(minutes=to_thai_digits(_minutes_limit())), attempt=attempt)
            return
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, UNEXPECTED, attempt=attempt)


def _drop_stale_connections() -> None:
    """A worker's connection may have died between tasks: drop it, as Django does per request.
    Never inside a transaction (an inline job in a page test): closing would end the test's."""
    if not connection.in_atomic_block:
        close_old_connections()


def execute(job_id: int) -> None:
    """The whole of a job's task: claim, work, result. Busy propagates (the task retries)."""
    from itadesk.web.jobs.work import HANDLERS, handler

    _drop_stale_connections()
    attempt = claim(Job, job_id, stage="")
    if attempt is None:
        return
    job = Job.objects.select_related("agency", "requested_by").get(pk=job_id)
    _guarded(job, attempt, lambda: handler(HANDLERS[job.kind])(job, attempt))


def execute_part(part_id: int) -> None:
    from itadesk.web.jobs.work import DOCUMENTS_PART, handler

    _drop_stale_connections()
    part = JobPart.objects.select_related("job").filter(pk=part_id).first()
    if part is None or part.job.state != RUNNING:
        return
    attempt = claim(JobPart, part_id)
    if attempt is None:
        return
    job = part.job

    def work():
        try:
            handler(DOCUMENTS_PART)(job, part, attempt)
        except Exception:
            JobPart.objects.filter(pk=part.pk, attempts=attempt).update(state=FAILED)
            raise
    _guarded(job, job.attempts, work)


def part_done(part: JobPart, attempt: int) -> bool:
    """Mark the part done; True for the one call that saw the last part finish (it zips)."""
    with transaction.atomic():
        if not JobPart.objects.filter(pk=part.pk, state=RUNNING, attempts=attempt).update(state=DONE, lease_until=None):
            raise Lost()
        if JobPart.objects.filter(job_id=part.job_id).exclude(state=DONE).exists():
            return False
        return bool(Job.objects.filter(pk=part.job_id, state=RUNNING, stage="parts").update(stage="zip"))


# --- Starting, retrying, cancelling (the pages) ----------------------------------------------

def start(kind: str, user, fiscal_year: int, request_key: str = "", agency=None, province: str = "",
          district: str = "", options: dict | None = None, files: dict[str, bytes] | None = None) -> Job:
    """The job for this request: the same one for the same form posted twice, or the one of the same
    kind and scope still queued or running; otherwise a new job, sent to the workers on commit.
    ``files`` (an upload to work on) go to the job's folder before it is sent."""
    key = (request_key or "")[:64]
    with transaction.atomic():
        if key:
            same = Job.objects.filter(requested_by=user, request_key=key).first()
            if same is not None:
                return same
        running = Job.objects.filter(kind=kind, agency=agency, province=province, district=district,
                                     fiscal_year=fiscal_year, state__in=(QUEUED, RUNNING)).first()
        if running is not None and kind != Job.NATIONAL:
            return running
        job = Job.objects.create(kind=kind, agency=agency, province=province, district=district,
                                 fiscal_year=fiscal_year, requested_by=user, request_key=key, options=options or {})
        if files:
            from itadesk.web.jobs.work import job_dir

            folder = job_dir(job)
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (folder / name).write_bytes(data)
        dispatch(job.pk)
    return job


def retry(job: Job) -> bool:
    """A failed or cancelled job back in the queue (parts already done are kept)."""
    with transaction.atomic():
        if not Job.objects.filter(pk=job.pk, state__in=(FAILED, CANCELLED)).update(
                state=QUEUED, stage="", message="", problems=[], attempts=0, cancel_requested=False,
                finished_at=None, lease_until=None):
            return False
        JobPart.objects.filter(job=job).exclude(state=DONE).update(state=QUEUED, attempts=0, lease_until=None)
        dispatch(job.pk)
    return True


def cancel(job: Job) -> None:
    """Queued: cancelled at once. Running: the work stops at its next step."""
    with transaction.atomic():
        if Job.objects.filter(pk=job.pk, state=QUEUED).update(state=CANCELLED, finished_at=timezone.now()):
            return
        Job.objects.filter(pk=job.pk, state=RUNNING).update(cancel_requested=True)


# --- Sending work to whoever runs it -----------------------------------------------------------

def _in_thread(target, *args) -> None:
    def run():
        try:
            target(*args)
        finally:
            connection.close()
    threading.Thread(target=run, name="itadesk-job", daemon=True).start()


def dispatch(job_id: int) -> None:
    """To Celery (JOBS_MODE "celery", a broker configured), or without a broker to a thread of this
    process once the transaction commits ("thread"; a bare checkout still works), or run right away
    ("inline": the in-process page tests; the real-worker tests use Celery)."""
    mode = settings.JOBS_MODE
    if mode == "inline":
        execute(job_id)
    elif mode == "thread":
        transaction.on_commit(lambda: _in_thread(execute, job_id))
    else:
        from itadesk.web.jobs.tasks import run_job

        transaction.on_commit(lambda: run_job.delay(job_id))


def dispatch_part(part_id: int) -> None:
    mode = settings.JOBS_MODE
    if mode in ("inline", "thread"):
        execute_part(part_id)     # already off the request: the job's own thread
    else:
        from itadesk.web.jobs.tasks import run_part

        transaction.on_commit(lambda: run_part.delay(part_id))


def dispatch_zip(job_id: int) -> None:
    mode = settings.JOBS_MODE
    if mode in ("inline", "thread"):
        from itadesk.web.jobs.work import DOCUMENTS_ZIP, handler

        handler(DOCUMENTS_ZIP)(job_id)
    else:
        from itadesk.web.jobs.tasks import zip_documents

        transaction.on_commit(lambda: zip_documents.delay(job_id))

