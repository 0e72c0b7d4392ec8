"""The user's notifications: the list, marking read, and the e-mail delivery choice."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ledelse.notifications import services
from ledelse.notifications.access import reminders_visible_to
from ledelse.notifications.forms import DeliveryForm
from ledelse.notifications.selectors import delivery_for_user, notifications_for_user
from ledelse.view_helpers import AuthedRequest

PAGE_SIZE = 25


def _render_list(request: AuthedRequest, form: DeliveryForm, status: int = 200) -> HttpResponse:
    page = Paginator(notifications_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "notifications": page.object_list, "form": form},
        status=status,
    )


@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    form = DeliveryForm(initial={"delivery": delivery_for_user(user=request.user)})
    return _render_list(request, form)


@require_GET
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Open a notice: it is read now, and the person goes on to its thing."""
    reminder = get_object_or_404(reminders_visible_to(request.user), pk=pk)
    services.notification_mark_read(reminder=reminder)
    target = reminder.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = reverse("notifications:list")
    return redirect(target)


@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(reminders_visible_to(request.user), pk=pk)
    services.notification_mark_read(reminder=reminder)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@require_POST
def notification_settings(request: AuthedRequest) -> HttpResponse:
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    services.notification_settings_set(user=request.user, delivery=form.cleaned_data["delivery"])
    messages.success(request, _("Your choice of e-mails is saved."))
    return redirect("notifications:list")
