"""The national results file as a background job (web/jobs): import_national on the uploaded bytes,
its problems (nothing written) or its outcome shown on the job's page."""

from __future__ import annotations

from pathlib import Path

from itadesk.errors import InputError
from itadesk.web.dashboard.national import import_national as import_file
from itadesk.web.jobs import runner
from itadesk.web.jobs.models import Job
from itadesk.web.jobs.runner import Heartbeat, JobFailed
from itadesk.web.jobs.work import job_dir


def national_input(job: Job) -> Path:
    return job_dir(job) / "input"


def national_import(job: Job, attempt: int) -> None:
    data = national_input(job).read_bytes()
    source = job.options.get("source", "")

    def store():
        outcome = import_file(data, source, job.fiscal_year, job.requested_by,
                                  accept_new=bool(job.options.get("accept_new")))
        return {"source": source, "rows": outcome.rows, "created": outcome.created, "added": outcome.added,
                "updated": outcome.updated, "unchanged": outcome.unchanged}
    with Heartbeat(Job, job.pk, attempt, total=1) as beat:
        try:
            runner.finish(job, attempt, store, progress_done=1)
        except InputError as exc:
            raise JobFailed(f"{source}: ไฟล์มีปัญหา จึงไม่ได้นำเข้า (ไม่มีข้อมูลใดถูกบันทึก)",
                            [str(p) for p in exc.problems]) from None
        beat.step()
