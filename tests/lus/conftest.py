"""A LUS round on a small synthetic framework for the `org` cast: HR (scope Hospital A)
runs it, so it holds two LUS: leader2's with leader as partner, and leader's with koncern
(the leader of the region's top unit) as partner."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from django.utils import timezone

from lus import services
from lus.models import Conversation, Preparation
from tests.notifications.conftest import smtp_server  # noqa: F401  (the real SMTP server, for the worker test)
from tests.status.conftest import status_data  # noqa: F401  (a rollout, for the status page and front page figures)
from tests.values.factories import make_framework
from values.models import Item

TODAY = date(2026, 9, 1)


@pytest.fixture
def lus(org):
    return make_lus(org)


def make_lus(org):
    framework = make_framework(themes=3, principles=2)
    version = framework.current_version
    themes = list(Item.objects.filter(version=version, kind=Item.Kind.THEME).order_by("position"))
    principles = list(Item.objects.filter(version=version, kind=Item.Kind.PRINCIPLE).order_by("position"))
    lus_round = services.round_create(
        user=org.users["hr"],
        name="LUS 2026",
        scope=org.units["A"],
        framework_version=version,
        period_start=date(2026, 8, 1),
        period_end=date(2026, 12, 31),
        preparation_opens=date(2026, 8, 15),
        held_by=date(2026, 11, 30),
        confirmed_by=date(2026, 12, 15),
        questions=["Hvad gik godt?", "Hvad var svært?", "Hvad vil jeg udvikle?"],
        time_categories=["Ledelse op", "Ledelse ned", "Ledelse på tværs", "Ledelse ind"],
    )
    services.round_conversations_create(lus_round=lus_round)
    conversation = Conversation.objects.select_related("round", "leader__user", "partner__user").get(
        round=lus_round, leader=org.people["leader2"]
    )
    return SimpleNamespace(
        framework=framework,
        version=version,
        themes=themes,
        principles=principles,
        round=lus_round,
        conversation=conversation,
    )


def prepare(conversation, role, scores, *, note="Et eksempel", share=True, topics=None):
    """Save a complete preparation for `role` with the given scores for the common items."""
    prep = services.preparation_for(conversation=conversation, role=role)
    if topics:
        services.preparation_topics_set(preparation=prep, items=topics)
    items = list(conversation.round.common_items.order_by("position")) + list(topics or [])
    services.preparation_save(
        preparation=prep,
        ratings={i.pk: (s, f"{note} {n}") for n, (i, s) in enumerate(zip(items, scores, strict=False))},
        answers=["Svar 1", "", ""],
        time_now={"Ledelse op": 25, "Ledelse ned": 25, "Ledelse på tværs": 25, "Ledelse ind": 25}
        if role == Preparation.Role.LEADER
        else None,
        required_item_ids={i.pk for i in items},
    )
    if share:
        services.preparation_share(preparation=prep)
    return prep


def held(conversation, principles, *, agreements=2):
    services.conversation_book(
        conversation=conversation,
        starts_at=timezone.make_aware(datetime.combine(date(2026, 9, 10), time(10))),
        location="Mødelokale 1",
    )
    conversation.refresh_from_db()
    services.record_save(
        conversation=conversation,
        notes="Referatets hemmelige tekst",
        agreements=[
            services.AgreementData(what=f"Aftale {n}", due_on=date(2026, 10, 1), principle=principles[0])
            for n in range(1, agreements + 1)
        ],
    )
    conversation.refresh_from_db()
    return conversation


def confirmed(conversation, principles):
    held(conversation, principles)
    services.record_confirm(conversation=conversation, role=Preparation.Role.LEADER)
    return services.record_confirm(conversation=conversation, role=Preparation.Role.PARTNER)
