"""The views' side of one-time keys: a creating form's POST made once, its refusal on the
form, its success said once."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from ledelse.concurrency.forms import OnceFormMixin
from ledelse.concurrency.once import submit_once
from ledelse.view_helpers import form_add_errors


def form_submit_once(
    request: HttpRequest, form: OnceFormMixin, *, make: Callable[[], str], success: str
) -> HttpResponse | None:
    """A valid creating form's POST, made once per its one-time key
    (ledelse.concurrency.once): the redirect to what was made, with `success` as a message
    when this request made it (not when a double click lands on the first one's result);
    or None with the service's refusal on the form, for the view to show it again."""
    try:
        url, made = submit_once(user=request.user, key=form.once(), make=make)  # type: ignore[arg-type]
    except ValidationError as exc:
        form_add_errors(form, exc)
        return None
    if made:
        messages.success(request, success)
    return redirect(url)
