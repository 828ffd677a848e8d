"""The OIT checks as background jobs (web/jobs): one agency's register, or every agency of a region
side by side with one set of per-host limits; one stored run per agency, stored once."""

from __future__ import annotations

import time

from itadesk.thai import to_thai_digits
from itadesk.web.jobs import runner
from itadesk.web.jobs.models import Job
from itadesk.web.jobs.runner import Cancelled, Heartbeat, JobFailed, Lost
from itadesk.web.jobs.work import scope_agencies
from itadesk.web.oit.services import (
    CheckCancelled,
    CheckTarget,
    check_links,
    check_problem,
    criteria_for,
    register_for,
    store_run,
)


def _criteria(job: Job):
    criteria = criteria_for(job.fiscal_year)
    if criteria is None:
        raise JobFailed(f"ไม่มีเกณฑ์การประเมินของปีงบประมาณ {to_thai_digits(job.fiscal_year)}")
    return criteria


def _check(job: Job, attempt: int, targets, criteria):
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
        for target, run in zip(targets, runs, strict=False):
            saved = store_run(target.agency, job.requested_by, job.fiscal_year, criteria, run, seconds)
            checked.append({"agency_id": target.agency.pk, "name": target.agency.name, "run_id": saved.pk,
                            "urls": saved.urls, "oit": round(saved.oit, 2)})
        return {"agencies": checked, "skipped": skipped, "seconds": round(seconds, 1)}
    runner.finish(job, attempt, store)
