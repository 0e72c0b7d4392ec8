from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Local plans and dialogue material")
    # A notice about one of these goes when it is deleted (ledelse.notifications).
    notices_deleted_with_object = (
        "dialogues.rollout",
        "dialogues.plan",
        "dialogues.activity",
        "dialogues.hearing",
        "dialogues.hearingcomment",
    )
    # A deleted activity (also with its plan) is cancelled in the calendars (ledelse.invitations).
    invitations_cancelled_with_object = {"dialogues.activity": "plan-activity"}

    def ready(self) -> None:
        from dialogues import reminders
        from ledelse.notifications.registry import register_rule

        for name, rule in reminders.RULES.items():
            register_rule(name, rule)

        from dialogues import pdf
        from ledelse.documents.registry import register_document

        for name, builder in pdf.DOCUMENT_KINDS.items():
            register_document(name, builder)

        from dialogues import access
        from ledelse.access import register_person_fact

        register_person_fact(access.REACHES_OUTSIDE_REGION, access.reaches_outside_region_sql)

        from dialogues import tasks
        from values.signals import version_published

        version_published.connect(tasks.material_warm_on_publish, dispatch_uid="dialogues.material_warm_on_publish")
