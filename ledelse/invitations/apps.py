from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "ledelse.invitations"
    label = "invitations"
    verbose_name = _("Calendar invitations")
    # An invitation's e-mail rows (ledelse.notifications) go when it is removed.
    notices_deleted_with_object = ("invitations.invitation",)

    def ready(self) -> None:
        self._cancel_on_delete()

    def _cancel_on_delete(self) -> None:
        """A deleted thing's invitation is cancelled in every calendar that holds it: apps
        name their dated models and the UID kind they use (`event_uid(kind=..., pk=...)`)
        in `invitations_cancelled_with_object` on their AppConfig, e.g.
        {"dialogues.activity": "plan-activity"}. On the model's post_delete (a service, a
        cascade from its plan or agreement, the admin) METHOD:CANCEL goes to everyone who
        holds it, in the delete's transaction. Nothing is sent for a thing never invited,
        nor twice."""
        from django.apps import apps
        from django.db.models.signals import post_delete

        for config in apps.get_app_configs():
            for label, kind in getattr(config, "invitations_cancelled_with_object", {}).items():
                post_delete.connect(
                    _Cancel(kind), sender=apps.get_model(label), weak=False, dispatch_uid=f"invitation-cancel-{label}"
                )


class _Cancel:
    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, sender, instance, **kwargs) -> None:
        from ledelse.invitations.ics import event_uid
        from ledelse.invitations.services import invitation_cancel

        invitation_cancel(uid=event_uid(kind=self.kind, pk=instance.pk))
