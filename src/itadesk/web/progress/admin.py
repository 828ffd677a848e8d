from django.contrib import admin

from itadesk.web.progress.models import EvidenceFile, MeasureReport, ReminderSent, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("plan", "months", "name", "ends_on", "locked_at")
    search_fields = ("plan__agency__name",)


@admin.register(MeasureReport)
class MeasureReportAdmin(admin.ModelAdmin):
    list_display = ("round", "measure", "status", "updated_at")
    list_filter = ("status",)
    raw_id_fields = ("round", "measure")


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ("name", "report", "sha256")
    raw_id_fields = ("report",)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("__str__",)
