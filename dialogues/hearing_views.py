"""The hearing's pages under /planer/<pk>/hoering/ (dialogues.hearings). The plan page shows
the hearing (comments beside each theme, the comment and answer forms); these views take
the forms' posts and, when something is refused, show the form again on a page of its own
with the text typed kept. A plan the user may not read, and a hearing they may not read
(not invited, nor editing or approving the plan), is a 404; what they read but may not do
is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogues import access, forms, hearings, selectors
from dialogues.models import Hearing, Plan
from ledelse.concurrency.versions import VersionConflict
from ledelse.concurrency.views import form_submit_once
from ledelse.dates import long_date
from ledelse.view_helpers import Crumb, breadcrumbs, messages_add_errors
from ledelse.view_helpers import form_add_errors as _errors_to_form
from values.models import Item


def _crumbs(plan: Plan, label: str) -> list[Crumb]:
    return breadcrumbs(
        (_("Plans"), reverse("dialogues:plan_list")), (plan.unit.name, plan.get_absolute_url()), (label, "")
    )


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _user(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in user (every page but the sign-in asks for one: ledelse.middleware)."""
    user = request.user
    if not isinstance(user, AbstractBaseUser):
        raise PermissionDenied
    return user


def _hearing(request: HttpRequest, pk: int, hearing_pk: int) -> tuple[Plan, Hearing]:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    hearing = get_object_or_404(access.hearings_visible_to(request.user).filter(plan=plan), pk=hearing_pk)
    return plan, hearing


@require_http_methods(["GET", "POST"])
def hearing_open(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Send i høring": the owners choose who is asked and until when."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if not access.can_own_plan(request.user, plan):
        raise PermissionDenied
    current = hearings.open_hearing_of(plan=plan)
    if current is not None:
        messages.info(
            request, _("The plan is already out for comments until %(date)s.") % {"date": long_date(current.closes_on)}
        )
        return redirect(current.get_absolute_url())
    form = forms.HearingOpenForm(_data(request), people=hearings.hearing_audience_people(plan=plan))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = form_submit_once(
            request,
            form,
            make=lambda: hearings.hearing_open(
                plan=plan, closes_on=data["closes_on"], audience=data["audience"], by=_user(request)
            ).get_absolute_url(),
            success=_("The plan is out for comments. Those asked have been told."),
        )
        if made is not None:
            return made
    return render(
        request,
        "dialogues/hearing_open.html",
        {"form": form, "plan": plan, "breadcrumbs": _crumbs(plan, _("Send for comments"))},
    )


@require_http_methods(["GET", "POST"])
def hearing_comment(request: HttpRequest, pk: int, hearing_pk: int, theme_pk: int) -> HttpResponse:
    """A comment on one theme, by someone the hearing invited. The plan page posts here; a
    refused comment (the hearing closed while it was typed, a text too long) comes back on
    this page with the text kept."""
    plan, hearing = _hearing(request, pk, hearing_pk)
    theme = get_object_or_404(
        Item.objects.filter(version_id=plan.rollout.framework_version_id, kind=Item.Kind.THEME), pk=theme_pk
    )
    if not access.is_invited(request.user, hearing):
        raise PermissionDenied
    form = forms.HearingCommentForm(_data(request), auto_id=f"tema-{theme.pk}-%s")
    if request.method == "POST" and form.is_valid():
        made = form_submit_once(
            request,
            form,
            make=lambda: hearings.hearing_comment_add(
                hearing=hearing, theme=theme, text=form.cleaned_data["text"], by=_user(request)
            ).get_absolute_url(),
            success=_("Your comment has been saved. The plan's owners can now read it."),
        )
        if made is not None:
            return made
    translation = plan.translations.filter(theme=theme).values_list("text", flat=True).first() or ""
    return render(
        request,
        "dialogues/hearing_comment.html",
        {
            "form": form,
            "plan": plan,
            "hearing": hearing,
            "theme": theme,
            "translation": translation,
            "breadcrumbs": _crumbs(plan, _("Comment on “%(theme)s”") % {"theme": theme.heading}),
        },
    )


@require_http_methods(["GET", "POST"])
def hearing_comment_answer(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """The owners' answer to a comment (VersionedFormMixin: two owners answering at once see
    each other's answer)."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    comment = get_object_or_404(
        access.hearing_comments_visible_to(request.user).filter(hearing__plan=plan).select_related("theme"),
        pk=comment_pk,
    )
    if not access.can_own_plan(request.user, plan):
        raise PermissionDenied
    form = forms.HearingAnswerForm(_data(request), initial={"answer": comment.answer}, auto_id=f"svar-{comment.pk}-%s")
    form.set_seen(hearings.hearing_comment_seen_token(comment=comment))
    if request.method == "POST" and form.is_valid():
        form.apply_choices()
        try:
            hearings.hearing_comment_answer(
                comment=comment, answer=form.cleaned_data["answer"], by=_user(request), version=form.seen()
            )
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Your answer has been saved, and %(name)s has been told.") % {"name": comment.author_name}
            )
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "dialogues/hearing_answer.html",
        {
            "form": form,
            "plan": plan,
            "comment": comment,
            "breadcrumbs": _crumbs(plan, _("Answer %(name)s") % {"name": comment.author_name}),
        },
    )


@require_POST
def hearing_close(request: HttpRequest, pk: int, hearing_pk: int) -> HttpResponse:
    plan, hearing = _hearing(request, pk, hearing_pk)
    if not access.can_own_plan(request.user, plan):
        raise PermissionDenied
    try:
        hearings.hearing_close(hearing=hearing, by=_user(request))
    except ValidationError as exc:
        messages_add_errors(request, exc)
    else:
        messages.success(request, _("The hearing is closed. The comments and your answers stay with the plan."))
    return redirect(hearing.get_absolute_url())
