from django.contrib import admin

from itadesk.web.results.models import ResultSet


@admin.register(ResultSet)
class ResultSetAdmin(admin.ModelAdmin):
    list_display = ("agency", "fiscal_year", "source", "updated_by", "updated_at")
    list_filter = ("fiscal_year",)
    search_fields = ("agency__name",)
