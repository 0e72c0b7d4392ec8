"""Every LUS URL with every account of the cast: leader2's LUS (leader as partner) is read by
leader2 and leader; it is a 404 to everyone else, HR and koncernledelse included; without a
user it asks for sign-in. Every response carries Cache-Control: no-store."""

from datetime import date

import pytest
from django.urls import reverse

from lus import services
from lus.models import Conversation, Preparation, Share
from tests.conftest import client_for
from tests.lus.conftest import held, prepare

pytestmark = pytest.mark.django_db

READERS = ["leader2", "leader"]
OTHERS = ["leader3", "employee", "hr", "koncern", "outsider", "admin"]


@pytest.fixture
def state(org, lus):
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2])
    prepare(c, Preparation.Role.PARTNER, [3, 3, 3])
    held(c, lus.principles)
    agreement = c.agreements.first()
    followup = services.followup_add(agreement=agreement, date=date(2026, 11, 1))
    share = Share.objects.create(conversation=c, person=org.people["hr"], revoked_at="2026-09-01T10:00Z")
    return c, agreement, followup, share


def _get_urls(c, agreement, followup, share):
    return [
        reverse("lus:conversation_detail", args=[c.pk]),
        reverse("lus:preparation_edit", args=[c.pk]),
        reverse("lus:booking", args=[c.pk]),
        reverse("lus:booking_ics", args=[c.pk]),
        reverse("lus:record_edit", args=[c.pk]),
        reverse("lus:followup_edit", args=[c.pk, followup.pk]),
        reverse("lus:followup_ics", args=[c.pk, followup.pk]),
    ]


def _post_urls(c, agreement, followup, share):
    return [
        (reverse("lus:preparation_share", args=[c.pk]), {}),
        (reverse("lus:preparation_edit", args=[c.pk]), {"form": "topics"}),
        (reverse("lus:booking", args=[c.pk]), {"date": "2026-09-20", "time": "09:00", "location": "X"}),
        (reverse("lus:record_edit", args=[c.pk]), {"notes": "Ændret"}),
        (reverse("lus:record_confirm", args=[c.pk]), {}),
        (reverse("lus:record_revise", args=[c.pk]), {}),
        (reverse("lus:followup_add", args=[c.pk, agreement.pk]), {"date": "2026-11-15"}),
        (reverse("lus:followup_edit", args=[c.pk, followup.pk]), {"date": "2026-11-02", "status": "naaet"}),
        (reverse("lus:share_add", args=[c.pk]), {"who": "leader3"}),
        (reverse("lus:share_revoke", args=[c.pk, share.pk]), {}),
    ]


def _fingerprint(c: Conversation):
    c = Conversation.objects.get(pk=c.pk)
    return (
        c.notes,
        c.starts_at,
        c.leader_confirmed_at,
        c.partner_confirmed_at,
        c.revision,
        list(c.preparations.values_list("role", "shared_at")),
        list(Share.objects.filter(conversation=c).values_list("person_id", "revoked_at")),
        list(c.agreements.values_list("followups__date", "followups__status")),
    )


@pytest.mark.parametrize("username", READERS)
def test_the_leader_and_the_partner_open_every_page(org, client, state, username):
    client_for(client, org.users[username])
    for url in _get_urls(*state):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.parametrize("username", OTHERS)
def test_everyone_else_gets_a_404_on_every_page(org, client, state, username):
    client_for(client, org.users[username])
    for url in _get_urls(*state):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "no-store" in response["Cache-Control"], url
        assert "Referatets hemmelige tekst" not in response.content.decode()


@pytest.mark.parametrize("username", OTHERS)
def test_everyone_else_changes_nothing(org, client, state, username):
    before = _fingerprint(state[0])
    client_for(client, org.users[username])
    for url, data in _post_urls(*state):
        assert client.post(url, data).status_code == 404, url
    assert _fingerprint(state[0]) == before


def test_no_user_is_asked_to_sign_in_everywhere(client, state):
    for url in _get_urls(*state) + [u for u, _d in _post_urls(*state)]:
        response = (
            client.post(url) if url.endswith(("/del/", "/bekraeft/", "/revision/", "/fjern/")) else client.get(url)
        )
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert client.get(reverse("lus:overview")).status_code == 302
    assert client.get(reverse("lus:export")).status_code == 302


def test_only_the_leader_shares_their_lus(org, client, state):
    c, _a, _f, share = state
    client_for(client, org.users["leader"])
    assert client.post(reverse("lus:share_add", args=[c.pk]), {"who": "leader3"}).status_code == 404
    assert client.post(reverse("lus:share_revoke", args=[c.pk, share.pk])).status_code == 404
    assert not Share.objects.filter(person=org.people["leader3"]).exists()


def test_a_revoked_share_reads_nothing(org, client, state):
    """hr's share in the fixture is revoked: hr still gets 404 (checked above); an active
    share lets the person read, read-only."""
    c = state[0]
    client_for(client, org.users["leader2"]).post(reverse("lus:share_add", args=[c.pk]), {"who": "leader3"})
    client_for(client, org.users["leader3"])
    assert client.get(reverse("lus:conversation_detail", args=[c.pk])).status_code == 200
    assert client.get(reverse("lus:preparation_edit", args=[c.pk])).status_code == 404
    assert client.post(reverse("lus:record_edit", args=[c.pk]), {"notes": "x"}).status_code == 404
    share = Share.objects.get(person=org.people["leader3"], revoked_at__isnull=True)
    client_for(client, org.users["leader2"]).post(reverse("lus:share_revoke", args=[c.pk, share.pk]))
    assert (
        client_for(client, org.users["leader3"]).get(reverse("lus:conversation_detail", args=[c.pk])).status_code == 404
    )


def test_sharing_with_someone_outside_the_organisation_is_refused(org, client, state):
    c = state[0]
    client_for(client, org.users["leader2"])
    for who in ("nobody@example.org", "outsider", ""):
        response = client.post(reverse("lus:share_add", args=[c.pk]), {"who": who}, follow=True)
        assert "Ingen i organisationen" in response.content.decode() or "Skriv et navn" in response.content.decode()
    assert not Share.objects.filter(revoked_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [("hr", 200), ("koncern", 200), ("leader", 404), ("leader2", 404), ("employee", 404), ("outsider", 404)],
)
def test_the_round_pages_are_for_hr_and_koncernledelse(org, client, state, username, status):
    lus_round = state[0].round
    client_for(client, org.users[username])
    assert client.get(reverse("lus:round_detail", args=[lus_round.pk])).status_code == status
    assert client.get(reverse("lus:round_list")).status_code == status


@pytest.mark.parametrize("username", ["koncern", "leader", "employee", "outsider"])
def test_only_hr_in_scope_edits_and_previews_the_round(org, client, state, username):
    lus_round = state[0].round
    client_for(client, org.users[username])
    for name in ("round_edit", "round_preview"):
        assert client.get(reverse(f"lus:{name}", args=[lus_round.pk])).status_code == 404
        assert client.post(reverse(f"lus:{name}", args=[lus_round.pk]), {}).status_code == 404


def test_the_overview_lists_a_lus_for_leader_and_partner_only(org, client, state):
    c = state[0]
    url = reverse("lus:conversation_detail", args=[c.pk])
    for username in READERS:
        assert url in client_for(client, org.users[username]).get(reverse("lus:overview")).content.decode()
    for username in OTHERS:
        response = client_for(client, org.users[username]).get(reverse("lus:overview"))
        assert response.status_code == 200 and url not in response.content.decode()
