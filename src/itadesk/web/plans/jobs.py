"""A region's measures documents as one ZIP (a background job, web/jobs): the agencies are cut into
parts that any worker takes; each part writes its agencies' DOCX and PDF to the job's folder (an
agency already written is skipped, so a part delivered twice costs nothing); the last part done
builds the ZIP."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from itadesk.documents import write_files
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.models import Agency
from itadesk.web.jobs import runner
from itadesk.web.jobs.models import DONE, RUNNING, Job, JobPart
from itadesk.web.jobs.runner import Cancelled, Heartbeat, JobFailed, Lost
from itadesk.web.jobs.work import job_dir, scope_agencies
from itadesk.web.plans.services import draft_documents

NO_RESULTS = "ยังไม่มีผลคะแนน.txt"


def documents_fanout(job: Job, attempt: int) -> None:
    """Split the region's agencies into parts that any worker takes; the last part done zips."""
    ids = list(scope_agencies(job).values_list("pk", flat=True))
    if not ids:
        raise JobFailed("ไม่มีหน่วยงานในขอบเขตนี้")
    size = max(1, settings.JOBS_DOCUMENTS_PER_PART)
    with transaction.atomic():
        if not Job.objects.select_for_update().filter(pk=job.pk, state=RUNNING, attempts=attempt).exists():
            raise Lost()
        have = set(JobPart.objects.filter(job=job).values_list("index", flat=True))
        JobPart.objects.bulk_create([JobPart(job=job, index=n, agencies=ids[start:start + size])
                                     for n, start in enumerate(range(0, len(ids), size)) if n not in have])
        Job.objects.filter(pk=job.pk).update(progress_total=len(ids))
    job_dir(job).joinpath("parts").mkdir(parents=True, exist_ok=True)
    todo = list(JobPart.objects.filter(job=job).exclude(state=DONE).values_list("pk", flat=True))
    # Sent before the stage says "parts": a worker that dies in between leaves the job claimable,
    # and the next claim sends them again (a part is done once whatever is delivered twice).
    for pk in todo:
        runner.dispatch_part(pk)
    Job.objects.filter(pk=job.pk, state=RUNNING, attempts=attempt, stage="").update(stage="parts")
    if not JobPart.objects.filter(job=job).exclude(state=DONE).exists() and \
            Job.objects.filter(pk=job.pk, state=RUNNING, stage="parts").update(stage="zip"):
        runner.dispatch_zip(job.pk)


def documents_part(job: Job, part: JobPart, attempt: int) -> None:
    folder = job_dir(job) / "parts"
    with Heartbeat(JobPart, part.pk, attempt) as beat:
        for agency_id in part.agencies:
            if beat.should_stop():
                break
            stem = str(agency_id)
            if not (folder / f"{stem}.pdf").exists() and not (folder / f"{stem}.none").exists():
                agency = Agency.objects.filter(pk=agency_id).first()
                files = draft_documents(agency, job.fiscal_year) if agency else None
                write_files(files if files is not None else {"none": b""}, folder, stem)
            beat.step()
    if beat.lost:
        raise Lost()
    if beat.cancelled:
        raise Cancelled()
    if runner.part_done(part, attempt):
        runner.dispatch_zip(job.pk)


def _safe_name(name: str) -> str:
    return "".join("-" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name).strip() or "หน่วยงาน"


def documents_zip(job_id: int) -> None:
    """The ZIP of the parts' files, written under a temporary name and renamed; then done."""
    job = Job.objects.filter(pk=job_id, state=RUNNING, stage="zip").first()
    if job is None:
        return
    folder = job_dir(job)
    parts = folder / "parts"
    plan_year = job.fiscal_year + 1
    root = f"มาตรการ-{plan_year}"
    ids = [pk for part in JobPart.objects.filter(job=job).order_by("index") for pk in part.agencies]
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    with_documents, without = 0, []
    fd, tmp = tempfile.mkstemp(prefix=".result.", suffix=".zip.part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
            for pk in ids:
                agency = agencies.get(pk)
                if agency is None:
                    continue
                if (parts / f"{pk}.none").exists():
                    without.append(agency.name)
                    continue
                where = f"{root}/{_safe_name(agency.province)}/{_safe_name(agency.name)}"
                for fmt in ("docx", "pdf"):
                    archive.write(parts / f"{pk}.{fmt}", f"{where}.{fmt}")
                with_documents += 1
            if without:
                archive.writestr(f"{root}/{NO_RESULTS}",
                                 f"หน่วยงานที่ยังไม่มีผลคะแนนปีงบประมาณ {to_thai_digits(job.fiscal_year)} จึงยังไม่มีเอกสาร:\n"
                                 + "\n".join(without) + "\n")
        name = f"measures-{plan_year}-{job.pk}.zip"
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    Job.objects.filter(pk=job.pk, state=RUNNING, stage="zip").update(
        state=DONE, finished_at=timezone.now(), lease_until=None, progress_done=len(ids),
        result_file=f"jobs/{job.pk}/{name}", result={"agencies": with_documents, "without_results": without})
