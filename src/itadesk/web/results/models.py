"""Official ITA scores of an agency, one set per fiscal year.

Next to the scores as given, each set keeps its summary (effective ITA, tools, level: the core's
``peers.summarize``) and one row per question and OIT item (``EntryScore``), both refreshed on
every save, so that dashboards over thousands of agencies filter, sort and count in SQL.
"""

from django.conf import settings
from django.db import models, transaction

from itadesk.peers import Summary, summarize
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
    # The summary of ``scores`` (derived, never edited): filled by save() / apply_summary().
    ita = models.FloatField("ITA", null=True, editable=False)
    iit = models.FloatField("IIT", null=True, editable=False)
    eit = models.FloatField("EIT", null=True, editable=False)
    oit = models.FloatField("OIT", null=True, editable=False)
    level = models.CharField("ระดับผลการประเมิน", max_length=20, blank=True, editable=False)
    passed = models.BooleanField("ผ่านเกณฑ์", null=True, editable=False)

    class Meta:
        ordering = ["-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_result_set_per_year")]
        indexes = [models.Index(fields=["fiscal_year", "agency"], name="resultset_year_agency")]

    SUMMARY_FIELDS = ("ita", "iit", "eit", "oit", "level", "passed")

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"

    def save(self, *args, **kwargs):
        summary = self.apply_summary()
        if kwargs.get("update_fields") is not None and "scores" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.SUMMARY_FIELDS}
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.entry_scores.all().delete()
            EntryScore.objects.bulk_create(entry_rows(self, summary))

    def as_results(self) -> Results:
        return Results(self.fiscal_year, {k: float(v) for k, v in self.scores.items()}, self.source,
                       {k: int(v) for k, v in (self.question_indicators or {}).items()})

    def apply_summary(self) -> Summary:
        """Fill the summary columns from the scores; returns the summary (with its entries)."""
        summary = summarize(self.as_results())
        self.ita, self.level, self.passed = summary.ita, summary.level, summary.passed
        self.iit, self.eit, self.oit = (summary.tools.get(t) for t in ("IIT", "EIT", "OIT"))
        return summary


def entry_rows(result_set: ResultSet, summary: Summary) -> list["EntryScore"]:
    return [EntryScore(result_set=result_set, code=code, score=value, is_oit_item=code.startswith("O"))
            for code, value in summary.entries.items()]


class EntryScore(models.Model):
    """One question's or OIT item's score of a result set (a copy of ``ResultSet.scores``)."""

    result_set = models.ForeignKey(ResultSet, on_delete=models.CASCADE, related_name="entry_scores")
    code = models.CharField(max_length=8)
    score = models.FloatField()
    is_oit_item = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["result_set", "code"], name="one_entry_score_per_code")]

    def __str__(self) -> str:
        return f"{self.code} = {self.score:g}"
