from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcurrencyConfig(AppConfig):
    name = "ledelse.concurrency"
    label = "concurrency"
    verbose_name = _("Concurrent work")
