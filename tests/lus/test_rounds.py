"""HR creates a round for its scope, previews who talks with whom, creates the LUS (again
adds only what is missing), changes a partner and follows the round; koncernledelse sees
counts only."""

from datetime import date

import pytest
from django.urls import reverse

from ledelse.models import Person, RoleAssignment, User
from ledelse.selectors import person_own_leader
from lus import services
from lus.models import Conversation, Round
from lus.selectors import leaders_with_partners, round_preview
from tests.conftest import client_for
from tests.values.factories import make_framework

pytestmark = pytest.mark.django_db


def _round_post(org, version, **changes):
    data = {
        "name": "LUS 2027",
        "scope": org.units["A"].pk,
        "framework_version": version.pk,
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "preparation_opens": "2027-02-01",
        "held_by": "2027-05-01",
        "confirmed_by": "2027-06-01",
        "questions": "Hvad gik godt?\nHvad vil jeg udvikle?",
        "time_categories": "",
    }
    data.update(changes)
    return data


def test_hr_creates_a_round_with_the_framework_themes_as_categories(org, client):
    version = make_framework(themes=2).current_version
    response = client_for(client, org.users["hr"]).post(reverse("lus:round_create"), _round_post(org, version))
    lus_round = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("lus:round_preview", args=[lus_round.pk])
    assert lus_round.questions == ["Hvad gik godt?", "Hvad vil jeg udvikle?"]
    assert lus_round.time_categories == ["Tema 1", "Tema 2"]
    assert [i.title for i in lus_round.common_items.order_by("position")] == ["Tema 1", "Tema 2"]
    assert lus_round.region == org.region and lus_round.created_by == org.users["hr"]


def test_a_round_with_dates_out_of_order_is_refused_in_danish(org, client):
    version = make_framework().current_version
    response = client_for(client, org.users["hr"]).post(
        reverse("lus:round_create"), _round_post(org, version, held_by="2027-01-15")
    )
    assert response.status_code == 400
    html = response.content.decode()
    # The message names the fields and the dates, so HR knows what to change.
    assert (
        "“Forberedelsen åbner” (1. februar 2027) skal ligge på eller før “Samtaler afholdt senest” (15. januar 2027)"
        in html
    )
    assert not Round.objects.exists()


def test_hr_cannot_create_a_round_outside_its_scope(org, client):
    version = make_framework().current_version
    response = client_for(client, org.users["hr"]).post(
        reverse("lus:round_create"), _round_post(org, version, scope=org.units["B"].pk)
    )
    assert response.status_code == 400 and not Round.objects.exists()


@pytest.mark.parametrize("username", ["leader", "employee", "koncern"])
def test_only_hr_creates_rounds(org, client, username):
    version = make_framework().current_version
    client_for(client, org.users[username])
    assert client.get(reverse("lus:round_create")).status_code == 404
    assert client.post(reverse("lus:round_create"), _round_post(org, version)).status_code == 404
    assert not Round.objects.exists()


def test_no_user_is_sent_to_sign_in(org, client):
    response = client.get(reverse("lus:round_create"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_bulk_partners_agree_with_person_own_leader(org):
    pairs = leaders_with_partners(scope=org.units["RT"])
    assert {leader.pk: partner for leader, partner in pairs} == {
        p.pk: person_own_leader(person=p) for p in Person.objects.filter(is_leader=True, unit__region=org.region)
    }
    explicit = org.people["leader3"]
    explicit.own_leader = org.people["leader"]
    explicit.save()
    assert dict(leaders_with_partners(scope=org.units["B"]))[explicit] == org.people["leader"]


def test_the_preview_shows_who_with_whom_and_flags_a_missing_partner(org, client, lus):
    lus.round.conversations.filter(leader=org.people["leader"]).delete()
    page = client_for(client, org.users["hr"]).get(reverse("lus:round_preview", args=[lus.round.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lars Leder To" in html and "Lene Leder" in html and "Kirsten Koncern" in html
    assert "1 LUS mangler" in html
    RoleAssignment.objects.create(person=org.people["hr"], role=RoleAssignment.Role.HR, unit=org.units["RT"])
    region_round = services.round_create(
        user=User.objects.get(username="hr"),  # a fresh user: the roles are cached on it
        name="Hele regionen",
        scope=org.units["RT"],
        framework_version=lus.version,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        preparation_opens=date(2026, 2, 1),
        held_by=date(2026, 6, 1),
        confirmed_by=date(2026, 7, 1),
        questions=["?"],
        time_categories=[],
    )
    rows = {r.leader.user.username: r for r in round_preview(lus_round=region_round)}

    assert rows["koncern"].partner is None and rows["leader3"].partner == org.people["koncern"]


def test_creating_again_adds_only_what_is_missing(org, client, lus):
    assert lus.round.conversations.count() == 2
    assert services.round_conversations_create(lus_round=lus.round) == 0
    lus.round.conversations.filter(leader=org.people["leader"]).delete()
    response = client_for(client, org.users["hr"]).post(reverse("lus:round_preview", args=[lus.round.pk]))
    assert response.status_code == 302
    assert lus.round.conversations.count() == 2
    assert lus.conversation.pk in lus.round.conversations.values_list("pk", flat=True)


def test_the_partner_is_the_leaders_own_leader(org, lus):
    pairs = {c.leader.user.username: c.partner.user.username for c in lus.round.conversations.all()}
    assert pairs == {"leader2": "leader", "leader": "koncern"}


def test_hr_changes_a_partner_but_never_to_the_leader_themself(org, client, lus):
    client_for(client, org.users["hr"])
    url = reverse("lus:conversation_partner", args=[lus.conversation.pk])
    response = client.post(url, {"partner": org.people["leader2"].pk})
    assert response.status_code == 400 and "Marker en gyldig valgmulighed" in response.content.decode()
    page = client.get(url).content.decode()
    options = page[page.index('name="partner"') : page.index("</select>", page.index('name="partner"'))]
    assert "Kirsten Koncern" in options and "Lars Leder To" not in options
    assert client.post(url, {"partner": org.people["koncern"].pk}).status_code == 302
    lus.conversation.refresh_from_db()
    assert lus.conversation.partner == org.people["koncern"]


@pytest.mark.parametrize("username", ["leader", "leader2", "leader3", "koncern", "employee"])
def test_only_hr_in_scope_changes_partners(org, client, lus, username):
    url = reverse("lus:conversation_partner", args=[lus.conversation.pk])
    data = {"partner": org.people["koncern"].pk}
    assert client_for(client, org.users[username]).post(url, data).status_code == 404
    lus.conversation.refresh_from_db()
    assert lus.conversation.partner == org.people["leader"]


def test_hr_follows_the_round_with_people_and_states_but_no_text(org, client, lus):
    from tests.lus.conftest import held

    held(lus.conversation, lus.principles)
    html = client_for(client, org.users["hr"]).get(reverse("lus:round_detail", args=[lus.round.pk])).content.decode()
    assert "Lars Leder To" in html and "Afholdt" in html and "Afdeling A1" in html
    assert "Referatets hemmelige tekst" not in html and "Aftale 1" not in html


def test_koncernledelse_sees_counts_only(org, client, lus):
    response = client_for(client, org.users["koncern"]).get(reverse("lus:round_detail", args=[lus.round.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lars Leder To" not in html and "Lene Leder" not in html
    # The masked figures of the status page (lus.masking), not the count by state.
    assert "Ikke startet</th><td>2</td>" not in html.replace("\n", "") and "skjult" in html


@pytest.mark.parametrize("username", ["leader", "leader2", "employee", "outsider"])
def test_others_do_not_see_the_round(org, client, lus, username):
    assert (
        client_for(client, org.users[username]).get(reverse("lus:round_detail", args=[lus.round.pk])).status_code == 404
    )


def test_hr_edits_the_questions_and_common_items(org, client, lus):
    client_for(client, org.users["hr"])
    url = reverse("lus:round_edit", args=[lus.round.pk])
    data = _round_post(
        org,
        lus.version,
        name="LUS 2026 (rettet)",
        period_start="2026-08-01",
        period_end="2026-12-31",
        preparation_opens="2026-08-15",
        held_by="2026-11-30",
        confirmed_by="2026-12-15",
        questions="Ny fælles spørgsmål",
        time_categories="A\nB",
    )
    data["common-items"] = [lus.principles[0].pk]
    assert client.post(url, data).status_code == 302
    lus.round.refresh_from_db()
    assert lus.round.name == "LUS 2026 (rettet)" and lus.round.questions == ["Ny fælles spørgsmål"]
    assert list(lus.round.common_items.all()) == [lus.principles[0]]
    assert client_for(client, org.users["leader"]).post(url, data).status_code == 404


def test_overdue_ones_are_counted(org, lus):
    from lus.selectors import round_status

    assert round_status(lus_round=lus.round, today=date(2026, 12, 1)).overdue == 2
    assert round_status(lus_round=lus.round, today=date(2026, 9, 1)).overdue == 0
    assert Conversation.objects.count() == 2
