from django.contrib import admin
from django.http import HttpRequest

from ledelse.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: administrators look, nobody adds, changes or deletes here."""

    list_display = ["time", "actor_label", "action", "object_type", "object_id", "detail"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_id"]
    date_hierarchy = "time"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser
