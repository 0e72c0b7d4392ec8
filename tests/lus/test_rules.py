"""Issue 18, point 2: every LUS write rule lives in its service and has a test that fails
without it; one selector decides what a reader sees of the preparations; a GET creates no
rows; koncernledelse counts only its own region."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from ledelse.models import Person, RoleAssignment, User
from lus import access, services
from lus.models import Conversation, Preparation, Round
from lus.selectors import conversation_page_get, preparations_for, preparations_visible_to, previous_for
from tests.conftest import PASSWORD, client_for
from tests.lus.conftest import held, prepare
from tests.values.factories import make_framework

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")

GOOD = {
    "name": "LUS 2027",
    "period_start": date(2027, 1, 1),
    "period_end": date(2027, 12, 31),
    "preparation_opens": date(2027, 2, 1),
    "held_by": date(2027, 5, 1),
    "confirmed_by": date(2027, 6, 1),
    "questions": ["Hvad gik godt?"],
    "time_categories": [],
}


def _create(org, version, **changes):
    data = {**GOOD, "scope": org.units["A"], "framework_version": version, **changes}
    return services.round_create(user=org.users["hr"], **data)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"period_end": date(2026, 12, 31)}, "period_end"),
        ({"preparation_opens": date(2027, 5, 2)}, "preparation_opens"),
        ({"held_by": date(2028, 1, 15), "confirmed_by": date(2028, 2, 1)}, "held_by"),
        ({"confirmed_by": date(2027, 4, 30)}, "confirmed_by"),
        ({"questions": ["  "]}, "questions"),
    ],
)
def test_round_create_checks_its_dates_and_questions(org, changes, field):
    version = make_framework().current_version
    with pytest.raises(ValidationError) as error:
        _create(org, version, **changes)
    assert field in error.value.message_dict
    assert not Round.objects.exists()


def test_round_create_takes_a_framework_of_the_scopes_region_only(org):
    other = make_framework(slug="anden", title="Andet grundlag", region="Region Anden").current_version
    with pytest.raises(ValidationError) as error:
        _create(org, other)
    assert "framework_version" in error.value.message_dict


def test_round_create_keeps_hr_to_its_scope(org):
    version = make_framework().current_version
    with pytest.raises(ValidationError) as error:
        _create(org, version, scope=org.units["B"])
    assert "scope" in error.value.message_dict


def test_round_update_has_the_same_check_and_changes_nothing_on_error(org, client, lus):
    with pytest.raises(ValidationError):
        services.round_update(lus_round=lus.round, user=org.users["hr"], held_by=date(2027, 3, 1))
    assert Round.objects.get(pk=lus.round.pk).held_by == date(2026, 11, 30)
    response = client_for(client, org.users["hr"]).post(
        reverse("lus:round_edit", args=[lus.round.pk]),
        {
            "name": "LUS 2026",
            "period_start": "2026-08-01",
            "period_end": "2026-12-31",
            "preparation_opens": "2026-08-15",
            "held_by": "2027-03-01",
            "confirmed_by": "2027-03-15",
            "questions": "Hvad gik godt?",
            "time_categories": "",
        },
    )
    assert response.status_code == 400
    assert "skal ligge inden for perioden" in response.content.decode()
    assert Round.objects.get(pk=lus.round.pk).held_by == date(2026, 11, 30)


def test_conversations_are_booked_inside_the_round_period(org, lus):
    with pytest.raises(ValidationError):
        services.conversation_book(
            conversation=lus.conversation,
            starts_at=datetime(2027, 1, 5, 10, tzinfo=CPH),
            location="Lokale",
        )
    assert Conversation.objects.get(pk=lus.conversation.pk).starts_at is None


def test_koncernledelse_counts_only_its_own_region(org, client, lus):
    other = Person.objects.create(
        user=User.objects.create_user("koncern_ra", password=PASSWORD),
        employee_id="P10",
        name="Karen Anden",
        unit=org.units["RA"],
    )
    RoleAssignment.objects.create(person=other, role=RoleAssignment.Role.KONCERNLEDELSE, unit=org.units["RA"])
    assert not access.rounds_counted_by(other.user).exists()
    assert client_for(client, other.user).get(reverse("lus:round_detail", args=[lus.round.pk])).status_code == 404
    assert access.rounds_counted_by(org.users["koncern"]).filter(pk=lus.round.pk).exists()


def test_one_rule_for_what_a_reader_sees_of_the_preparations(org, lus):
    prepare(lus.conversation, Preparation.Role.LEADER, [3, 3, 3], share=False)
    prepare(lus.conversation, Preparation.Role.PARTNER, [2, 2, 2], share=False)
    c = Conversation.objects.select_related("leader", "partner").get(pk=lus.conversation.pk)
    preps = preparations_for(conversation=c)

    def seen(username):
        return set(preparations_visible_to(conversation=c, user=org.users[username], preparations=preps))

    assert seen("leader2") == {"leader"} and seen("leader") == {"partner"} and seen("hr") == set()
    services.preparation_share(preparation=c.preparations.get(role="partner"))
    preps = preparations_for(conversation=c)
    assert seen("leader2") == {"leader", "partner"} and seen("leader") == {"partner"}


def test_the_other_partys_unshared_preparation_is_no_pdf(org, client, lus):
    prepare(lus.conversation, Preparation.Role.PARTNER, [2, 2, 2], share=False)
    url = reverse("lus:preparation_pdf", args=[lus.conversation.pk, "partner"])
    assert client_for(client, org.users["leader2"]).get(url).status_code == 404


def test_a_get_of_the_preparation_page_creates_no_rows(org, client, lus):
    for username in ("leader2", "leader"):
        response = client_for(client, org.users[username]).get(
            reverse("lus:preparation_edit", args=[lus.conversation.pk])
        )
        assert response.status_code == 200
    assert not Preparation.objects.exists()


def test_last_times_agreements_come_from_the_previous_held_lus_only(org, lus):
    earlier = services.round_create(
        user=org.users["hr"],
        name="LUS 2025",
        scope=org.units["A"],
        framework_version=lus.version,
        period_start=date(2025, 8, 1),
        period_end=date(2025, 12, 31),
        preparation_opens=date(2025, 8, 15),
        held_by=date(2025, 11, 30),
        confirmed_by=date(2025, 12, 15),
        questions=["?"],
        time_categories=[],
    )
    services.round_conversations_create(lus_round=earlier)
    old = Conversation.objects.select_related("round").get(round=earlier, leader=org.people["leader2"])
    assert previous_for(user=org.users["leader2"], conversation=lus.conversation) is None  # not held
    Conversation.objects.filter(pk=old.pk).update(state=Conversation.State.CONFIRMED)
    assert previous_for(user=org.users["leader2"], conversation=lus.conversation) == old
    assert previous_for(user=org.users["hr"], conversation=lus.conversation) is None  # through the access rule
    # The LUS page reads the LUS and the same previous in one query, through the same rule.
    for who in ("leader2", "leader"):  # the LUS's leader and its partner
        conversation, previous = conversation_page_get(user=org.users[who], pk=lus.conversation.pk)
        assert conversation == lus.conversation and previous == previous_for(
            user=org.users[who], conversation=conversation
        )
    with pytest.raises(Http404):
        conversation_page_get(user=org.users["hr"], pk=lus.conversation.pk)


def test_the_partner_is_fixed_after_the_conversation_is_held(org, lus):
    held(lus.conversation, lus.principles)
    with pytest.raises(ValidationError):
        services.conversation_partner_set(
            conversation=lus.conversation, partner=org.people["koncern"], by=org.users["hr"]
        )
