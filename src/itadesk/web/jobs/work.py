"""What each kind of job does: thin wrappers that call the apps' own services (the OIT checker of
web/oit, the plans' documents, the national import of web/dashboard) and store the result once."""

from __future__ import annotations

import os
import tempfile
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from itadesk.documents import write_files
from itadesk.errors import InputError
from itadesk.thai import to_thai_digits
from itadesk.web.agencies.models import Agency
from itadesk.web.jobs import runner
from itadesk.web.jobs.models import DONE, RUNNING, Job, JobPart
from itadesk.web.jobs.runner import Cancelled, Heartbeat, JobFailed, Lost

NO_RESULTS = "ยังไม่มีผลคะแนน.txt"


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


def _criteria(job: Job):
    from itadesk.web.oit.services import criteria_for

    criteria = criteria_for(job.fiscal_year)
    if criteria is None:
        raise JobFailed(f"ไม่มีเกณฑ์การประเมินของปีงบประมาณ {to_thai_digits(job.fiscal_year)}")
    return criteria


# --- OIT checks --------------------------------------------------------------------------------

def _check(job: Job, attempt: int, targets, criteria):
    from itadesk.web.oit.services import CheckCancelled, check_links

    with Heartbeat(Job, job.pk, attempt, total=sum(t.urls for t in targets)) as beat:
        try:
            runs = check_links(targets, criteria, beat.step, beat.should_stop)
        except CheckCancelled:
            runs = None
    if beat.lost:
        raise Lost()
    if runs is None or beat.cancelled:
        raise Cancelled()
    return runs


def oit_check(job: Job, attempt: int) -> None:
    from itadesk.web.oit.services import CheckTarget, check_problem, register_for, store_run

    criteria = _criteria(job)
    problem = check_problem(job.agency, job.fiscal_year)
    if problem:
        raise JobFailed(problem)
    target = CheckTarget(job.agency, register_for(job.agency, job.fiscal_year, criteria))
    started = time.perf_counter()
    (run,) = _check(job, attempt, [target], criteria)

    def store():
        saved = store_run(job.agency, job.requested_by, job.fiscal_year, criteria, run, time.perf_counter() - started)
        return {"run_id": saved.pk, "urls": saved.urls, "oit": saved.oit}
    runner.finish(job, attempt, store)


def oit_batch(job: Job, attempt: int) -> None:
    """Every agency of the region with links for the year, side by side, politeness per host kept
    across the whole batch (one set of host gates); one stored run per agency."""
    from itadesk.web.oit.services import CheckTarget, check_problem, register_for, store_run

    criteria = _criteria(job)
    targets, skipped = [], []
    for agency in scope_agencies(job):
        problem = check_problem(agency, job.fiscal_year)
        if problem:
            skipped.append({"name": agency.name, "reason": problem})
        else:
            targets.append(CheckTarget(agency, register_for(agency, job.fiscal_year, criteria)))
    if not targets:
        raise JobFailed(f"ไม่มีหน่วยงานใดในขอบเขตนี้ที่มีลิงก์หลักฐาน OIT ของปีงบประมาณ {to_thai_digits(job.fiscal_year)} ให้ตรวจ")
    started = time.perf_counter()
    runs = _check(job, attempt, targets, criteria)

    def store():
        seconds = time.perf_counter() - started
        checked = []
        for target, run in zip(targets, runs):
            saved = store_run(target.agency, job.requested_by, job.fiscal_year, criteria, run, seconds)
            checked.append({"agency_id": target.agency.pk, "name": target.agency.name, "run_id": saved.pk,
                            "urls": saved.urls, "oit": round(saved.oit, 2)})
        return {"agencies": checked, "skipped": skipped, "seconds": round(seconds, 1)}
    runner.finish(job, attempt, store)


# --- The province's documents as one ZIP ------------------------------------------------------

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
    from itadesk.web.plans.services import draft_documents

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


# --- The national results file -----------------------------------------------------------------

def national_input(job: Job) -> Path:
    return job_dir(job) / "input"


def national_import(job: Job, attempt: int) -> None:
    from itadesk.web.dashboard.national import import_national

    data = national_input(job).read_bytes()
    source = job.options.get("source", "")

    def store():
        outcome = import_national(data, source, job.fiscal_year, job.requested_by,
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


HANDLERS = {Job.OIT_CHECK: oit_check, Job.OIT_BATCH: oit_batch, Job.DOCUMENTS: documents_fanout,
            Job.NATIONAL: national_import}
