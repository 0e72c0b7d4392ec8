"""The frameworks' kinds, statuses and item kinds: the one list of each.

The models use them as their fields' choices, the data files' reader checks files against
them, and the tests take them from here. No models in this module, so it imports without
Django being set up (the data-file tests run without it, and so does migration 0006's
reading of the files).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkKind(models.TextChoices):
    VAERDIGRUNDLAG = "vaerdigrundlag", _("Value framework")
    LEDELSESGRUNDLAG = "ledelsesgrundlag", _("Leadership framework")
    PERSONALEPOLITIK = "personalepolitik", _("Personnel policy")
    STYRINGSGRUNDLAG = "styringsgrundlag", _("Governance framework")
    VIDENSMATERIALE = "vidensmateriale", _("Knowledge material")


class VersionStatus(models.TextChoices):
    KLADDE = "kladde", _("Draft")
    UDGIVET = "udgivet", _("Published")
    ARKIVERET = "arkiveret", _("Archived")


class ItemKind(models.TextChoices):
    TEXT = "text", _("Text")
    THEME = "theme", _("Theme")
    PRINCIPLE = "principle", _("Principle")
