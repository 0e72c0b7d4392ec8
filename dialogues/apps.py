from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Local plans and dialogue material")

    def ready(self) -> None:
        from dialogues import reminders
        from ledelse.notifications.registry import register_rule

        for name, rule in reminders.RULES.items():
            register_rule(name, rule)
