"""OIT self-check storage: the evidence links per item and every check run with its prediction."""

from django.conf import settings
from django.db import models

from itadesk.web.agencies.models import Agency


class EvidenceEntry(models.Model):
    """The links (at most five, validated by ``evidence.url_problem``) and a note for one O item."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oit_evidence")
    fiscal_year = models.PositiveIntegerField("ปีงบประมาณ")
    code = models.CharField("ข้อ", max_length=8)
    urls = models.JSONField("ลิงก์", default=list, blank=True)
    note = models.TextField("หมายเหตุ", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "fiscal_year", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year", "code"],
                                               name="one_evidence_entry_per_item")]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year} {self.code}"


class CheckRunRecord(models.Model):
    """One run of the checker: the CheckRun and the OitPrediction as JSON (core round-trip helpers)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oit_runs")
    fiscal_year = models.PositiveIntegerField("ปีงบประมาณ")
    started_at = models.DateTimeField("เริ่มตรวจ", db_index=True)
    finished_at = models.DateTimeField("ตรวจเสร็จ")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    run = models.JSONField(default=dict)
    prediction = models.JSONField(default=dict)
    oit = models.FloatField("OIT (คาดการณ์)", default=0.0)
    urls = models.PositiveIntegerField("จำนวนลิงก์", default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year} {self.started_at:%Y-%m-%d %H:%M}"

    def check_run(self):
        from itadesk.oit.checker import CheckRun

        return CheckRun.from_dict(self.run)

    def oit_prediction(self):
        from itadesk.oit.verdict import OitPrediction

        return OitPrediction.from_dict(self.prediction)

    def previous(self) -> "CheckRunRecord | None":
        """The run of the same agency and year just before this one."""
        earlier = CheckRunRecord.objects.filter(agency=self.agency, fiscal_year=self.fiscal_year).filter(
            models.Q(started_at__lt=self.started_at) | models.Q(started_at=self.started_at, pk__lt=self.pk))
        return earlier.order_by("-started_at", "-id").first()
