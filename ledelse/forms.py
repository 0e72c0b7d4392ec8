"""allauth's password forms, narrowed to the accounts that may have a local password
(ledelse.signin.local_password_allowed): an account that signs in through SSO gets no reset
e-mail, and neither a reset link nor "set password" gives it a password."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from ledelse.signin import local_password_allowed

SSO_ONLY = _("This account signs in with single sign-on (Microsoft Entra ID) and has no password here.")


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        # The page answers the same whatever the address (no enumeration); only accounts
        # with a local password are sent a link.
        self.users = [user for user in self.users if local_password_allowed(user)]
        return email


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def clean(self) -> dict[str, Any]:
        if self.user is not None and not local_password_allowed(self.user):
            raise forms.ValidationError(SSO_ONLY)
        return super().clean()


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def clean(self) -> dict[str, Any]:
        if not local_password_allowed(self.user):
            raise forms.ValidationError(SSO_ONLY)
        return super().clean()
