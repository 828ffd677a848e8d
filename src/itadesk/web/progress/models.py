"""Progress of an approved plan: reporting rounds, what was reported per measure and round,
evidence files, and the reminders already sent (so a daily cron does not repeat them)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from itadesk.progress import CANCELLED, DONE, IN_PROGRESS, NOT_STARTED, PROGRESS_LABEL, MeasureProgress, ReportingRound
from itadesk.thai import fiscal_year_bounds
from itadesk.web.plans.models import MemoChoice, Plan, PlanMeasure

STATUS_CHOICES = [(code, PROGRESS_LABEL[code]) for code in (NOT_STARTED, IN_PROGRESS, DONE, CANCELLED)]


class Round(MemoChoice):
    """A reporting round of a plan: ends ``months`` after 1 October of the plan's fiscal year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    months = models.PositiveSmallIntegerField("รอบ (เดือน)")
    name = models.CharField("ชื่อรอบ", max_length=100)
    ends_on = models.DateField("สิ้นสุดรอบ")
    added_by_agency = models.BooleanField(default=False)  # False: a round of the year's criteria
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["months"]
        constraints = [models.UniqueConstraint(fields=["plan", "months"], name="one_round_per_month_count")]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def as_core(self) -> ReportingRound:
        start, _ = fiscal_year_bounds(self.plan.plan_year)
        return ReportingRound(self.name, self.months, start, self.ends_on)


class MeasureReport(models.Model):
    """What the agency reported for one measure in one round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reports")
    measure = models.ForeignKey(PlanMeasure, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField("สถานะ", max_length=20, choices=STATUS_CHOICES, default=NOT_STARTED)
    done = models.TextField("ผลการดำเนินการ", blank=True)
    output = models.TextField("ผลผลิต", blank=True)
    outcome = models.TextField("ผลลัพธ์/ผลสัมฤทธิ์", blank=True)
    problems = models.TextField("ปัญหาอุปสรรค", blank=True)
    suggestions = models.TextField("ข้อเสนอแนะ", blank=True)
    reason = models.TextField("เหตุผลที่ยกเลิก", blank=True)
    links = models.JSONField("ลิงก์หลักฐาน", default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "measure"], name="one_report_per_measure_round")]

    def __str__(self) -> str:
        return f"{self.measure} · {self.round}"

    def as_core(self, measure_key: str) -> MeasureProgress:
        """The core package's view: evidence is the links, files the uploaded files' names."""
        return MeasureProgress(
            measure_key, self.round.months, self.status, done=self.done, output=self.output, outcome=self.outcome,
            problems=self.problems, suggestions=self.suggestions, reason=self.reason, evidence=list(self.links),
            files=[f.name for f in self.files.all()],
        )


def _evidence_path(instance: EvidenceFile, filename: str) -> str:
    """A random stored name: the uploader's file name is kept in the database only."""
    plan = instance.report.round.plan
    return f"evidence/{plan.agency_id}/{plan.plan_year}/{uuid.uuid4().hex}.{instance.kind}"


class EvidenceFile(models.Model):
    """An uploaded file (PDF, image or DOCX), stored outside the static/media URL space and
    served only through an access-checked view."""

    report = models.ForeignKey(MeasureReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_evidence_path, max_length=300)
    name = models.CharField("ชื่อไฟล์", max_length=255)
    kind = models.CharField(max_length=10)  # the detected type: pdf, png, jpg, docx
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


@receiver(post_delete, sender=EvidenceFile)
def _remove_stored_file(sender, instance: EvidenceFile, **kwargs) -> None:
    """A deleted row, by itself or with its report, round, plan or agency, takes its stored file
    with it once the transaction commits (a rolled-back delete keeps both)."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class ReminderSent(models.Model):
    """One reminder e-mailed: (kind, measure, round, recipient, day)."""

    ROUND_CLOSING, OVERDUE = "round_closing", "overdue"
    KINDS = [(ROUND_CLOSING, "ใกล้สิ้นรอบรายงาน"), (OVERDUE, "เกินกำหนด")]
    kind = models.CharField(max_length=20, choices=KINDS)
    measure = models.ForeignKey(PlanMeasure, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.EmailField()
    sent_on = models.DateField(db_index=True)

    class Meta:
        ordering = ["-sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on} → {self.recipient}"
