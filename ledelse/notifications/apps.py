from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ledelse.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from ledelse.notifications import checks  # noqa: F401  (registers the system checks)

        self._follow_deletes()

    def _follow_deletes(self) -> None:
        """A notice goes with its thing: apps name the models their notices are about in
        `notices_deleted_with_object` on their AppConfig ("app_label.model"); a delete of
        one (also by a cascade, a queryset or the admin) deletes its notices in the same
        transaction. A signal because a notice's target is a generic reference, which no
        foreign key cascades."""
        from django.apps import apps
        from django.db.models.signals import post_delete

        for config in apps.get_app_configs():
            for label in getattr(config, "notices_deleted_with_object", ()):
                model = apps.get_model(label)
                post_delete.connect(_remove_notices, sender=model, dispatch_uid=f"notices-deleted-with-{label}")


def _remove_notices(sender, instance, **kwargs) -> None:
    from ledelse.notifications.services import notifications_remove_for_objects

    notifications_remove_for_objects(objects=[instance])
