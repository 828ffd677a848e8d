"""What jobs share, whatever their kind: the job's folder, the agencies of a region job, and which
function does each kind. The work itself lives with the app that owns it (oit/jobs.py,
plans/jobs.py, dashboard/jobs.py), so the apps import the jobs machinery and never the reverse."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from itadesk.web.agencies.models import Agency
from itadesk.web.jobs.models import Job

# kind -> the function doing it, (job, attempt) -> None; looked up when a job runs.
HANDLERS = {
    Job.OIT_CHECK: "itadesk.web.oit.jobs.oit_check",
    Job.OIT_BATCH: "itadesk.web.oit.jobs.oit_batch",
    Job.DOCUMENTS: "itadesk.web.plans.jobs.documents_fanout",
    Job.NATIONAL: "itadesk.web.dashboard.jobs.national_import",
}
DOCUMENTS_PART = "itadesk.web.plans.jobs.documents_part"
DOCUMENTS_ZIP = "itadesk.web.plans.jobs.documents_zip"


def handler(name: str):
    return import_string(name)


def job_dir(job: Job) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk)


def scope_agencies(job: Job):
    """The agencies a region job covers (its province / district; neither: the whole country)."""
    agencies = Agency.objects.all()
    if job.province:
        agencies = agencies.filter(province=job.province)
    if job.district:
        agencies = agencies.filter(district=job.district)
    return agencies.order_by("sort_key", "pk")
