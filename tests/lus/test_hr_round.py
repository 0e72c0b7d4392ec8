"""Issue 18, point 7 (parts): HR runs a round. A leader in two open rounds is flagged in the
preview; HR reminds those who have not prepared (exactly once a day); the participation
export has people, states and dates, never content; "Over årene" has a column per round;
sharing finds a colleague by name."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from ledelse.notifications.models import Reminder
from lus import services
from lus.models import Conversation, Preparation
from lus.selectors import continuity_for, round_preview
from tests.conftest import client_for
from tests.lus.conftest import held, prepare

pytestmark = pytest.mark.django_db


def _second_round(org, lus, name="LUS 2026 ekstra"):
    return services.round_create(
        user=org.users["hr"],
        name=name,
        scope=org.units["A"],
        framework_version=lus.version,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 12, 31),
        preparation_opens=date(2026, 9, 1),
        held_by=date(2026, 11, 30),
        confirmed_by=date(2026, 12, 15),
        questions=["?"],
        time_categories=[],
    )


def test_the_preview_warns_of_a_leader_in_two_open_rounds(org, client, lus):
    second = _second_round(org, lus)
    rows = {r.leader.user.username: r for r in round_preview(lus_round=second)}
    assert rows["leader2"].other_round == "LUS 2026"
    html = client_for(client, org.users["hr"]).get(reverse("lus:round_preview", args=[second.pk])).content.decode()
    assert "Også i LUS 2026" in html and "allerede med i en anden åben runde" in html
    Conversation.objects.filter(round=lus.round).update(state=Conversation.State.CONFIRMED)
    assert not any(r.other_round for r in round_preview(lus_round=second))


def test_hr_reminds_those_who_have_not_prepared_once_a_day(org, client, lus):
    prepare(lus.conversation, Preparation.Role.LEADER, [3, 3, 3], share=False)
    client_for(client, org.users["hr"])
    url = reverse("lus:round_remind", args=[lus.round.pk])
    assert client.post(url).status_code == 302
    titles = sorted(Reminder.objects.values_list("recipient__username", "title"))
    assert titles == [
        ("koncern", "LUS med Lene Leder: HR minder dig om, at din forberedelse venter"),
        ("leader", "LUS med Kirsten Koncern: HR minder dig om, at din forberedelse venter"),
        ("leader", "LUS med Lars Leder To: HR minder dig om, at din forberedelse venter"),
    ]
    client.post(url)
    assert Reminder.objects.count() == 3  # exactly once a day
    for username in ("leader", "leader2", "koncern", "employee"):
        assert client_for(client, org.users[username]).post(url).status_code == 404


def test_the_participation_export_has_people_states_and_dates_never_content(org, client, lus):
    prepare(lus.conversation, Preparation.Role.LEADER, [3, 3, 3], note="Hemmelig note")
    held(lus.conversation, lus.principles)
    response = client_for(client, org.users["hr"]).get(reverse("lus:round_participation", args=[lus.round.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Leder", "Enhed", "Samtalepartner", "Tilstand"]
    leader2 = next(r for r in rows if r[0] == "Lars Leder To")
    assert leader2[1:6] == ["Afdeling A1", "Lene Leder", "Afholdt", "2026-09-10 10:00", "2026-09-10"]
    for secret in ("Hemmelig note", "Referatets hemmelige tekst", "Aftale 1", "Mødelokale"):
        assert secret not in text
    for username in ("leader", "leader2", "koncern", "employee"):
        url = reverse("lus:round_participation", args=[lus.round.pk])
        assert client_for(client, org.users[username]).get(url).status_code == 404


def test_over_the_years_has_one_column_per_round(org, lus):
    second = _second_round(org, lus)
    services.round_conversations_create(lus_round=second)
    later = Conversation.objects.select_related("round").get(round=second, leader=org.people["leader2"])
    assert continuity_for(conversation=later).years == ["LUS 2026", "LUS 2026 ekstra"]


def test_sharing_finds_a_colleague_by_name_in_the_region(org, client, lus):
    client_for(client, org.users["leader2"])
    url = reverse("lus:share_add", args=[lus.conversation.pk])
    client.post(url, {"who": "lise  leder tre"})
    assert list(lus.conversation.shares.values_list("person__name", flat=True)) == ["Lise Leder Tre"]
    response = client.post(url, {"who": "Ole Udenfor"}, follow=True)  # another region
    assert "Ingen i organisationen har det navn" in response.content.decode()
    assert lus.conversation.shares.count() == 1


def test_hr_previews_the_preparation_as_a_participant_sees_it_before_the_lus_exist(org, client, lus):
    lus.round.conversations.all().delete()
    url = reverse("lus:round_participant_preview", args=[lus.round.pk])
    response = client_for(client, org.users["hr"]).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tema 1" in html and "Hvad gik godt?" in html and "Ledelse på tværs" in html
    assert "Princip 1.1" in html  # what a leader may add as their own topic
    assert "Gem forberedelse" not in html  # a preview: nothing to save
    assert not Conversation.objects.filter(round=lus.round).exists()
    for username in ("leader", "leader2", "koncern", "employee"):
        assert client_for(client, org.users[username]).get(url).status_code == 404


def test_the_common_topics_are_chosen_on_the_create_form(org, client):
    from lus.models import Round
    from tests.lus.test_rounds import _round_post
    from tests.values.factories import make_framework

    version = make_framework(themes=2).current_version
    principle = version.items.get(title="Princip 2.1")
    other = make_framework(slug="anden", title="Andet grundlag", region="Region Anden").current_version
    client_for(client, org.users["hr"])
    page = client.get(reverse("lus:round_create")).content.decode()
    assert "Testgrundlag: Princip 2.1" in page
    # An item of another framework than the round's is refused, and nothing is made.
    foreign = other.items.get(title="Princip 1.1")
    response = client.post(reverse("lus:round_create"), {**_round_post(org, version), "common-items": [foreign.pk]})
    assert response.status_code == 400 and not Round.objects.exists()
    response = client.post(reverse("lus:round_create"), {**_round_post(org, version), "common-items": [principle.pk]})
    assert response.status_code == 302
    assert list(Round.objects.get().common_items.all()) == [principle]
