"""Long work done off the request (OIT checks, province batches, the national import): one Job
row per request, its state, progress and result kept in the database, run by Celery workers
(runner.py, tasks.py). A province's document batch is split into JobParts that workers on any
number of machines take in parallel."""

from django.conf import settings
from django.db import models

from itadesk.web.agencies.models import Agency

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
STATES = [(QUEUED, "รอคิว"), (RUNNING, "กำลังทำ"), (DONE, "เสร็จแล้ว"), (FAILED, "ไม่สำเร็จ"),
          (CANCELLED, "ยกเลิกแล้ว")]
ACTIVE = (QUEUED, RUNNING)


class Job(models.Model):
    OIT_CHECK, OIT_BATCH, DOCUMENTS, NATIONAL = "oit_check", "oit_batch", "documents", "national_import"
    KINDS = [(OIT_CHECK, "ตรวจหลักฐาน OIT"), (OIT_BATCH, "ตรวจหลักฐาน OIT ทุกหน่วยงาน"),
             (DOCUMENTS, "เอกสารมาตรการของทุกหน่วยงาน (ZIP)"), (NATIONAL, "นำเข้าผลระดับประเทศ")]

    kind = models.CharField("งาน", max_length=20, choices=KINDS)
    # Scope: one agency (its OIT check) or a region (province, optionally one district; both empty:
    # the whole country, for system administrators).
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs")
    province = models.CharField("จังหวัด", max_length=100, blank=True)
    district = models.CharField("อำเภอ", max_length=100, blank=True)
    fiscal_year = models.PositiveIntegerField("ปีงบประมาณ")
    options = models.JSONField(default=dict, blank=True)   # e.g. the national file's name, accept_new
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="jobs")
    # The start form's one-time key: posting the same form twice gives the same job.
    request_key = models.CharField(max_length=64, blank=True)
    state = models.CharField("สถานะ", max_length=10, choices=STATES, default=QUEUED, db_index=True)
    stage = models.CharField(max_length=10, blank=True)   # documents: "parts" while parts run, then "zip"
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.TextField("เหตุที่ไม่สำเร็จ", blank=True)     # Thai, shown to the user
    problems = models.JSONField(default=list, blank=True)    # Thai, one line each (a file's problems)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.CharField(max_length=300, blank=True)   # under MEDIA_ROOT
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)    # a running claim is alive until then
    cancel_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField("สั่งเมื่อ", auto_now_add=True)
    started_at = models.DateTimeField("เริ่มเมื่อ", null=True, blank=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["requested_by", "request_key"],
                                               condition=~models.Q(request_key=""), name="one_job_per_request")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    def scope_text(self) -> str:
        if self.agency_id:
            return self.agency.name
        if self.district:
            return f"อำเภอ{self.district} จังหวัด{self.province}"
        return f"จังหวัด{self.province}" if self.province else "ทั้งประเทศ"


class JobPart(models.Model):
    """A slice of a document batch: some agencies' documents, taken by one worker at a time."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    agencies = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=STATES, default=QUEUED)
    done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="one_part_per_index")]

    def __str__(self) -> str:
        return f"{self.job} ส่วนที่ {self.index + 1}"
