from django import forms
from django.utils.translation import gettext_lazy as _

from ledelse.notifications.models import NotificationSettings


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("E-mails about notifications"),
        choices=NotificationSettings.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want your e-mails."),
            "invalid_choice": _("Choose one of the options."),
        },
    )
