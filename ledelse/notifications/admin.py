"""Reminders in the admin: a failed one (after its retries) shows with its error, filtered by
state, and can be sent again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ledelse.notifications import services
from ledelse.notifications.models import NotificationSettings, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("kind", "recipient", "due_on", "state", "attempts", "created_at", "sent_at", "read_at")
    list_filter = ("state", "kind", "due_on")
    search_fields = ("recipient__username", "recipient__email", "kind", "title")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    readonly_fields = [f.name for f in Reminder._meta.fields if f.name != "id"]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send the selected failed reminders again"))
    def send_again(self, request, queryset) -> None:
        count = services.reminders_resend(reminder_ids=queryset.values_list("id", flat=True))
        self.message_user(
            request,
            ngettext("%d reminder will be sent again.", "%d reminders will be sent again.", count) % count,
            messages.SUCCESS,
        )


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "delivery")
    list_filter = ("delivery",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
