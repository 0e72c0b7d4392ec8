"""Demo LUS data for `seed_demo` (and so `make run`): a round in progress in Region
Midtjylland where `leder2` has an open preparation with `leder` as partner, and last year's
confirmed LUS of `leder2` with agreements and follow-ups, so the continuity views show
something. Running it again changes nothing. The texts are made-up demo notes, not
framework text."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ledelse.models import Person, Unit, User
from ledelse.selectors import person_own_leader
from lus import services
from lus.forms import DEFAULT_QUESTIONS
from lus.models import Conversation, FollowUp, Preparation, Round
from values.models import Framework, Item

FRAMEWORK = "rm-god-ledelse-og-styring"


def _framework_version():
    framework = Framework.objects.filter(slug=FRAMEWORK).select_related("current_version").first()
    if framework is None or framework.current_version is None:
        # seed_demo runs before load_frameworks in `make run`; loading is idempotent.
        from values.services import frameworks_load_all

        frameworks_load_all()
        framework = Framework.objects.select_related("current_version").get(slug=FRAMEWORK)
    return framework.current_version


@transaction.atomic
def lus_demo_seed() -> str:
    leader2 = Person.objects.filter(user__username="leder2").select_related("unit").first()
    hr = User.objects.filter(username="hr").first()
    if leader2 is None or hr is None:
        return "LUS-demo: springet over (demo-organisationen mangler)"
    version = _framework_version()
    scope = Unit.objects.get(code="RM")
    today = timezone.localdate()
    themes = list(Item.objects.filter(version=version, kind=Item.Kind.THEME).order_by("position"))
    categories = ["Ledelse op", "Ledelse ned", "Ledelse på tværs", "Ledelse ind"]
    questions = [str(q) for q in DEFAULT_QUESTIONS]

    def round_for(name: str, start):
        existing = Round.objects.filter(name=name, scope=scope).first()
        if existing:
            return existing, False
        lus_round = services.round_create(
            user=hr,
            name=name,
            scope=scope,
            framework_version=version,
            period_start=start,
            period_end=start + timedelta(days=330),
            preparation_opens=start,
            held_by=start + timedelta(days=120),
            confirmed_by=start + timedelta(days=150),
            questions=questions,
            time_categories=categories,
        )
        lus_round.common_items.set(themes[:3])
        return lus_round, True

    current, made_current = round_for(f"LUS {today.year}", today - timedelta(days=14))
    if made_current:
        services.round_conversations_create(lus_round=current)
    last, made_last = round_for(f"LUS {today.year - 1}", today - timedelta(days=14 + 365))
    if made_last:
        # Last year's round holds leder2's LUS only: the one the continuity views look back at.
        conversation = Conversation.objects.create(
            round=last, leader=leader2, partner=person_own_leader(person=leader2)
        )
        conversation = Conversation.objects.select_related("leader", "partner", "round").get(pk=conversation.pk)
        _last_year(conversation, themes)
    return f"LUS-demo: {current.name} og {last.name}"


def _last_year(conversation: Conversation, themes: list[Item]) -> None:
    lus_round = conversation.round
    items = list(lus_round.common_items.all())
    topics = themes[3:5]
    required = {i.pk for i in items} | {i.pk for i in topics}
    for role, scores, note in (
        (Preparation.Role.LEADER, [4, 3, 2, 3, 4], "Eksempel fra min praksis (demo)."),
        (Preparation.Role.PARTNER, [4, 4, 3, 2, 3], "Min iagttagelse (demo)."),
    ):
        prep = services.preparation_for(conversation=conversation, role=role)
        if role == Preparation.Role.LEADER:
            services.preparation_topics_set(preparation=prep, items=topics)
        services.preparation_save(
            preparation=prep,
            ratings={
                item.pk: (score, note)
                for item, score in zip(sorted(items + topics, key=lambda i: i.position), scores, strict=False)
            },
            answers=["Demo-svar.", "", ""],
            time_now={"Ledelse op": 20, "Ledelse ned": 50, "Ledelse på tværs": 20, "Ledelse ind": 10}
            if role == Preparation.Role.LEADER
            else None,
            time_wanted={"Ledelse op": 20, "Ledelse ned": 40, "Ledelse på tværs": 25, "Ledelse ind": 15}
            if role == Preparation.Role.LEADER
            else None,
            required_item_ids=required,
        )
        services.preparation_share(preparation=prep)
    start = lus_round.period_start + timedelta(days=60)
    services.conversation_book(
        conversation=conversation,
        starts_at=timezone.make_aware(datetime.combine(start, time(10, 0))),
        location="Mødelokale 2 (demo)",
    )
    services.record_save(
        conversation=conversation,
        notes="Demo-referat af samtalen.",
        agreements=[
            services.AgreementData(
                what="Faste dialogmøder med afsnitslederne (demo)",
                how="Hver anden uge",
                due_on=start + timedelta(days=90),
                support="Sparring med HR",
                principle=items[0],
            ),
            services.AgreementData(
                what="Afprøve en ny mødeform i MED-udvalget (demo)",
                due_on=start + timedelta(days=180),
                principle=items[2] if len(items) > 2 else None,
            ),
        ],
    )
    for role in (Preparation.Role.LEADER, Preparation.Role.PARTNER):
        services.record_confirm(conversation=conversation, role=role)
    first, second = conversation.agreements.order_by("position")
    services.followup_update(
        followup=services.followup_add(agreement=first, date=start + timedelta(days=60)),
        date=start + timedelta(days=60),
        status=FollowUp.Status.REACHED,
        note="Møderne kører (demo).",
    )
    services.followup_update(
        followup=services.followup_add(agreement=second, date=start + timedelta(days=120)),
        date=start + timedelta(days=120),
        status=FollowUp.Status.ON_TRACK,
        note="Første møde afholdt (demo).",
    )
