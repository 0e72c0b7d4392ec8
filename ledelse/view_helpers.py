"""What every app's views share: the breadcrumb trail and a service's ValidationError put
on the form it came from (or, for a button without a form to show again, in the messages)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ledelse.models import User


class AuthedRequest(HttpRequest):
    """The request a view gets past LoginRequiredMiddleware (every view not marked
    login_not_required): its user is signed in. For the type checker only; annotate a
    view's `request` with it instead of HttpRequest."""

    user: User


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumb trail (templates/includes/breadcrumbs.html); the last
    is the current page and its url is not used."""

    label: str
    url: str


def breadcrumbs(*pairs: tuple[str, str]) -> list[Crumb]:
    """The front page, then a crumb for each (label, url) pair."""
    return [Crumb(_("Front page"), reverse("home")), *(Crumb(label, url) for label, url in pairs)]


def form_add_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's ValidationError on `form`: a message about a field the form has goes to
    that field (shown next to it and in the error summary), any other to the form as a
    whole."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for field_error in errors:
                form.add_error(name if name in form.fields else None, field_error)
    else:
        for message in error.messages:
            form.add_error(None, message)


def messages_add_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's ValidationError as error messages on the next page, one a message: for
    a button whose page is shown again only after a redirect."""
    for message in error.messages:
        messages.error(request, message)
