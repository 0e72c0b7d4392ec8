"""Pages of rollouts and plans under /planer/. Each view fetches its object through the
querysets in dialogues.access (via dialogues.selectors): what the user may not see is a
404; what they may see but not change is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogues import access, activity_questions, forms, hearings, med, pdf, plan_page, selectors, services, slides
from dialogues.models import Activity, ActivityQuestion, Plan, PlanTranslationRevision
from ledelse import access as org_access
from ledelse.concurrency.forms import ONCE_FIELD
from ledelse.concurrency.once import submit_once
from ledelse.concurrency.versions import SEEN_FIELD, VersionConflict, seen_number
from ledelse.concurrency.views import form_submit_once
from ledelse.documents import pdf_response
from ledelse.documents import services as document_services
from ledelse.forms_rendering import form_html
from ledelse.fragments import fragment_html
from ledelse.models import Unit
from ledelse.view_helpers import Crumb, breadcrumbs, messages_add_errors
from ledelse.view_helpers import form_add_errors as _errors_to_form
from values import selectors as values_selectors
from values.models import Item

# A region has hundreds of plans: the list shows them a page at a time.
PLANS_PER_PAGE = 50


def _crumbs(*pairs: tuple[str, str]) -> list[Crumb]:
    return breadcrumbs((_("Plans"), reverse("dialogues:plan_list")), *pairs)


def _plan_crumbs(plan: Plan, *pairs: tuple[str, str]) -> list[Crumb]:
    return _crumbs((plan.unit.name, plan.get_absolute_url()), *pairs)


def _data(request: HttpRequest):
    """The POST data to bind a form to (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _editable_plan(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if not access.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan


# --- Plans: lists ------------------------------------------------------------------------------


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """All plans of the region, filtered by rollout, state, activity kind and principle
    (the inspiration page)."""
    choices = selectors.plan_filter_choices(user=request.user)
    if request.GET:
        form = forms.PlanFilterForm(
            request.GET,
            choices=choices,
            rollouts=access.rollouts_visible_to(request.user).order_by("-starts_on"),
            principles=selectors.principles_for_filter(user=request.user),
        )
        filter_fields = form_html(form, "dialogues/_plan_filter_fields.html")
    else:  # nothing chosen, nothing to check: the fields are made of the choices alone
        form = forms.PlanFilterForm(choices=choices)
        filter_fields = fragment_html("dialogues/_plan_filter_fields.html", {"form": form}, made_of=choices)
    filters = selectors.PlanFilter()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.PlanFilter(rollout=d["rollout"], state=d["state"], kind=d["kind"], principle=d["principle"])
    page = selectors.plan_list_page_for_user(
        user=request.user, filters=filters, number=request.GET.get("page"), per_page=PLANS_PER_PAGE
    )
    return render(
        request,
        "dialogues/plan_list.html",
        {
            "form": form,
            "filter_fields": filter_fields,
            "page_obj": page,
            "plans": page.object_list,
            "plan_table": _plan_table(request, page),
            "filtered": filters != selectors.PlanFilter(),
            "can_manage_rollouts": access.can_manage_rollouts(request.user),
            "breadcrumbs": _crumbs(),
        },
    )


def _plan_table(request: HttpRequest, page: Page) -> SafeString:
    """The list's table and pagination, rendered once per distinct page of rows (and query:
    the pagination's links keep it) in the process: the rows were read for this reader."""
    if not page.object_list:
        return SafeString("")
    query = request.GET.copy()
    return fragment_html(
        "dialogues/_plan_table.html",
        {"plans": page.object_list, "page_obj": page, "query": query},
        made_of=(
            page.object_list,
            page.number,
            page.paginator.count,
            page.paginator.per_page,
            sorted((name, tuple(values)) for name, values in query.lists()),
        ),
    )


@require_GET
def my_plan(request: HttpRequest) -> HttpResponse:
    """The front page's shortcut: the plan of the user's own unit (or the rollout to start it)."""
    target = selectors.own_unit_plan(user=request.user)
    if target is None:
        messages.info(request, _("Your unit has no plan yet, and no rollout asks for one."))
        return redirect("dialogues:plan_list")
    return redirect(target.get_absolute_url())


# --- Rollouts ----------------------------------------------------------------------------------


@require_GET
def rollout_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dialogues/rollout_list.html",
        {
            "rollouts": selectors.rollouts_for_user(user=request.user),
            "can_manage_rollouts": access.can_manage_rollouts(request.user),
            "breadcrumbs": _crumbs((_("Rollouts"), "")),
        },
    )


@require_http_methods(["GET", "POST"])
def rollout_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_rollouts(request.user):
        raise PermissionDenied
    form = forms.RolloutForm(_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        made = form_submit_once(
            request,
            form,
            make=lambda: services.rollout_create(user=request.user, data=form.rollout_data()).get_absolute_url(),
            success=_("The rollout has been created."),
        )
        if made is not None:
            return made
    return render(
        request,
        "dialogues/rollout_form.html",
        {
            "form": form,
            "title": _("New rollout"),
            "breadcrumbs": _crumbs((_("Rollouts"), reverse("dialogues:rollout_list")), (_("New rollout"), "")),
        },
    )


@require_http_methods(["GET", "POST"])
def rollout_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rollout = selectors.rollout_get_for_user(user=request.user, pk=pk)
    if not access.rollouts_manageable_by(request.user).filter(pk=rollout.pk).exists():
        raise PermissionDenied
    form = forms.RolloutForm(_data(request), user=request.user, rollout=rollout)
    form.set_seen(services.rollout_seen_token(rollout=rollout))
    if request.method == "POST" and form.is_valid():
        form.apply_choices()
        try:
            services.rollout_update(rollout=rollout, data=form.rollout_data(), version=form.seen())
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The rollout has been saved."))
            return redirect(rollout.get_absolute_url())
    return render(
        request,
        "dialogues/rollout_form.html",
        {
            "form": form,
            "rollout": rollout,
            "title": _("Edit the rollout"),
            "breadcrumbs": _crumbs(
                (_("Rollouts"), reverse("dialogues:rollout_list")),
                (rollout.title, rollout.get_absolute_url()),
                (_("Edit"), ""),
            ),
        },
    )


@require_GET
def rollout_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rollout = selectors.rollout_get_for_user(user=request.user, pk=pk)
    form = forms.RolloutUnitFilterForm(request.GET or None)
    name, missing_only = form.choice()
    rows = selectors.rollout_units(user=request.user, rollout=rollout, name=name, missing_only=missing_only)
    missing = sum(1 for r in selectors.rollout_units(user=request.user, rollout=rollout) if r.plan is None)
    parts = selectors.rollout_parts(user=request.user, rollout=rollout)
    return render(
        request,
        "dialogues/rollout_detail.html",
        {
            "rollout": rollout,
            "rows": rows,
            "filter_form": form,
            "filtered": bool(name or missing_only),
            "missing": missing,
            "plans_form": forms.RolloutPlansForm(parts=parts),
            "plans_per_document": pdf.PLANS_PER_DOCUMENT,
            "can_manage": access.rollouts_manageable_by(request.user).filter(pk=rollout.pk).exists(),
            "breadcrumbs": _crumbs((_("Rollouts"), reverse("dialogues:rollout_list")), (rollout.title, "")),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_start(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    rollout = selectors.rollout_get_for_user(user=request.user, pk=pk)
    unit = get_object_or_404(Unit.objects.filter(region_id=rollout.region_id), pk=unit_pk)
    if not access.can_start_plan_for(request.user, unit):
        raise PermissionDenied
    existing = Plan.objects.filter(rollout=rollout, unit=unit).first()
    if existing is not None:
        return redirect(existing.get_absolute_url())
    above = services.plan_above(rollout=rollout, unit=unit)
    form = forms.PlanStartForm(_data(request), initial={"carry_on": above is not None})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                user=request.user, rollout=rollout, unit=unit, carry_on=form.cleaned_data["carry_on"]
            )
        except ValidationError as exc:
            existing = Plan.objects.filter(rollout=rollout, unit=unit).first()
            if existing is not None:  # started by someone else (or a double click) meanwhile
                return redirect(existing.get_absolute_url())
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The plan has been created as a draft."))
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "dialogues/plan_start.html",
        {
            "form": form,
            "rollout": rollout,
            "unit": unit,
            "above": above,
            "breadcrumbs": _crumbs(
                (rollout.title, rollout.get_absolute_url()), (_("Plan for %(unit)s") % {"unit": unit.name}, "")
            ),
        },
    )


# --- A plan ------------------------------------------------------------------------------------


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_page(user=request.user, pk=pk)
    page = selectors.plan_page(user=request.user, plan=plan)
    # The reader's plans that take a copy: what the choices show, read as values.
    copy_targets = list(
        selectors.plans_for_copy_target(user=request.user)
        .exclude(pk=plan.pk)
        .values_list("pk", "state", "unit__name", "rollout__title")
    )
    option = '<option value="{}">{} – {}</option>'
    # The same choices under every activity: made once.
    copy_options = format_html_join("", option, ((target, unit, title) for target, _state, unit, title in copy_targets))
    translation_options = format_html_join(
        "",
        option,
        (
            (target, unit, title)
            for target, state, unit, title in copy_targets
            if state in access.TRANSLATION_EDITABLE_STATES
        ),
    )
    held = page.hearings
    plan_page.content_html_attach(page)
    plan_page.reader_parts_attach(request, page, copy_options if copy_targets else None)
    return render(
        request,
        "dialogues/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            "hearing": hearings.hearing_panel(
                user=request.user, plan=plan, themes=page.themes, hearings=held, co_owners=page.co_owners
            ),
            "history": hearings.plan_history(plan=plan, events=page.events, hearings=held),
            "translation_editable": plan.state in access.TRANSLATION_EDITABLE_STATES,
            "activities_editable": plan.state in access.ACTIVITIES_EDITABLE_STATES,
            "activities_html": plan_page.activities_list_html(page.activities),
            "translation_options": translation_options,
            "breadcrumbs": _crumbs((plan.unit.name, "")),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_translation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    themes = selectors.version_themes(version_id=plan.rollout.framework_version_id, with_text=True)
    texts = dict(plan.translations.values_list("theme_id", "text"))
    for row in themes:
        row.text = texts.get(row.theme.pk, "")
    form = forms.TranslationForm(_data(request), plan=plan, themes=themes, focus=list(plan.focus_principles.all()))
    form.set_seen(services.plan_translation_seen_token(plan=plan))
    if request.method == "POST" and form.is_valid():
        form.apply_choices()
        try:
            services.plan_translation_save(
                plan=plan,
                texts=form.texts(),
                focus_principles=form.cleaned_data["focus_principles"],
                user=request.user,
                version=form.seen(),
            )
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The translation has been saved."))
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "dialogues/translation_form.html",
        {
            "form": form,
            "plan": plan,
            "editable": plan.state in access.TRANSLATION_EDITABLE_STATES,
            "breadcrumbs": _plan_crumbs(plan, (_("Local translation"), "")),
        },
    )


@require_POST
def plan_translation_restore(request: HttpRequest, pk: int, revision_pk: int) -> HttpResponse:
    """Take an earlier text of a theme back (from the theme's history on the plan)."""
    plan = _editable_plan(request, pk)
    revision = get_object_or_404(PlanTranslationRevision.objects.filter(plan=plan), pk=revision_pk)
    try:
        services.plan_translation_restore(plan=plan, revision=revision, user=request.user)
    except ValidationError as exc:
        messages_add_errors(request, exc)
    else:
        messages.success(request, _("The earlier text is back; the text it replaced is in the theme's history."))
    return redirect(plan.get_absolute_url() + f"#tema-{revision.theme_id}")


@require_http_methods(["GET", "POST"])
def plan_co_owners_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if not access.can_manage_co_owners(request.user, plan):
        raise PermissionDenied
    form = forms.CoOwnersForm(_data(request), plan=plan)
    form.set_seen(services.plan_co_owners_seen_token(plan=plan))
    if request.method == "POST" and form.is_valid():
        form.apply_choices()
        try:
            services.plan_co_owners_set(
                plan=plan, co_owners=form.cleaned_data["co_owners"], user=request.user, version=form.seen()
            )
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The co-owners have been saved."))
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "dialogues/co_owners_form.html",
        {
            "form": form,
            "plan": plan,
            "editable": plan.state in access.ACTIVITIES_EDITABLE_STATES,
            "breadcrumbs": _plan_crumbs(plan, (_("Co-owners"), "")),
        },
    )


def _activity_page(request: HttpRequest, plan: Plan, activity: Activity | None) -> HttpResponse:
    form = forms.ActivityForm(_data(request), plan=plan, activity=activity)
    if activity is not None:
        form.set_seen(services.activity_seen_token(activity=activity))
    if request.method == "POST" and form.is_valid():
        form.apply_choices()
        try:
            if activity is None:
                submit_once(
                    user=request.user,
                    key=form.once(),
                    make=lambda: services.activity_create(
                        plan=plan, data=form.activity_data(), user=request.user
                    ).get_absolute_url(),
                )
            else:
                services.activity_update(
                    activity=activity, data=form.activity_data(), version=form.seen(), user=request.user
                )
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The activity has been saved."))
            return redirect(plan.get_absolute_url())
    title = _("New activity") if activity is None else activity.title
    return render(
        request,
        "dialogues/activity_form.html",
        {
            "form": form,
            "plan": plan,
            "activity": activity,
            "title": title,
            "editable": plan.state in access.ACTIVITIES_EDITABLE_STATES,
            "removable": activity is not None and plan.state in access.ACTIVITIES_REMOVABLE_STATES,
            "breadcrumbs": _plan_crumbs(plan, (title, "")),
        },
    )


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, _editable_plan(request, pk), None)


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    """The whole activity for those who edit the plan; for the person responsible (who
    does not), the activity and what came out of it."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    activity = get_object_or_404(Activity.objects.filter(plan=plan), pk=activity_pk)
    if access.can_edit_plan(request.user, plan):
        return _activity_page(request, plan, activity)
    if access.can_record_outcome(request.user, activity):
        return _outcome_page(request, plan, activity)
    raise PermissionDenied


def _outcome_page(request: HttpRequest, plan: Plan, activity: Activity) -> HttpResponse:
    activity = selectors.activity_for_page(activity_id=activity.pk)
    form = forms.OutcomeForm(_data(request), initial={"outcome": activity.outcome})
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_outcome_save(
                activity=activity, outcome=form.cleaned_data["outcome"], done=form.cleaned_data["done"]
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("What came out of it has been saved in the plan."))
            return redirect(activity.get_absolute_url())
    return render(
        request,
        "dialogues/activity_outcome.html",
        {
            "form": form,
            "plan": plan,
            "activity": activity,
            "editable": plan.state in access.ACTIVITIES_EDITABLE_STATES,
            "breadcrumbs": _plan_crumbs(plan, (activity.title, "")),
        },
    )


@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    """GET asks first (what is removed, and that it cannot be undone); POST removes."""
    plan = _editable_plan(request, pk)
    activity = get_object_or_404(Activity.objects.filter(plan=plan), pk=activity_pk)
    if request.method == "GET":
        return render(
            request,
            "dialogues/activity_delete.html",
            {
                "plan": plan,
                "activity": activity,
                "breadcrumbs": _plan_crumbs(plan, (activity.title, ""), (_("Remove"), "")),
            },
        )
    try:
        services.activity_delete(activity=activity)
    except ValidationError as exc:
        messages_add_errors(request, exc)
    else:
        messages.success(request, _("The activity has been removed."))
    return redirect(plan.get_absolute_url())


@require_GET
def activity_ics(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    from dialogues import calendar

    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    activity = get_object_or_404(
        Activity.objects.filter(plan=plan, date__isnull=False).select_related("responsible"), pk=activity_pk
    )
    return calendar.activity_ics_response(activity=activity, plan=plan)


# --- Workflow ----------------------------------------------------------------------------------


def _transition(request: HttpRequest, pk: int, action: str, comment: str | None = "") -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    transition = services.TRANSITIONS[action]
    allowed = (
        access.can_approve_plan(request.user, plan)
        if transition.by == "approver"
        else access.can_edit_plan(request.user, plan)
    )
    if not allowed:
        raise PermissionDenied
    if comment is None:  # refused text (_comment said why): the step is not taken
        return redirect(plan.get_absolute_url())
    try:
        services.plan_transition(
            user=request.user,
            plan=plan,
            action=action,
            comment=comment,
            version=seen_number(request.POST.get(SEEN_FIELD)),
        )
    except ValidationError as exc:
        messages_add_errors(request, exc)
    else:
        messages.success(
            request,
            {
                "submit": _("The plan has been submitted for approval."),
                "approve": _("The plan has been approved."),
                "send_back": _("The plan has been sent back to its owners."),
                "start": _("The plan is now in progress."),
                "finish": _("The plan has been completed."),
                "withdraw": _("The plan has been withdrawn and is a draft again."),
            }[action],
        )
    return redirect(plan.get_absolute_url())


def _comment(request: HttpRequest) -> str | None:
    """The optional comment on a step, or None when it is not acceptable text: then the
    step is not taken (never taken with the comment silently dropped)."""
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["comment"]
    for message in form.errors.get("comment", []):
        messages.error(request, message)
    return None


@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit", _comment(request))


@require_POST
def plan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdraw", _comment(request))


@require_GET
def plan_check(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Tjek din plan": the whole plan on one page before it is submitted, with the
    comment it was sent back with and a field to answer it."""
    plan = _editable_plan(request, pk)
    if plan.state != Plan.State.KLADDE:
        messages.info(request, _("Only a draft is submitted."))
        return redirect(plan.get_absolute_url())
    page = selectors.plan_page(user=request.user, plan=plan)
    form = forms.SubmitForm(answering=page.sent_back is not None)
    return render(
        request,
        "dialogues/plan_check.html",
        {
            "plan": plan,
            "page": page,
            "open_hearing": hearings.open_hearing_of(plan=plan),
            "form": form,
            "missing": [row for row in page.themes if not row.text],
            "med_missing_message": med.med_missing_message(),
            "breadcrumbs": _plan_crumbs(plan, (_("Check your plan"), "")),
        },
    )


@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "approve", _comment(request))


@require_POST
def plan_begin(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "start", _comment(request))


@require_POST
def plan_finish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "finish", _comment(request))


@require_http_methods(["GET", "POST"])
def plan_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if not access.can_approve_plan(request.user, plan):
        raise PermissionDenied
    form = forms.SendBackForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_transition(
                user=request.user, plan=plan, action="send_back", comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The plan has been sent back to its owners."))
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "dialogues/send_back_form.html",
        {"form": form, "plan": plan, "breadcrumbs": _plan_crumbs(plan, (_("Send back"), ""))},
    )


# --- MED's treatment ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_med_treatment(request: HttpRequest, pk: int) -> HttpResponse:
    """The MED committee's formand or næstformand records its treatment of the plan (the
    rules: dialogues.med). Without a seat in the committee covering the unit: 404; another
    member of it: 403."""
    user = request.user
    if not isinstance(user, AbstractBaseUser):  # signed out: the middleware sent them to sign in
        raise PermissionDenied
    plan = selectors.plan_get_for_med_member(user=user, pk=pk)
    if not access.can_record_med_treatment(user, plan):
        raise PermissionDenied
    treatment = med.med_treatment_of(plan=plan)
    today = timezone.localdate()
    form = forms.MedTreatmentForm(_data(request), treatment=treatment, today=today)
    form.set_seen(med.med_treatment_seen_token(treatment=treatment))
    target = plan.get_absolute_url() + "#med-behandling"

    def record() -> str:
        med.plan_med_treatment_record(plan=plan, data=form.med_data(), by=user, version=form.seen())
        return target

    if request.method == "POST" and form.is_valid():
        form.apply_choices()
        try:
            _url, made = submit_once(user=user, key=form.once() if treatment is None else "", make=record)
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            if made:
                messages.success(request, _("MED's treatment of the plan has been recorded."))
            return redirect(target)
    return render(
        request,
        "dialogues/med_treatment_form.html",
        {
            "form": form,
            "plan": plan,
            "treatment": treatment,
            "editable": plan.state in med.MED_TREATABLE_STATES,
            "breadcrumbs": _plan_crumbs(plan, (_("MED's treatment"), "")),
        },
    )


# --- Copying (inspiration) ---------------------------------------------------------------------


def _copy_target(request: HttpRequest) -> Plan | None:
    form = forms.CopyTargetForm(request.POST, targets=selectors.plans_for_copy_target(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your own plans to copy into."))
        return None
    return form.cleaned_data["target"]


@require_POST
def plan_translation_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy another plan's translation: straight in when it only fills empty themes, else
    to the page that shows both texts side by side and lets the owner choose per theme."""
    source = selectors.plan_get_for_user(user=request.user, pk=pk)
    target = _copy_target(request)
    if target is None:
        return redirect(source.get_absolute_url())
    rows = services.plan_translation_copy_rows(source=source, target=target)
    if any(row.needs_choice for row in rows):
        return redirect("dialogues:plan_translation_copy_review", pk=target.pk, source_pk=source.pk)
    return _copy_translation(request, source=source, target=target, replace=())


def _copy_translation(request: HttpRequest, *, source: Plan, target: Plan, replace) -> HttpResponse:
    try:
        count = services.plan_translation_copy(source=source, target=target, replace=replace, user=request.user)
    except ValidationError as exc:
        messages_add_errors(request, exc)
        return redirect(source.get_absolute_url())
    if count:
        messages.success(
            request, _("%(count)d themes copied into your plan. Adapt them to your unit.") % {"count": count}
        )
    else:
        messages.info(request, _("Nothing was copied: your plan keeps its own text in every theme."))
    return redirect(target.get_absolute_url())


@require_http_methods(["GET", "POST"])
def plan_translation_copy_review(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    """Both texts side by side for each theme the owner has written: keep one's own or take
    the copy (one's own is kept in the theme's history)."""
    target = get_object_or_404(
        selectors.plans_for_copy_target(user=request.user).filter(state__in=access.TRANSLATION_EDITABLE_STATES),
        pk=pk,
    )
    source = selectors.plan_get_for_user(user=request.user, pk=source_pk)
    rows = services.plan_translation_copy_rows(source=source, target=target)
    form = forms.CopyChoiceForm(_data(request), rows=rows)
    if request.method == "POST" and form.is_valid():
        return _copy_translation(request, source=source, target=target, replace=form.replace())
    return render(
        request,
        "dialogues/translation_copy_review.html",
        {
            "form": form,
            "plan": target,
            "source": source,
            "fills": [row for row in rows if row.fills],
            "choices": form.choice_rows(),
            "breadcrumbs": _plan_crumbs(target, (_("Copy a translation"), "")),
        },
    )


@require_POST
def activity_copy(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    source = selectors.plan_get_for_user(user=request.user, pk=pk)
    activity = get_object_or_404(Activity.objects.filter(plan=source), pk=activity_pk)
    target = _copy_target(request)
    if target is None:
        return redirect(source.get_absolute_url())
    try:
        url, made = submit_once(
            user=request.user,
            key=(request.POST.get(ONCE_FIELD) or "")[:64],
            make=lambda: reverse(
                "dialogues:activity_edit", args=[target.pk, services.activity_copy(activity=activity, target=target).pk]
            ),
        )
    except ValidationError as exc:
        messages_add_errors(request, exc)
        return redirect(source.get_absolute_url())
    if made:
        messages.success(request, _("The activity has been copied into your plan. Give it a date and adapt it."))
    return redirect(url)


# --- Dialogue material: cards, booklet, guides, the plan as a document, the presentation -------
# Access as on the pages they belong to: a framework's material for everyone who may read the
# framework (values.selectors), a plan's for everyone who may read the plan.


def _deck(request: HttpRequest, slug: str) -> tuple[pdf.Deck, dict]:
    framework, version = values_selectors.framework_get_for_user(user=request.user, slug=slug)
    keys = list(version.items.filter(kind__in=[Item.Kind.THEME, Item.Kind.PRINCIPLE]).values_list("key", flat=True))
    choice = forms.MaterialForm(request.GET, keys=keys).choice()
    deck = pdf.deck_for(
        framework=framework, version=version, theme_key=choice["theme_key"], principle_keys=choice["principle_keys"]
    )
    return deck, choice


@require_GET
def material(request: HttpRequest, slug: str) -> HttpResponse:
    """The framework's dialogue material: choose cards (all, a theme, some principles), print
    or present them; the booklet and the recruitment guide."""
    framework, version = values_selectors.framework_get_for_user(user=request.user, slug=slug)
    cards = pdf.framework_cards(framework=framework, version=version)
    groups: list[tuple[str, list[pdf.Card]]] = []
    for card in cards:
        label = card.theme or card.title
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(card)
    themes = list(version.items.filter(kind=Item.Kind.THEME).order_by("position"))
    return render(
        request,
        "dialogues/material.html",
        {
            "framework": framework,
            "version": version,
            "groups": groups,
            "themes": themes,
            "card_count": len(cards),
            "breadcrumbs": breadcrumbs((framework.title, framework.get_absolute_url()), (_("Dialogue material"), "")),
        },
    )


@require_GET
def cards_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    deck, choice = _deck(request, slug)
    return pdf_response(pdf.cards_document(deck=deck, per_sheet=choice["per_sheet"]))


def _pptx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=slides.PPTX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def cards_pptx(request: HttpRequest, slug: str) -> HttpResponse:
    """The same cards as the PDF (a framework, a theme or chosen principles) for PowerPoint."""
    deck, _choice = _deck(request, slug)
    content = slides.cards_pptx(cards=deck.cards, title=deck.heading, subtitle=deck.framework.title)
    return _pptx_response(content, f"{deck.file_stem}.pptx")


@require_GET
def cards_presentation(request: HttpRequest, slug: str) -> HttpResponse:
    deck, _choice = _deck(request, slug)
    return render(
        request,
        "dialogues/presentation.html",
        {"title": deck.heading, "cards": deck.cards, "back_url": reverse("dialogues:material", args=[slug])},
    )


@require_GET
def booklet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    framework, version = values_selectors.framework_get_for_user(user=request.user, slug=slug)
    page_format = forms.MaterialForm(request.GET).choice()["page_format"]
    return pdf_response(pdf.booklet_document(framework=framework, version=version, page_format=page_format))


@require_GET
def recruitment_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    framework, version = values_selectors.framework_get_for_user(user=request.user, slug=slug)
    return pdf_response(pdf.recruitment_document(framework=framework, version=version))


@require_POST
def all_cards_request(request: HttpRequest) -> HttpResponse:
    """Every framework's cards: too large for a request, so a task makes them."""
    per_sheet = forms.MaterialForm(request.POST).choice()["per_sheet"]
    job = document_services.document_job_request(
        user=request.user,
        kind="dialogues.all_cards",
        params={"per_sheet": per_sheet},
        title=_("Dialogue cards: all frameworks"),
    )
    messages.info(request, _("The cards are being made. You get a notification when they are ready."))
    return redirect(job.get_absolute_url())


@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    title = _("Plan for %(unit)s") % {"unit": plan.unit.name}
    return pdf_response(pdf.plan_document(sections=pdf.plan_sections([plan]), title=title, filename=f"plan-{pk}.pdf"))


@require_POST
def rollout_plans_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The plans of one part of the rollout's organisation as one PDF, made by a task."""
    rollout = selectors.rollout_get_for_user(user=request.user, pk=pk)
    form = forms.RolloutPlansForm(request.POST, parts=selectors.rollout_parts(user=request.user, rollout=rollout))
    back = reverse("dialogues:rollout_detail", args=[rollout.pk]) + "#alle-planer"
    if not form.is_valid():
        for error in form.errors.get("enhed", []):
            messages.error(request, str(error))
        return redirect(back)
    try:
        job = services.rollout_plans_document_request(
            user=request.user, rollout=rollout, unit=form.cleaned_data["enhed"]
        )
    except ValidationError as exc:
        messages_add_errors(request, exc)
        return redirect(back)
    messages.info(request, _("The document is being made. You get a notification when it is ready."))
    return redirect(job.get_absolute_url())


def _activity(request: HttpRequest, pk: int, activity_pk: int) -> tuple[Plan, Activity]:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    activity = get_object_or_404(
        Activity.objects.filter(plan=plan).select_related("responsible").prefetch_related("participants"),
        pk=activity_pk,
    )
    return plan, activity


@require_GET
def activity_guide_pdf(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan, activity = _activity(request, pk, activity_pk)
    return pdf_response(pdf.meeting_guide_document(plan=plan, activity=activity))


@require_GET
def activity_pptx(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan, activity = _activity(request, pk, activity_pk)
    cards = pdf.activity_cards(plan=plan, activity=activity)
    asked = activity_questions.activity_questions_shown(activity=activity)
    content = slides.cards_pptx(cards=cards, title=activity.title, subtitle=plan.unit.name, asked=asked)
    return _pptx_response(content, f"dialogkort-aktivitet-{activity.pk}.pptx")


@require_GET
def activity_presentation(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan, activity = _activity(request, pk, activity_pk)
    can_record = access.can_record_outcome(request.user, activity) and plan.state in access.ACTIVITIES_EDITABLE_STATES
    return render(
        request,
        "dialogues/presentation.html",
        {
            "title": activity.title,
            "cards": pdf.activity_cards(plan=plan, activity=activity),
            "back_url": activity.get_absolute_url(),
            "activity": activity,
            "plan": plan,
            "outcome_form": forms.OutcomeForm(initial={"outcome": activity.outcome}) if can_record else None,
            # Before its day an activity cannot be marked done: the box is not offered.
            "done_allowed": not services.activity_not_yet(activity.date),
            # Asked before the meeting: the answers without names, from three (activity_questions).
            "asked": activity_questions.activity_questions_shown(activity=activity),
            "min_group": activity_questions.MIN_GROUP_SIZE,
        },
    )


@require_POST
def activity_outcome(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    """Write what came out of the dialogue into the activity (those who edit the plan and
    the person responsible)."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    activity = get_object_or_404(Activity.objects.filter(plan=plan), pk=activity_pk)
    if not access.can_record_outcome(request.user, activity):
        raise PermissionDenied
    form = forms.OutcomeForm(request.POST)
    presentation = reverse("dialogues:activity_presentation", args=[plan.pk, activity.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(presentation + "#udbytte")
    try:
        services.activity_outcome_save(
            activity=activity, outcome=form.cleaned_data["outcome"], done=form.cleaned_data["done"]
        )
    except ValidationError as exc:
        messages_add_errors(request, exc)
        return redirect(presentation + "#udbytte")
    messages.success(request, _("What came out of it has been saved in the plan."))
    return redirect(activity.get_absolute_url())


# --- Questions before the meeting (dialogues.activity_questions) ---------------------------------
# The activity's own page: the person responsible asks one or two of the framework's questions,
# those taking part answer, and everyone who may read the plan sees the answers without names
# once three have answered.


def _questions_activity(request: HttpRequest, pk: int, activity_pk: int) -> tuple[Plan, Activity]:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    activity = get_object_or_404(selectors.activities_for_questions_page().filter(plan=plan), pk=activity_pk)
    activity.plan = plan
    return plan, activity


def _questions_page(
    request: HttpRequest,
    plan: Plan,
    activity: Activity,
    *,
    ask_form: forms.ActivityQuestionsAskForm | None = None,
    answer_form: tuple[int, forms.ActivityAnswerForm] | None = None,
) -> HttpResponse:
    person = org_access.roles_for(request.user).person
    is_open = activity_questions.questions_open(activity, plan=plan)
    shown = activity_questions.activity_questions_shown(activity=activity, person=person)
    can_ask = access.can_ask_activity_questions(request.user, activity)
    if can_ask and is_open and len(shown) < ActivityQuestion.MAX_PER_ACTIVITY and ask_form is None:
        ask_form = forms.ActivityQuestionsAskForm(activity=activity)
    answering = is_open and access.can_answer_activity_questions(request.user, activity)
    rows = []
    for view in shown:
        form = None
        if answering:
            if answer_form is not None and answer_form[0] == view.question.pk:
                form = answer_form[1]
            else:
                form = forms.ActivityAnswerForm(
                    prefix=f"svar-{view.question.pk}", initial={"text": view.own.text if view.own else ""}
                )
            form.set_seen(activity_questions.answer_seen_token(answer=view.own))
        rows.append((view, form))
    return render(
        request,
        "dialogues/activity_questions.html",
        {
            "plan": plan,
            "activity": activity,
            "rows": rows,
            "is_open": is_open,
            "closed_message": "" if is_open else activity_questions.closed_message(activity),
            "can_ask": can_ask,
            "ask_form": ask_form if is_open else None,
            "answering": answering,
            "participant_count": len(activity.participants.all()),
            "min_group": activity_questions.MIN_GROUP_SIZE,
            "breadcrumbs": _plan_crumbs(plan, (activity.title, "")),
        },
    )


@require_GET
def activity_questions_page(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan, activity = _questions_activity(request, pk, activity_pk)
    return _questions_page(request, plan, activity)


@require_POST
def activity_questions_ask(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan, activity = _questions_activity(request, pk, activity_pk)
    if not access.can_ask_activity_questions(request.user, activity):
        raise PermissionDenied
    person = org_access.roles_for(request.user).person
    assert person is not None  # the responsible person is a person
    form = forms.ActivityQuestionsAskForm(request.POST, activity=activity)

    def ask() -> str:
        activity_questions.activity_questions_ask(
            activity=activity, questions=list(form.cleaned_data["questions"]), by=person
        )
        return activity_questions.page_url(activity)

    if form.is_valid():
        made = form_submit_once(
            request, form, make=ask, success=_("The questions have been sent to those taking part.")
        )
        if made is not None:
            return made
    return _questions_page(request, plan, activity, ask_form=form)


@require_POST
def activity_answer(request: HttpRequest, pk: int, activity_pk: int, question_pk: int) -> HttpResponse:
    plan, activity = _questions_activity(request, pk, activity_pk)
    question = get_object_or_404(ActivityQuestion.objects.filter(activity=activity), pk=question_pk)
    if not access.can_answer_activity_questions(request.user, activity):
        raise PermissionDenied
    person = org_access.roles_for(request.user).person
    assert person is not None  # a participant is a person
    form = forms.ActivityAnswerForm(request.POST, prefix=f"svar-{question.pk}")
    if form.is_valid():
        form.apply_choices()
        try:
            activity_questions.activity_answer_save(
                question=question, person=person, text=form.cleaned_data["text"], version=form.seen()
            )
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Your answer has been saved."))
            return redirect(activity_questions.page_url(activity) + f"#spoergsmaal-{question.position}")
    return _questions_page(request, plan, activity, answer_form=(question.pk, form))
