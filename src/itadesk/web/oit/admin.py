from django.contrib import admin

from itadesk.web.oit.models import CheckRunRecord, EvidenceEntry


@admin.register(EvidenceEntry)
class EvidenceEntryAdmin(admin.ModelAdmin):
    list_display = ("agency", "fiscal_year", "code", "updated_at")
    list_filter = ("fiscal_year",)
    search_fields = ("agency__name", "code")


@admin.register(CheckRunRecord)
class CheckRunRecordAdmin(admin.ModelAdmin):
    list_display = ("agency", "fiscal_year", "started_at", "oit", "urls")
    search_fields = ("agency__name",)
