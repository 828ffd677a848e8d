"""Django admin (system administrators only, see urls.py): agencies and their people."""

from django.contrib import admin

from itadesk.web.agencies.models import Agency, AuditEntry, Department, Membership, Signatory, Supervision


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "district", "province", "website")
    list_filter = ("province", "type")
    search_fields = ("name", "district", "province")
    exclude = ("emblem",)  # uploaded and checked on the agency's profile page
    inlines = [DepartmentInline, SignatoryInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role", "department")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "agency__name")
    raw_id_fields = ("user", "agency", "department")


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ("user", "province", "district")
    search_fields = ("user__username", "province", "district")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "order")
    search_fields = ("name", "agency__name")


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ("agency", "role", "name", "position")
    search_fields = ("name", "agency__name")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited."""

    list_display = ("at", "agency", "user", "action", "summary")
    list_filter = ("action",)
    search_fields = ("summary", "agency__name", "user__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
