from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LusConfig(AppConfig):
    name = "lus"
    verbose_name = _("LUS")
