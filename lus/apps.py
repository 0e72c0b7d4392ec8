from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LusConfig(AppConfig):
    name = "lus"
    verbose_name = _("LUS")
    # The audit log keeps the entries about a LUS as long as the LUS (ledelse.audit).
    audit_kept_with_object = ("lus.conversation",)
    # A notice about a LUS goes when the LUS is deleted (ledelse.notifications).
    notices_deleted_with_object = ("lus.conversation",)
    # A deleted booking or follow-up talk is cancelled in the calendars (ledelse.invitations).
    invitations_cancelled_with_object = {"lus.conversation": "lus", "lus.followup": "lus-followup"}
    # The menu shows LUS only to those the LUS pages have something for (ledelse.context_processors).
    navigation_shown_to = {"lus:overview": "lus.access.uses_lus"}

    def ready(self) -> None:
        from ledelse.notifications.registry import register_rule
        from lus import reminders

        for name, rule in reminders.RULES.items():
            register_rule(name, rule)
