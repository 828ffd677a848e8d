from django.contrib import admin

from itadesk.web.plans.models import FrozenDocument, Plan, PlanMeasure


class PlanMeasureInline(admin.StackedInline):
    model = PlanMeasure
    extra = 0
    fk_name = "plan"
    raw_id_fields = ("carried_from",)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("agency", "plan_year", "assessed_year", "status", "approved_by", "approved_at", "version")
    list_filter = ("status", "plan_year")
    search_fields = ("agency__name",)
    readonly_fields = ("frozen",)
    inlines = [PlanMeasureInline]


@admin.register(PlanMeasure)
class PlanMeasureAdmin(admin.ModelAdmin):
    list_display = ("plan", "theme", "order", "name")
    search_fields = ("name", "plan__agency__name")
    raw_id_fields = ("plan", "carried_from")


@admin.register(FrozenDocument)
class FrozenDocumentAdmin(admin.ModelAdmin):
    list_display = ("plan", "fmt", "sha256", "made_at")
    readonly_fields = ("plan", "fmt", "sha256", "made_at")
    exclude = ("data",)
