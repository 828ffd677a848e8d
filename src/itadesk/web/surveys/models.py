"""Practice IIT/EIT surveys, their anonymous answers and the one-time codes of an IIT.

Anonymity by construction: an answer row holds the survey, the day (no time), the answers and,
for a web answer, the hash of the form's one-time nonce (so a double submit stores one row).
Nothing about the person: no name, no IP address, no user agent, no code. One-time codes are
stored only as keyed hashes with a used flag; a code's row has no link to any answer and no
time, so which answer used which code cannot be told.
"""

import secrets

from django.conf import settings
from django.db import models

from itadesk.web.agencies.models import Agency


def new_token() -> str:
    return secrets.token_urlsafe(24)   # 192 random bits: the public link cannot be guessed


class Survey(models.Model):
    IIT, EIT = "IIT", "EIT"
    TOOLS = [(IIT, "IIT (ผู้มีส่วนได้ส่วนเสียภายใน)"), (EIT, "EIT (ผู้มีส่วนได้ส่วนเสียภายนอก)")]

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="surveys")
    fiscal_year = models.PositiveIntegerField("ปีงบประมาณ")
    tool = models.CharField("แบบวัด", max_length=3, choices=TOOLS)
    opens_on = models.DateField("วันเปิดรับคำตอบ")
    closes_on = models.DateField("วันปิดรับคำตอบ")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    population = models.PositiveIntegerField("จำนวนผู้มีส่วนได้ส่วนเสียทั้งหมด", null=True, blank=True)
    uses_codes = models.BooleanField("ใช้รหัสครั้งเดียว", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "tool"]
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year", "tool"],
                                               name="one_practice_survey_per_tool_and_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.tool} {self.fiscal_year}"

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class SurveyAnswer(models.Model):
    WEB, IMPORT = "web", "import"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    answered_on = models.DateField("วันที่ตอบ")
    answers = models.JSONField(default=dict)          # column key (i1, i1.2) → option index
    source = models.CharField(max_length=8, choices=[(WEB, "ตอบทางเว็บ"), (IMPORT, "นำเข้าจากไฟล์")])
    nonce_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"คำตอบที่ {self.pk} ({self.answered_on})"


class SurveyCode(models.Model):
    """One issued one-time code of an IIT survey: only its keyed hash, and whether it was used."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "รหัสที่ใช้แล้ว" if self.used else "รหัสที่ยังไม่ใช้"
