from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatusConfig(AppConfig):
    """The implementation status for koncernledelse and each person's "Mit overblik". It reads
    the plans (and LUS) through their selectors; the organisation core imports neither."""

    name = "ledelse.status"
    label = "status"
    verbose_name = _("Implementation status")
