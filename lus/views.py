"""LUS pages. Every object comes through a lus.access queryset (404 when not allowed); every
response carries Cache-Control: no-store and POST data is kept out of error reports
(lus/urls.py wraps every view)."""

from __future__ import annotations

import csv
import json
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ledelse import access as org_access
from ledelse.concurrency.once import submit_once
from ledelse.concurrency.versions import SEEN_FIELD, VersionConflict, seen_number
from ledelse.dates import long_date
from ledelse.invitations import ics_response
from ledelse.selectors import unit_subtree
from ledelse.view_helpers import AuthedRequest, Crumb, breadcrumbs, messages_add_errors
from ledelse.view_helpers import form_add_errors as _error
from lus import access, calendar, pdf, selectors, services
from lus.forms import (
    AgreementFormSet,
    BookingForm,
    FollowUpDateForm,
    FollowUpForm,
    ItemsForm,
    PartnerForm,
    PersonForm,
    PreparationForm,
    RecordForm,
    RoundForm,
    principle_choices,
)
from lus.masking import lus_report
from lus.models import AuditPart, Conversation, FollowUp, Preparation, Rating
from lus.radar import radar_for
from values.models import Item


def _crumbs(*pairs: tuple[str, str]) -> list[Crumb]:
    return breadcrumbs((_("LUS"), reverse("lus:overview")), *pairs)


def _conversation_crumbs(conversation: Conversation, *pairs: tuple[str, str]) -> list[Crumb]:
    """The trail to a page of one LUS: the LUS (linked when `pairs` follow) and `pairs`."""
    url = reverse("lus:conversation_detail", args=[conversation.pk]) if pairs else ""
    return _crumbs((f"{conversation.round.name}: {conversation.leader.name}", url), *pairs)


def _writable(request: AuthedRequest, pk: int) -> tuple[Conversation, str]:
    """The LUS and the user's part in it (leader or partner); 404 for anyone else."""
    conversation = get_object_or_404(
        access.conversations_writable_by(request.user).select_related(
            "round__framework_version__framework", "leader__user", "leader__unit", "partner__user"
        ),
        pk=pk,
    )
    return conversation, services.role_of(conversation=conversation, user=request.user)


# --- Overview --------------------------------------------------------------------------------


@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    org_access.roles_for(request.user)  # read first (the menu reads them too): the access rules name the person by id
    data = selectors.overview_for_user(user=request.user, today=timezone.localdate())
    return render(
        request,
        "lus/overview.html",
        {
            "overview": data,
            "counts_rounds": access.rounds_counted_by(request.user).exists(),
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def export(request: AuthedRequest) -> HttpResponse:
    with transaction.atomic():
        data = services.export_for_leader(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mine-lus.json"'
    return response


# --- Rounds (HR; koncernledelse counts) -------------------------------------------------------------


@require_GET
def round_list(request: AuthedRequest) -> HttpResponse:
    rounds = access.rounds_counted_by(request.user).select_related("scope")
    if not rounds.exists() and not access.can_create_rounds(request.user):
        raise Http404
    return render(
        request,
        "lus/round_list.html",
        {
            "rounds": rounds,
            "can_create": access.can_create_rounds(request.user),
            "breadcrumbs": _crumbs((_("LUS rounds"), "")),
        },
    )


def _hr_scopes(request: AuthedRequest):
    units = None
    for scope in org_access.roles_for(request.user).hr_units:
        tree = unit_subtree(unit=scope)
        units = tree if units is None else units | tree
    if units is None:
        raise Http404
    return units.order_by("path")


@require_http_methods(["GET", "POST"])
def round_create(request: AuthedRequest) -> HttpResponse:
    if not access.can_create_rounds(request.user):
        raise Http404
    form = RoundForm(request.POST or None, scopes=_hr_scopes(request))
    items_form = ItemsForm(
        request.POST or None,
        prefix="common",
        choices=list(
            Item.objects.filter(
                version__in=form.fields["framework_version"].queryset, kind__in=[Item.Kind.THEME, Item.Kind.PRINCIPLE]
            )
        ),
        with_framework=True,
    )
    if request.method == "POST" and form.is_valid() and items_form.is_valid():
        try:
            url, made = submit_once(
                user=request.user,
                key=form.once(),
                make=lambda: reverse(
                    "lus:round_preview",
                    args=[
                        services.round_create(
                            user=request.user,
                            common_items=list(items_form.cleaned_data["items"]) or None,
                            **form.cleaned_data,
                        ).pk
                    ],
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if made:
                messages.success(request, _("The round is created. Check the list of leaders and create their LUS."))
            return redirect(url)
    return render(
        request,
        "lus/round_form.html",
        {
            "form": form,
            "items_form": items_form,
            "breadcrumbs": _crumbs((_("LUS rounds"), reverse("lus:round_list")), (_("New round"), "")),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def round_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    lus_round = get_object_or_404(access.rounds_managed_by(request.user), pk=pk)
    initial = {
        "name": lus_round.name,
        "scope": lus_round.scope_id,
        "framework_version": lus_round.framework_version_id,
        "period_start": lus_round.period_start,
        "period_end": lus_round.period_end,
        "preparation_opens": lus_round.preparation_opens,
        "held_by": lus_round.held_by,
        "confirmed_by": lus_round.confirmed_by,
        "questions": "\n".join(lus_round.questions),
        "time_categories": "\n".join(lus_round.time_categories),
    }
    form = RoundForm(request.POST or None, initial=initial, scopes=_hr_scopes(request))
    form.fields["scope"].disabled = form.fields["framework_version"].disabled = True
    form.set_seen(services.round_seen_token(lus_round=lus_round))
    items_form = ItemsForm(
        request.POST or None,
        prefix="common",
        choices=list(principle_choices(lus_round=lus_round)),
        initial={"items": list(lus_round.common_items.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid() and items_form.is_valid():
        form.apply_choices()
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("scope", "framework_version")}
        theirs = "common_items" in form.taken_from_them()
        items = list(lus_round.common_items.all() if theirs else items_form.cleaned_data["items"])
        try:
            services.round_update(
                lus_round=lus_round, user=request.user, common_items=items, version=form.seen(), **fields
            )
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            lus_round.refresh_from_db()
            form.add_error(None, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect("lus:round_detail", pk=lus_round.pk)
    return render(
        request,
        "lus/round_form.html",
        {
            "form": form,
            "items_form": items_form,
            "round": lus_round,
            "breadcrumbs": _crumbs((lus_round.name, reverse("lus:round_detail", args=[lus_round.pk])), (_("Edit"), "")),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def round_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    lus_round = get_object_or_404(access.rounds_managed_by(request.user).select_related("scope"), pk=pk)
    if request.method == "POST":
        made = services.round_conversations_create(lus_round=lus_round)
        messages.success(request, _("%(count)d LUS created.") % {"count": made})
        return redirect("lus:round_detail", pk=lus_round.pk)
    rows = selectors.round_preview(lus_round=lus_round)
    return render(
        request,
        "lus/round_preview.html",
        {
            "round": lus_round,
            "rows": rows,
            "missing": sum(1 for r in rows if not r.exists),
            "without_partner": sum(1 for r in rows if r.partner is None),
            "in_other_rounds": sum(1 for r in rows if r.other_round and not r.exists),
            "breadcrumbs": _crumbs(
                (lus_round.name, reverse("lus:round_detail", args=[lus_round.pk])), (_("Leaders"), "")
            ),
        },
    )


@require_GET
def round_participant_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """HR sees the preparation as a leader in the round will see it (the round's common
    items, questions and time categories), before the LUS are created. Nothing to submit."""
    lus_round = get_object_or_404(access.rounds_managed_by(request.user).select_related("scope"), pk=pk)
    items = sorted(lus_round.common_items.all(), key=lambda i: i.position)
    form = PreparationForm(
        items=items, questions=lus_round.questions, categories=lus_round.time_categories, role=Preparation.Role.LEADER
    )
    for field in form.fields.values():
        field.disabled = True
    return render(
        request,
        "lus/round_participant_preview.html",
        {
            "round": lus_round,
            "form": form,
            "topic_choices": selectors.topic_choices(lus_round=lus_round),
            "breadcrumbs": _crumbs(
                (lus_round.name, reverse("lus:round_detail", args=[lus_round.pk])), (_("As a participant sees it"), "")
            ),
        },
    )


@require_GET
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    lus_round = get_object_or_404(access.rounds_counted_by(request.user).select_related("scope"), pk=pk)
    today = timezone.localdate()
    manages = access.rounds_managed_by(request.user).filter(pk=lus_round.pk).exists()
    return render(
        request,
        "lus/round_detail.html",
        {
            "round": lus_round,
            # Those who only count (koncernledelse) see the masked figures of the status page.
            "status": selectors.round_status(lus_round=lus_round, today=today) if manages else None,
            "masked": None if manages else lus_report(lus_round=lus_round, today=today),
            "states": Conversation.State.choices,
            "conversations": selectors.round_conversations_for_hr(user=request.user, lus_round=lus_round, today=today)
            if manages
            else None,
            "manages": manages,
            "breadcrumbs": _crumbs((_("LUS rounds"), reverse("lus:round_list")), (lus_round.name, "")),
        },
    )


@require_POST
def round_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    lus_round = get_object_or_404(access.rounds_managed_by(request.user), pk=pk)
    try:
        count = services.round_remind_unprepared(lus_round=lus_round)
    except ValidationError as error:
        messages_add_errors(request, error)
    else:
        messages.success(request, _("%(count)d reminders are sent (each party at most once a day).") % {"count": count})
    return redirect("lus:round_detail", pk=lus_round.pk)


_PARTICIPATION_HEADER = [
    "Leder",
    "Enhed",
    "Samtalepartner",
    "Tilstand",
    "Booket",
    "Afholdt",
    "Leder bekræftet",
    "Partner bekræftet",
    "Forsinket",
]


def _day(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value.isoformat()


@require_GET
def round_participation(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who takes part and how far each LUS is, as CSV for HR: people, states and dates,
    never content."""
    lus_round = get_object_or_404(access.rounds_managed_by(request.user), pk=pk)
    rows = selectors.round_conversations_for_hr(user=request.user, lus_round=lus_round, today=timezone.localdate())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lus-deltagelse-{lus_round.pk}.csv"'
    response.write("\ufeff")  # Excel reads the æøå right with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(_PARTICIPATION_HEADER)
    for c in rows:
        writer.writerow(
            [
                c.leader.name,
                c.leader.unit.name,
                c.partner.name if c.partner else "",
                c.get_state_display(),
                _day(c.starts_at),
                _day(c.held_on),
                _day(c.leader_confirmed_at),
                _day(c.partner_confirmed_at),
                "ja" if c.is_overdue else "",
            ]
        )
    return response


@require_http_methods(["GET", "POST"])
def conversation_partner(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(
        access.conversations_listed_for_hr(request.user)
        .filter(round__in=access.rounds_managed_by(request.user))
        .select_related("round", "leader__unit", "partner"),
        pk=pk,
    )
    candidates = [p for p in selectors.partner_candidates(conversation=conversation) if p.user_id != request.user.pk]
    form = PartnerForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_partner_set(
                conversation=conversation, partner=form.cleaned_data["partner"], by=request.user
            )
        except ValidationError as error:
            _error(form, error)
        else:
            messages.success(request, _("The conversation partner is changed."))
            return redirect("lus:round_detail", pk=conversation.round.pk)
    return render(
        request,
        "lus/partner_form.html",
        {
            "form": form,
            "conversation": conversation,
            "breadcrumbs": _crumbs(
                (conversation.round.name, reverse("lus:round_detail", args=[conversation.round.pk])),
                (_("Change conversation partner"), ""),
            ),
        },
        status=400 if form.is_bound else 200,
    )


# --- One LUS ---------------------------------------------------------------------------------


def _ratings_table(items, visible: dict[str, Preparation], ratings: dict[int, dict[int, Rating]]):
    """(item, the leader's rating, the partner's) per item; `ratings` by preparation and
    item (selectors.preparations_with_ratings)."""
    scores = {role: ratings.get(p.pk, {}) for role, p in visible.items()}
    rows = []
    for item in items:
        leader = scores.get(Preparation.Role.LEADER, {}).get(item.pk)
        partner = scores.get(Preparation.Role.PARTNER, {}).get(item.pk)
        rows.append((item, leader, partner))
    return rows


@require_GET
def conversation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    org_access.roles_for(request.user)  # read first (the menu reads them too): the access rules name the person by id
    conversation, previous = selectors.conversation_page_get(user=request.user, pk=pk)
    role = services.role_of(conversation=conversation, user=request.user)
    preparations, ratings = selectors.preparations_with_ratings(conversation=conversation)
    items = selectors.conversation_items_read(conversation=conversation)
    visible = selectors.preparations_visible_to(conversation=conversation, user=request.user, preparations=preparations)
    rows = _ratings_table(items, visible, ratings)
    is_owner = conversation.leader.user_id == request.user.pk
    # This LUS's agreements and the previous LUS's, with their follow-ups, in one query.
    by_conversation = selectors.agreements_by_conversation(
        conversations=[conversation, previous] if previous is not None else [conversation]
    )
    agreements = by_conversation[conversation.pk]
    parts = [AuditPart.RECORD] + [
        AuditPart.LEADER_PREPARATION if r == Preparation.Role.LEADER else AuditPart.PARTNER_PREPARATION for r in visible
    ]
    reads = [(conversation, parts)]
    if previous is not None:
        reads.append((previous, [AuditPart.RECORD]))
    services.conversation_reads_log(user=request.user, reads=reads)
    return render(
        request,
        "lus/conversation_detail.html",
        {
            "conversation": conversation,
            "role": role,
            "is_owner": is_owner,
            "visible": visible,
            "mine": next((p for p in preparations if p.role == role), None),
            "rows": rows,
            "radar": _radar(items, rows, visible),
            "time": visible.get(Preparation.Role.LEADER),
            "time_rows": _time_rows(conversation.round.time_categories, visible.get(Preparation.Role.LEADER)),
            "answers": [
                (r, [(q, a) for q, a in zip(conversation.round.questions, p.answers, strict=False) if a])
                for r, p in visible.items()
                if any(p.answers)
            ],
            "agreements": agreements,
            "i_confirmed": selectors.confirmed_by_role(conversation=conversation, role=role),
            "can_confirm": role is not None
            and selectors.conversation_can_be_confirmed(
                conversation=conversation, has_agreements=bool(agreements), now=timezone.now()
            ),
            # A record gets its first revision when it is reopened, which raises `revision`.
            "revisions": list(conversation.revisions.all()) if conversation.revision > 1 else [],
            "previous": previous,
            "previous_agreements": by_conversation[previous.pk] if previous is not None else [],
            "shares": selectors.shares_active_for(conversation=conversation) if is_owner else [],
            # A refused name comes back in the field (share_add), once.
            "share_form": PersonForm(initial={"who": request.session.pop(_share_typed_key(pk), "")})
            if is_owner
            else None,
            "followup_typed": request.session.pop(_followup_typed_key(pk), None),
            "audit": selectors.audit_for_owner(conversation=conversation) if is_owner else [],
            "continuity": selectors.continuity_for(conversation=conversation) if is_owner else None,
            "breadcrumbs": _conversation_crumbs(conversation),
        },
    )


def _time_rows(categories: list[str], preparation: Preparation | None) -> list[tuple[str, object, object]]:
    """The leader's time split per category of the round, now and wanted ("" where none)."""
    if preparation is None or not preparation.time_now:
        return []
    now, wanted = preparation.time_now, preparation.time_wanted or {}
    return [(category, now.get(category, ""), wanted.get(category, "")) for category in categories]


def _radar(items, rows, visible: dict[str, Preparation]):
    """The radar chart of the visible ratings (three items at least), or None."""
    if len(items) < 3 or not visible:
        return None
    series = []
    for prep_role, label, css in (
        (Preparation.Role.LEADER, _("Leader"), "lus-radar__leader"),
        (Preparation.Role.PARTNER, _("Partner"), "lus-radar__partner"),
    ):
        if prep_role in visible:
            index = 1 if prep_role == Preparation.Role.LEADER else 2
            series.append((label, [row[index].score if row[index] else None for row in rows], css))
    chart = radar_for(axes=[i.title for i in items], series=series)
    return chart.svg(title=_("Ratings of the leader and the partner"))


def _preparation_initial(own: Preparation, own_topics: list, categories: list[str]) -> dict:
    initial: dict = {}
    if own.pk:
        for rating in own.ratings.all():
            initial[f"score_{rating.item_id}"] = str(rating.score)
            initial[f"note_{rating.item_id}"] = rating.note
    for n, answer in enumerate(own.answers):
        initial[f"answer_{n}"] = answer
    for n, category in enumerate(categories):
        initial[f"time_now_{n}"] = own.time_now.get(category)
        initial[f"time_wanted_{n}"] = own.time_wanted.get(category)
    return initial


def _preparation_post(request, conversation, role, form, topics_form, common_ids) -> HttpResponse | None:
    """Save topics, ratings, answers and time in one go (one form, one transaction), and
    share when asked: nothing typed on the page is left out. None when the form has errors."""
    if not (form.is_valid() and topics_form.is_valid()):
        return None
    form.apply_choices()
    field = topics_form.fields["items"]
    theirs = "topics" in form.taken_from_them()  # the stored topics (the form's initial)
    topics = list(field.clean(topics_form.initial["items"]) if theirs else topics_form.cleaned_data["items"])
    try:
        with transaction.atomic():
            preparation = services.preparation_for(conversation=conversation, role=role)
            services.preparation_save(
                preparation=preparation,
                ratings=form.ratings(),
                answers=form.answers(),
                time_now=form.split("now"),
                time_wanted=form.split("wanted"),
                required_item_ids=common_ids | {t.pk for t in topics},
                topics=topics,
                version=form.seen(),
                by=request.user,
            )
            if request.POST.get("share"):
                services.preparation_share(preparation=preparation, by=request.user)
    except VersionConflict as conflict:
        form.show_conflict(conflict)
        return None
    except ValidationError as error:
        _error(form, error)
        # The time split's error is shown at its table too, not only at the top of the page.
        form.time_error = " ".join(e.message for e in error.error_list if e.code == "time_split")
        return None
    if request.POST.get("share"):
        messages.success(request, _("Your preparation is saved and shared with the other party."))
        return redirect("lus:conversation_detail", pk=conversation.pk)
    messages.success(request, _("Your preparation is saved."))
    return redirect("lus:preparation_edit", pk=conversation.pk)


@require_http_methods(["GET", "POST"])
def preparation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """One form for the whole preparation: topics, ratings, answers and time are saved
    together. A GET creates nothing (the preparation row is made on the first save)."""
    conversation, role = _writable(request, pk)
    lus_round = conversation.round
    preparations = selectors.preparations_for(conversation=conversation)
    own = next((p for p in preparations if p.role == role), None) or Preparation(conversation=conversation, role=role)
    own_topics = list(own.topics.all()) if own.pk else []
    items = selectors.conversation_items(conversation=conversation, preparations=preparations)
    common_ids = {i.pk for i in lus_round.common_items.all()}
    required = common_ids | {i.pk for i in own_topics}
    categories = lus_round.time_categories if role == Preparation.Role.LEADER else []
    data = request.POST if request.method == "POST" else None
    form = PreparationForm(
        data,
        initial=_preparation_initial(own, own_topics, categories),
        items=items,
        questions=lus_round.questions,
        categories=categories,
        role=role,
    )
    topics_form = ItemsForm(
        data,
        prefix="topics",
        choices=selectors.topic_choices(lus_round=lus_round),
        initial={"items": [t.pk for t in own_topics]},
    )
    form.set_seen(
        services.preparation_seen_token(
            preparation=own, item_ids=[i.pk for i in items], questions=len(lus_round.questions)
        )
    )
    if request.method == "POST":
        response = _preparation_post(request, conversation, role, form, topics_form, common_ids)
        if response is not None:
            return response
    services.conversation_read_log(user=request.user, conversations=conversation, parts=[_PREPARATION_PART[role]])
    previous = selectors.previous_for(user=request.user, conversation=conversation)
    if previous is not None:
        services.conversation_read_log(user=request.user, conversations=previous, parts=[AuditPart.RECORD])
    return render(
        request,
        "lus/preparation_form.html",
        {
            "conversation": conversation,
            "role": role,
            "preparation": own,
            "form": form,
            "topics_form": topics_form,
            "required": required,
            "previous": previous,
            "previous_agreements": selectors.agreements_for(conversation=previous) if previous else [],
            "plan": _activation_plan(request, conversation),
            "breadcrumbs": _conversation_crumbs(conversation, (_("Preparation"), "")),
        },
        status=400 if form.is_bound else 200,
    )


def _activation_plan(request: AuthedRequest, conversation: Conversation):
    return selectors.unit_plan_for(user=request.user, unit=conversation.leader.unit)


_PREPARATION_PART = {
    Preparation.Role.LEADER: AuditPart.LEADER_PREPARATION,
    Preparation.Role.PARTNER: AuditPart.PARTNER_PREPARATION,
}


@require_GET
def preparation_pdf(request: AuthedRequest, pk: int, role: str) -> HttpResponse:
    """A party's preparation as a PDF: one's own always, the other party's once shared
    (as on the LUS page); only the two parties, 404 for everyone else."""
    conversation, _own_role = _writable(request, pk)
    if role not in _PREPARATION_PART:
        raise Http404
    preparations = selectors.preparations_for(conversation=conversation)
    preparation = selectors.preparations_visible_to(
        conversation=conversation, user=request.user, preparations=preparations
    ).get(role)
    if preparation is None:
        raise Http404
    items = selectors.conversation_items(conversation=conversation, preparations=preparations)
    document = pdf.preparation_document(conversation=conversation, preparation=preparation, items=items)
    response = pdf.private_pdf_response(document)
    services.conversation_read_log(user=request.user, conversations=conversation, parts=[_PREPARATION_PART[role]])
    return response


@require_POST
def preparation_share(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation, role = _writable(request, pk)
    preparation = services.preparation_for(conversation=conversation, role=role)
    services.preparation_share(preparation=preparation, by=request.user)
    messages.success(request, _("Your preparation is shared with the other party."))
    return redirect("lus:conversation_detail", pk=conversation.pk)


@require_http_methods(["GET", "POST"])
def booking(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation, _role = _writable(request, pk)
    if conversation.is_locked:
        messages.error(request, _("The record is confirmed and locked: the conversation cannot be booked again."))
        return redirect("lus:conversation_detail", pk=conversation.pk)
    initial = {"duration_minutes": conversation.duration_minutes}
    if conversation.starts_at:
        local = timezone.localtime(conversation.starts_at)
        initial |= {"date": local.date(), "time": local.time(), "location": conversation.location}
    form = BookingForm(request.POST or None, initial=initial)
    form.set_seen(services.booking_seen_token(conversation=conversation))
    lus_round = conversation.round
    form.fields["date"].help_text = _(
        "Within the round, %(start)s–%(end)s. The conversations are held by %(deadline)s."
    ) % {
        "start": long_date(lus_round.period_start),
        "end": long_date(lus_round.period_end),
        "deadline": long_date(lus_round.held_by),
    }
    if request.method == "POST" and form.is_valid():
        form.apply_choices()
        starts_at = timezone.make_aware(datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"]))
        try:
            warnings = services.conversation_book(
                conversation=conversation,
                starts_at=starts_at,
                location=form.cleaned_data["location"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                version=form.seen(),
                by=request.user,
            )
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            _error(form, error)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(
                request, _("The conversation is booked and the other party is told. Download the calendar invitation.")
            )
            return redirect("lus:conversation_detail", pk=conversation.pk)
    return render(
        request,
        "lus/booking_form.html",
        {
            "form": form,
            "conversation": conversation,
            "breadcrumbs": _conversation_crumbs(conversation, (_("Booking"), "")),
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
def booking_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    if not conversation.starts_at:
        raise Http404
    # The same builder, UID and SEQUENCE as the e-mailed invitation (lus.calendar).
    ics = calendar.booking_ics(conversation=conversation)
    return ics_response(ics=ics, filename=f"lus-{conversation.pk}.ics")


def _agreement_rows(conversation: Conversation):
    return [
        {
            "id": a.pk,
            "what": a.what,
            "how": a.how,
            "due_on": a.due_on,
            "support": a.support,
            "principle": a.principle_id,
        }
        for a in conversation.agreements.all()
    ]


def _agreement_data(formset) -> list[services.AgreementData]:
    return [
        services.AgreementData(
            id=f.cleaned_data.get("id"),
            what=f.cleaned_data["what"].strip(),
            how=f.cleaned_data["how"],
            due_on=f.cleaned_data["due_on"],
            support=f.cleaned_data["support"],
            principle=f.cleaned_data["principle"],
        )
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("what", "").strip() and not f.cleaned_data.get("delete")
    ]


def _stored_agreements(conversation: Conversation) -> list[services.AgreementData]:
    """The agreements as stored (the user took the other's on the conflict page)."""
    return [
        services.AgreementData(
            id=a.pk, what=a.what, how=a.how, due_on=a.due_on, support=a.support, principle=a.principle
        )
        for a in conversation.agreements.select_related("principle")
    ]


def _record_post(request, conversation, form, formset) -> bool:
    if not (form.is_valid() and formset.is_valid()):
        return False
    form.apply_choices()
    try:
        services.record_save(
            conversation=conversation,
            notes=form.cleaned_data["notes"],
            agreements=_stored_agreements(conversation)
            if "agreements" in form.taken_from_them()
            else _agreement_data(formset),
            held_on=form.cleaned_data.get("held_on"),
            version=form.seen(),
            by=request.user,
        )
    except VersionConflict as conflict:
        form.show_conflict(conflict)
        return False
    except ValidationError as error:
        _error(form, error)
        return False
    return True


@require_http_methods(["GET", "POST"])
def record_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The record and agreements as one form. A locked (confirmed) record is shown
    read-only with a visible "start a revision" instead of fields that cannot be saved."""
    conversation, role = _writable(request, pk)
    locked = conversation.is_locked
    if request.method == "POST" and locked:
        messages.error(request, _("The record is confirmed and locked. Start a revision to change it."))
        return redirect("lus:record_edit", pk=conversation.pk)
    principles = principle_choices(lus_round=conversation.round)
    data = request.POST if request.method == "POST" else None
    form = RecordForm(
        data,
        initial={"notes": conversation.notes, "held_on": conversation.held_on},
        partner=role == Preparation.Role.PARTNER,
    )
    form.set_seen(services.record_seen_token(conversation=conversation))
    formset = AgreementFormSet(
        data, initial=_agreement_rows(conversation), prefix="agreements", form_kwargs={"principles": principles}
    )
    if request.method == "POST" and _record_post(request, conversation, form, formset):
        conversation.refresh_from_db()
        if conversation.state == Conversation.State.HELD:
            messages.success(request, _("The record is saved. Both of you confirm it."))
        else:
            messages.success(
                request, _("The record is saved. It can be confirmed once the conversation has been held.")
            )
        return redirect("lus:conversation_detail", pk=conversation.pk)
    services.conversation_read_log(user=request.user, conversations=conversation, parts=[AuditPart.RECORD])
    return render(
        request,
        "lus/record_form.html",
        {
            "form": form,
            "formset": formset,
            "conversation": conversation,
            "locked": locked,
            "agreements": selectors.agreements_for(conversation=conversation) if locked else [],
            "breadcrumbs": _conversation_crumbs(conversation, (_("Record"), "")),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def record_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The confirmed record with its agreements (the development plan for the personnel
    file), for those who may read the LUS; 404 for everyone else and before both confirmed."""
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    if not conversation.is_locked:
        raise Http404
    document = pdf.record_document(
        conversation=conversation, agreements=selectors.agreements_for(conversation=conversation)
    )
    response = pdf.private_pdf_response(document)
    services.conversation_read_log(user=request.user, conversations=conversation, parts=[AuditPart.RECORD])
    return response


@require_POST
def record_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation, role = _writable(request, pk)
    try:
        conversation = services.record_confirm(
            conversation=conversation,
            role=role,
            version=seen_number(request.POST.get(SEEN_FIELD)),
            by=request.user,
        )
    except ValidationError as error:
        messages_add_errors(request, error)
    else:
        if conversation.is_locked:
            messages.success(request, _("Both have confirmed: the record is locked."))
        else:
            messages.success(request, _("You have confirmed the record. It is locked when both have confirmed."))
    return redirect("lus:conversation_detail", pk=conversation.pk)


@require_POST
def record_revise(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation, _role = _writable(request, pk)
    try:
        services.record_revise(conversation=conversation, user=request.user)
    except ValidationError as error:
        messages_add_errors(request, error)
        return redirect("lus:conversation_detail", pk=conversation.pk)
    messages.success(request, _("A new revision is started; the confirmed one is kept."))
    return redirect("lus:record_edit", pk=conversation.pk)


@require_POST
def followup_add(request: AuthedRequest, pk: int, agreement_pk: int) -> HttpResponse:
    conversation, _role = _writable(request, pk)
    agreement = get_object_or_404(conversation.agreements.all(), pk=agreement_pk)
    form = FollowUpDateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a valid date for the follow-up talk."))
        services.followup_add(
            agreement=agreement, date=form.cleaned_data["date"], time=form.cleaned_data["time"], by=request.user
        )
    except ValidationError as error:
        messages_add_errors(request, error)
        # A refused date comes back in its field on the LUS page, once: nothing typed is lost.
        request.session[_followup_typed_key(pk)] = {
            "agreement": agreement.pk,
            "date": request.POST.get("date", "")[:20],
            "time": request.POST.get("time", "")[:10],
        }
    else:
        messages.success(request, _("The follow-up talk is added."))
    return redirect("lus:conversation_detail", pk=conversation.pk)


def _followup_typed_key(pk: int) -> str:
    return f"lus-followup-typed-{pk}"


def _followup(request: AuthedRequest, pk: int, followup_pk: int, *, write: bool) -> tuple[Conversation, FollowUp]:
    if write:
        conversation, _role = _writable(request, pk)
    else:
        conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    followup = get_object_or_404(FollowUp.objects.filter(agreement__conversation=conversation), pk=followup_pk)
    return conversation, followup


@require_http_methods(["GET", "POST"])
def followup_edit(request: AuthedRequest, pk: int, followup_pk: int) -> HttpResponse:
    conversation, followup = _followup(request, pk, followup_pk, write=True)
    form = FollowUpForm(
        request.POST or None,
        initial={"date": followup.date, "time": followup.time, "status": followup.status, "note": followup.note},
    )
    form.set_seen(services.followup_seen_token(followup=followup))
    if request.method == "POST" and form.is_valid():
        form.apply_choices()
        try:
            services.followup_update(followup=followup, **form.cleaned_data, version=form.seen(), by=request.user)
        except VersionConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect("lus:conversation_detail", pk=conversation.pk)
    services.conversation_read_log(user=request.user, conversations=conversation, parts=[AuditPart.RECORD])
    return render(
        request,
        "lus/followup_form.html",
        {
            "form": form,
            "conversation": conversation,
            "followup": followup,
            "breadcrumbs": _conversation_crumbs(conversation, (_("Follow-up"), "")),
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
def followup_ics(request: AuthedRequest, pk: int, followup_pk: int) -> HttpResponse:
    _conversation, followup = _followup(request, pk, followup_pk, write=False)
    ics = calendar.followup_ics(followup=followup)
    return ics_response(ics=ics, filename=f"lus-opfoelgning-{followup.pk}.ics")


def _share_typed_key(pk: int) -> str:
    return f"lus-share-typed-{pk}"


@require_POST
def share_add(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(access.conversations_owned_by(request.user).select_related("leader__unit"), pk=pk)
    form = PersonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write a name, a user name or an e-mail."))
        share = services.share_add(conversation=conversation, who=form.cleaned_data["who"], by=request.user)
    except ValidationError as error:
        messages_add_errors(request, error)
        request.session[_share_typed_key(pk)] = request.POST.get("who", "")[:200]  # nothing typed is lost
    else:
        messages.success(request, _("%(name)s can now read your LUS.") % {"name": share.person.name})
    return redirect("lus:conversation_detail", pk=conversation.pk)


@require_POST
def share_revoke(request: AuthedRequest, pk: int, share_pk: int) -> HttpResponse:
    conversation = get_object_or_404(access.conversations_owned_by(request.user), pk=pk)
    share = get_object_or_404(conversation.shares.all(), pk=share_pk)
    services.share_revoke(share=share, by=request.user)
    messages.success(request, _("The sharing is revoked."))
    return redirect("lus:conversation_detail", pk=conversation.pk)
