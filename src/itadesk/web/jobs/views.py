"""Job pages: an agency's job (its OIT check) and a region's jobs (the province's OIT check and its
documents as one ZIP): state, progress, the reason of a failure in Thai, retry, cancel, download.
Every page goes through agencies/access.py; starting a job only queues it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from itadesk.criteria import available_years
from itadesk.thai import to_arabic_digits
from itadesk.web.agencies.access import EDIT, VIEW, agency_view, region_covers, region_view
from itadesk.web.jobs import runner
from itadesk.web.jobs.models import DONE, RUNNING, Job

REGION_KINDS = (Job.OIT_BATCH, Job.DOCUMENTS, Job.NATIONAL)


def _page(request, job: Job, can_act: bool, back: tuple[str, str]):
    if job.state == DONE and job.kind == Job.OIT_CHECK and job.result.get("run_id"):
        return redirect("oit_run", agency_id=job.agency_id, run_id=job.result["run_id"])
    return render(request, "jobs/job.html", {
        "job": job, "can_act": can_act, "back_url": back[0], "back_text": back[1],
        "refresh": job.active, "running": job.state == RUNNING,
        "download": job.state == DONE and bool(job.result_file),
    })


# --- an agency's job ---------------------------------------------------------------------------

def _agency_job(agency, job_id: int) -> Job:
    return get_object_or_404(Job, pk=job_id, agency=agency)


@agency_view(VIEW)
@require_safe
def agency_job(request, agency, job_id: int):
    job = _agency_job(agency, job_id)
    can_act = request.agency_level in (EDIT, "admin")
    return _page(request, job, can_act, (reverse("oit", args=[agency.pk]), "ตรวจหลักฐาน OIT"))


@agency_view(EDIT)
@require_POST
def agency_job_retry(request, agency, job_id: int):
    job = _agency_job(agency, job_id)
    if runner.retry(job):
        messages.success(request, "ส่งงานเข้าคิวอีกครั้งแล้ว")
    return redirect("agency_job", agency_id=agency.pk, job_id=job.pk)


@agency_view(EDIT)
@require_POST
def agency_job_cancel(request, agency, job_id: int):
    job = _agency_job(agency, job_id)
    runner.cancel(job)
    return redirect("agency_job", agency_id=agency.pk, job_id=job.pk)


# --- a region's jobs ---------------------------------------------------------------------------

def _region_job(request, batch_id: int) -> Job:
    job = Job.objects.filter(pk=batch_id, agency__isnull=True, kind__in=REGION_KINDS).first()
    if job is None or not region_covers(request.user, job.province, job.district):
        raise Http404("ไม่พบงานนี้")
    return job


def _scopes(user) -> list[tuple[str, str, str]]:
    """(province, district, label) the user may start a region job for."""
    if user.is_superuser:
        return [("", "", "ทั้งประเทศ")]
    return [(s.province, s.district, f"อำเภอ{s.district} จังหวัด{s.province}" if s.district else f"จังหวัด{s.province}")
            for s in user.supervisions.all()]


@region_view
@require_http_methods(["GET", "POST"])
def region_jobs(request):
    scopes = _scopes(request.user)
    years = sorted(available_years(), reverse=True)
    problem = ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        scope = request.POST.get("scope", "")
        year = to_arabic_digits(request.POST.get("year", "")).strip()
        chosen = next(((p, d) for p, d, _ in scopes if f"{p}|{d}" == scope), None)
        if kind not in (Job.OIT_BATCH, Job.DOCUMENTS):
            problem = "ไม่รู้จักงานนี้ กรุณาเลือกจากแบบฟอร์มในหน้านี้"
        elif chosen is None:
            problem = "กรุณาเลือกพื้นที่ที่ท่านกำกับดูแล"
        elif not year.isdigit() or int(year) not in years:
            problem = "กรุณาเลือกปีงบประมาณที่มีเกณฑ์การประเมิน"
        else:
            job = runner.start(kind, request.user, int(year), request.POST.get("request_key", ""),
                               province=chosen[0], district=chosen[1])
            return redirect("region_job", batch_id=job.pk)
    jobs = Job.objects.filter(agency__isnull=True, kind__in=REGION_KINDS)
    if not request.user.is_superuser:
        covered = Q(pk__in=[])
        for province, district, _ in scopes:
            covered |= Q(province=province, district=district)
        jobs = jobs.filter(covered)
    return render(request, "jobs/region.html", {
        "forms": [(Job.OIT_BATCH, "ตรวจหลักฐาน OIT ทุกหน่วยงาน",
                   "เปิดทุกลิงก์หลักฐาน OIT ที่หน่วยงานกรอกไว้ของปีที่เลือก แล้วคาดการณ์คะแนน OIT รายหน่วยงาน "
                   "(เปิดเว็บไซต์เดียวกันไม่เกิน ๕ ครั้งต่อวินาที)"),
                  (Job.DOCUMENTS, "เอกสารมาตรการของทุกหน่วยงาน (ZIP)",
                   "ร่างมาตรการส่งเสริมคุณธรรมและความโปร่งใสของปีถัดไป (DOCX และ PDF) จากผลคะแนนของปีที่เลือก "
                   "หน่วยงานที่จัดทำมาตรการไว้แล้วใช้ฉบับที่หน่วยงานแก้ไข")],
        "scopes": [{"value": f"{p}|{d}", "label": label} for p, d, label in scopes],
        "years": years, "jobs": jobs.select_related("requested_by")[:30], "problem": problem,
    })


@region_view
@require_safe
def region_job(request, batch_id: int):
    job = _region_job(request, batch_id)
    return _page(request, job, True, (reverse("region_jobs"), "งานเบื้องหลังของพื้นที่"))


@region_view
@require_POST
def region_job_retry(request, batch_id: int):
    job = _region_job(request, batch_id)
    if runner.retry(job):
        messages.success(request, "ส่งงานเข้าคิวอีกครั้งแล้ว")
    return redirect("region_job", batch_id=job.pk)


@region_view
@require_POST
def region_job_cancel(request, batch_id: int):
    job = _region_job(request, batch_id)
    runner.cancel(job)
    return redirect("region_job", batch_id=job.pk)


@region_view
@require_safe
def region_job_download(request, batch_id: int):
    job = _region_job(request, batch_id)
    if job.state != DONE or not job.result_file:
        raise Http404("ยังไม่มีไฟล์ของงานนี้")
    path = Path(settings.MEDIA_ROOT) / job.result_file
    if not path.is_file():
        raise Http404("ไม่พบไฟล์ของงานนี้")
    stamp = timezone.localtime(job.finished_at).strftime("%Y%m%d-%H%M") if job.finished_at else "job"
    return FileResponse(path.open("rb"), as_attachment=True, content_type="application/zip",
                        filename=f"measures-{job.fiscal_year + 1}-{stamp}.zip")

