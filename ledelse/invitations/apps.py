from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "ledelse.invitations"
    label = "invitations"
    verbose_name = _("Calendar invitations")
    # An invitation's e-mail rows (ledelse.notifications) go when it is removed.
    notices_deleted_with_object = ("invitations.invitation",)
