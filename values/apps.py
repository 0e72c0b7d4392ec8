from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuesConfig(AppConfig):
    name = "values"
    verbose_name = _("Frameworks")

    # HR keeps the frameworks up to date in the Django admin: the models it edits, and the
    # permissions on them it does not get (frameworks and versions come from the data
    # files and the draft action, not from the add forms). Read by ledelse.services.hr_group_ensure.
    hr_editable_models = ("framework", "frameworkversion", "item", "reflectionquestion", "itemlink")
    hr_withheld_permissions = ("add_framework", "delete_framework", "add_frameworkversion")
