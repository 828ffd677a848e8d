"""Agencies, who belongs to them in which role, and the audit trail of their changes."""

from django.conf import settings
from django.db import models

from itadesk import agency as core
from itadesk.emblem import read_emblem
from itadesk.thai import sort_key


class Agency(models.Model):
    # Names repeat across provinces (เทศบาลตำบลบ้านใหม่): an agency is its name in its province.
    name = models.CharField("ชื่อหน่วยงาน", max_length=200)
    type = models.CharField("ประเภท", max_length=100)
    district = models.CharField("อำเภอ", max_length=100)
    province = models.CharField("จังหวัด", max_length=100, db_index=True)
    office = models.CharField("ส่วนราชการที่จัดทำเอกสาร", max_length=200, default="สำนักปลัด")
    reference = models.CharField("เลขที่หนังสือ (ที่)", max_length=100, blank=True)
    website = models.URLField("เว็บไซต์หลัก", blank=True)
    # Thai collation of the name (thai.sort_key), filled on save: the same order on every database.
    sort_key = models.CharField(max_length=1100, editable=False, db_index=True, default="")
    # ตราครุฑ or the agency's seal (PNG/JPEG checked by itadesk.emblem.read_emblem), printed on memos.
    emblem = models.BinaryField("ตราหน่วยงาน", null=True, blank=True, editable=True)

    class Meta:
        ordering = ["province", "district", "sort_key"]
        verbose_name = "หน่วยงาน"
        verbose_name_plural = "หน่วยงาน"
        constraints = [models.UniqueConstraint(fields=["name", "province"], name="one_agency_name_per_province")]
        indexes = [models.Index(fields=["province", "district"], name="agency_province_district")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.sort_key = sort_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)

    def profile(self) -> core.Agency:
        """The core package's view of this agency (for the analysis and documents)."""
        return core.Agency(
            name=self.name, type=self.type, district=self.district, province=self.province,
            office=self.office, reference=self.reference,
            departments=tuple(core.Department(d.name, tuple(d.roles)) for d in self.departments.all()),
            signatories={s.role: core.Person(s.name, s.position) for s in self.signatories.all()},
            website=self.website, emblem=self.emblem_image(),
        )

    def emblem_image(self):
        """The stored emblem as the core's Emblem (None without one)."""
        if not self.emblem:
            return None
        return read_emblem(bytes(self.emblem), "ตราหน่วยงาน")


class Department(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField("ชื่อหน่วย", max_length=200)
    roles = models.JSONField("งานที่รับผิดชอบ", default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Signatory(models.Model):
    ROLES = [
        ("preparer", "ผู้จัดทำ/ผู้รายงาน"),
        ("head_of_office", "หัวหน้าส่วนราชการ"),
        ("endorser", "ผู้เห็นชอบ (ปลัด)"),
        ("approver", "ผู้อนุมัติ (ผู้บริหารสูงสุด)"),
    ]
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="signatories")
    role = models.CharField(max_length=20, choices=ROLES)
    name = models.CharField("ชื่อ", max_length=200)
    position = models.CharField("ตำแหน่ง", max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "role"], name="one_signatory_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class Membership(models.Model):
    ADMIN, EDITOR, VIEWER = "admin", "editor", "viewer"
    ROLES = [(ADMIN, "ผู้ดูแลหน่วยงาน"), (EDITOR, "ผู้แก้ไข"), (VIEWER, "ผู้อ่าน")]
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=ROLES)
    # The unit the user works in: reminders about a measure go to the users of its responsible unit.
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="members")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="one_role_per_agency")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} ({self.get_role_display()})"


class Supervision(models.Model):
    """Read-only oversight of every agency of a province, or of one district of it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions")
    province = models.CharField("จังหวัด", max_length=100)
    district = models.CharField("อำเภอ (เว้นว่าง = ทั้งจังหวัด)", max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.user} · จังหวัด{self.province}" + (f" อำเภอ{self.district}" if self.district else "")


class AuditEntry(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="audit_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=50)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"


def record(agency: Agency, user, action: str, summary: str, **details) -> AuditEntry:
    """Write one audit line: who did what to which agency's data, and when."""
    return AuditEntry.objects.create(
        agency=agency, user=user if getattr(user, "is_authenticated", False) else None,
        action=action, summary=summary[:300], details=details,
    )
