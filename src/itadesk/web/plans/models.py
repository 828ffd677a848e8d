"""Measures plans: generated from the analysis, then edited and approved by the agency."""

from django.conf import settings
from django.db import models

from itadesk.plan import MeasuresPlan, PlannedMeasure, Target
from itadesk.web.agencies.models import Agency


class MemoChoice(models.Model):
    """The memo's ที่ (after the agency's prefix) and date as the office chose them; empty: dots
    to write in by hand, and the date the document was fixed (approved, locked) or its default."""

    memo_number = models.CharField("เลขที่บันทึกข้อความ", max_length=40, blank=True)
    memo_date = models.DateField("วันที่ของบันทึกข้อความ", null=True, blank=True)

    class Meta:
        abstract = True


class Plan(MemoChoice):
    DRAFT, APPROVED = "draft", "approved"
    STATUSES = [(DRAFT, "ร่าง"), (APPROVED, "อนุมัติแล้ว")]
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="plans")
    plan_year = models.PositiveIntegerField("ปีงบประมาณของมาตรการ")
    assessed_year = models.PositiveIntegerField("ปีงบประมาณของผลการประเมิน")
    status = models.CharField(max_length=10, choices=STATUSES, default=DRAFT)
    approved_by = models.CharField("ผู้อนุมัติ", max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: every save bumps it; a form posted with an older one is a conflict.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)
    # What the approved documents are made from, taken at approval (scores of the assessed and the
    # previous year, the agency profile with its emblem); empty for a draft. See plans/frozen.py.
    frozen = models.JSONField("ข้อมูล ณ วันอนุมัติ", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-plan_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "plan_year"], name="one_plan_per_year")]

    def __str__(self) -> str:
        return f"มาตรการ {self.plan_year} {self.agency}"

    def as_core_plan(self) -> MeasuresPlan:
        return MeasuresPlan(
            assessed_year=self.assessed_year,
            plan_year=self.plan_year,
            measures=[m.as_core() for m in self.measures.all()],
        )


class PlanMeasure(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveIntegerField(default=0)
    theme = models.PositiveIntegerField("ประเด็นที่")
    measure_id = models.CharField(max_length=100, blank=True)  # knowledge-base id, empty if added by hand
    name = models.TextField("มาตรการ/โครงการ/กิจกรรม")
    steps = models.JSONField("ขั้นตอน/วิธีปฏิบัติ", default=list)
    responsible = models.TextField("ผู้รับผิดชอบ")
    period = models.CharField("ระยะเวลาดำเนินการ", max_length=200)
    monitoring = models.TextField("การติดตามประเมินผล")
    targets = models.JSONField("ประเด็น (ข้อที่ตอบ)", default=list)  # [{code, name, score, status}]
    # When the measure should be finished; empty = the end of the plan's fiscal year.
    due_on = models.DateField("กำหนดแล้วเสร็จ", null=True, blank=True)
    # The unfinished measure of last year's plan this one continues (its progress is its history).
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="carried_into")

    class Meta:
        ordering = ["theme", "order", "id"]

    def __str__(self) -> str:
        return f"ประเด็นที่ {self.theme}: {self.name[:80]}"

    def as_core(self) -> PlannedMeasure:
        return PlannedMeasure(
            measure_id=self.measure_id, theme=self.theme, name=self.name, steps=list(self.steps),
            responsible=self.responsible, period=self.period, monitoring=self.monitoring,
            targets=[Target.from_json(t) for t in self.targets],
        )


class FrozenDocument(models.Model):
    """A document of an approved plan exactly as first downloaded after approval; removed on reopening."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="frozen_documents")
    fmt = models.CharField(max_length=10)
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "fmt"], name="one_frozen_document_per_format")]
        verbose_name = "เอกสารมาตรการที่อนุมัติแล้ว"
        verbose_name_plural = "เอกสารมาตรการที่อนุมัติแล้ว"

    def __str__(self) -> str:
        return f"{self.plan} ({self.fmt.upper()})"
