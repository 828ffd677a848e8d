"""Official ITA scores of an agency, one set per fiscal year."""

from django.conf import settings
from django.db import models

from itadesk.results import Results
from itadesk.web.agencies.models import Agency


class ResultSet(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="result_sets")
    fiscal_year = models.PositiveIntegerField("ปีงบประมาณ")
    scores = models.JSONField("คะแนน", default=dict)  # canonical code -> score, as given
    # For a year whose question list is unknown: the indicator the file gave each question (i1 -> 1).
    question_indicators = models.JSONField("ตัวชี้วัดของข้อคำถาม", default=dict, blank=True)
    source = models.CharField("ที่มา", max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_result_set_per_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"

    def as_results(self) -> Results:
        return Results(self.fiscal_year, {k: float(v) for k, v in self.scores.items()}, self.source,
                       {k: int(v) for k, v in (self.question_indicators or {}).items()})
