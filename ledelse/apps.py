from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedelseConfig(AppConfig):
    name = "ledelse"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from ledelse import checks  # noqa: F401  (registers the system checks)
        from ledelse.middleware import session_start

        user_logged_in.connect(session_start, dispatch_uid="ledelse.session_start")
