from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedelseConfig(AppConfig):
    name = "ledelse"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from ledelse import checks  # noqa: F401  (registers the system checks)
