"""The LUS documents: a party's preparation and the confirmed record with its agreements
(the development plan for the personnel file). Opened with pypdf: titles, the agreements'
text with æøå intact, metadata; only those who may read the LUS get them (404 for everyone
else, HR and koncernledelse included), every download is audited, nothing is cached."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ledelse.audit.models import AuditEntry
from lus import services
from lus.models import Preparation, Share
from tests.conftest import client_for
from tests.documents.conftest import _media_root, assert_is_a_good_pdf, text_of  # noqa: F401
from tests.lus.conftest import held, prepare

pytestmark = pytest.mark.django_db

READERS = ["leader2", "leader"]
OTHERS = ["leader3", "employee", "hr", "koncern"]
HOSTILE = '<img src="file:///etc/passwd">'


@pytest.fixture
def confirmed_lus(org, lus):
    c = lus.conversation
    prepare(c, Preparation.Role.LEADER, [4, 3, 2], note="Jeg øver mig i åben dialog")
    prepare(c, Preparation.Role.PARTNER, [3, 3, 3], share=False)
    held(c, lus.principles)
    services.record_save(
        conversation=c,
        notes=f"Vi talte om tillid. {HOSTILE}",
        agreements=[
            services.AgreementData(
                what="Styrke den åbne dialog i ledergruppen",
                how="Månedlige møder med ærlig feedback",
                due_on=date(2026, 11, 1),
                support="Sparring med lederen",
                principle=lus.principles[0],
            ),
            services.AgreementData(what="Færre møder, mere nærvær", due_on=date(2026, 12, 1)),
        ],
    )
    services.record_confirm(conversation=c, role=Preparation.Role.LEADER)
    services.record_confirm(conversation=c, role=Preparation.Role.PARTNER)
    c.refresh_from_db()
    return c


def _record_url(c):
    return reverse("lus:record_pdf", args=[c.pk])


def _preparation_url(c, role):
    return reverse("lus:preparation_pdf", args=[c.pk, role])


def test_the_development_plan_holds_the_agreements_with_aeoeaa_and_metadata(org, client, confirmed_lus):
    response = client_for(client, org.users["leader2"]).get(_record_url(confirmed_lus))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    r = assert_is_a_good_pdf(response.content, title=f"Udviklingsplan: {org.people['leader2'].name}")
    assert "LUS 2026" in r.metadata.subject
    text = text_of(response.content)
    assert "Udviklingsplan" in text
    for expected in (
        "Styrke den åbne dialog i ledergruppen",
        "Månedlige møder med ærlig feedback",
        "Færre møder, mere nærvær",
        "Sparring med lederen",
        org.people["leader"].name,
    ):
        assert expected in text, expected
    # User text prints as text and fetches nothing.
    assert "file:///etc/passwd" in text


def test_the_preparation_shows_its_authors_ratings_and_answers(org, client, confirmed_lus):
    response = client_for(client, org.users["leader2"]).get(_preparation_url(confirmed_lus, "leader"))
    assert response.status_code == 200
    r = assert_is_a_good_pdf(response.content, title=f"LUS-forberedelse: {org.people['leader2'].name}")
    assert r.metadata.author == org.people["leader2"].name
    text = text_of(response.content)
    assert "Lederens forberedelse" in text
    assert "Jeg øver mig i åben dialog" in text
    assert "Hvad gik godt?" in text and "Svar 1" in text
    assert "Ledelse på tværs" in text


@pytest.mark.parametrize("username", READERS)
def test_the_leader_and_the_partner_download_the_development_plan(org, client, confirmed_lus, username):
    response = client_for(client, org.users[username]).get(_record_url(confirmed_lus))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("username", OTHERS)
def test_everyone_else_gets_a_404_for_every_document(org, client, confirmed_lus, username):
    client_for(client, org.users[username])
    for url in (
        _record_url(confirmed_lus),
        _preparation_url(confirmed_lus, "leader"),
        _preparation_url(confirmed_lus, "partner"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "no-store" in response["Cache-Control"], url
        assert response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(object_type="lus.conversation").exists()


def test_no_user_is_asked_to_sign_in(client, confirmed_lus):
    for url in (_record_url(confirmed_lus), _preparation_url(confirmed_lus, "leader")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_someone_the_leader_shares_with_reads_the_development_plan_but_not_a_preparation(org, client, confirmed_lus):
    Share.objects.create(conversation=confirmed_lus, person=org.people["leader3"])
    client_for(client, org.users["leader3"])
    assert client.get(_record_url(confirmed_lus)).status_code == 200
    assert client.get(_preparation_url(confirmed_lus, "leader")).status_code == 404


def test_a_preparation_is_only_its_authors_until_shared(org, client, confirmed_lus):
    """The partner's preparation is not shared: the leader gets a 404, the partner their own;
    the leader's is shared, so the partner gets it."""
    assert client_for(client, org.users["leader2"]).get(_preparation_url(confirmed_lus, "partner")).status_code == 404
    assert client_for(client, org.users["leader"]).get(_preparation_url(confirmed_lus, "partner")).status_code == 200
    assert client_for(client, org.users["leader"]).get(_preparation_url(confirmed_lus, "leader")).status_code == 200
    assert client_for(client, org.users["leader"]).get(_preparation_url(confirmed_lus, "nobody")).status_code == 404


def test_the_development_plan_waits_for_both_confirmations(org, client, lus):
    held(lus.conversation, lus.principles)
    services.record_confirm(conversation=lus.conversation, role=Preparation.Role.LEADER)
    assert client_for(client, org.users["leader2"]).get(_record_url(lus.conversation)).status_code == 404


def test_every_download_is_audited_like_a_page_read(org, client, confirmed_lus):
    """The same document twice, by two readers: three entries (nothing served from a cache
    skips the log)."""
    client_for(client, org.users["leader2"]).get(_record_url(confirmed_lus))
    client_for(client, org.users["leader"]).get(_record_url(confirmed_lus))
    client_for(client, org.users["leader"]).get(_record_url(confirmed_lus))
    client_for(client, org.users["leader"]).get(_preparation_url(confirmed_lus, "leader"))
    reads = AuditEntry.objects.filter(action="read", object_type="lus.conversation")
    entries = sorted(reads.values_list("actor__username", "object_id", "detail"))
    pk = str(confirmed_lus.pk)
    assert entries == sorted(
        [
            ("leader2", pk, "record"),
            ("leader", pk, "record"),
            ("leader", pk, "record"),
            ("leader", pk, "preparation-leader"),
        ]
    )


def test_the_documents_are_one_click_from_the_lus_pages(org, client, confirmed_lus):
    client_for(client, org.users["leader2"])
    detail = client.get(reverse("lus:conversation_detail", args=[confirmed_lus.pk])).content.decode()
    assert _record_url(confirmed_lus) in detail
    assert _preparation_url(confirmed_lus, "leader") in detail
    assert _preparation_url(confirmed_lus, "partner") not in detail  # not shared
    assert (
        _record_url(confirmed_lus) in client.get(reverse("lus:record_edit", args=[confirmed_lus.pk])).content.decode()
    )


def test_the_preparation_page_links_its_own_pdf(org, client, lus):
    """Once there is a preparation to print (opening the page creates none: see
    tests/lus/test_preparation.py)."""
    prepare(lus.conversation, Preparation.Role.PARTNER, [3, 3, 3], share=False)
    html = client_for(client, org.users["leader"]).get(reverse("lus:preparation_edit", args=[lus.conversation.pk]))
    assert _preparation_url(lus.conversation, "partner") in html.content.decode()


def test_the_rating_scale_reads_the_same_on_the_page_and_in_the_pdf(org, client, confirmed_lus):
    scale = "Skala: 1 = slet ikke, 2 = i mindre grad, 3 = i nogen grad, 4 = i høj grad, 5 = i meget høj grad."
    client_for(client, org.users["leader2"])
    page = client.get(reverse("lus:preparation_edit", args=[confirmed_lus.pk])).content.decode()
    assert scale in page
    pdf_text = " ".join(text_of(client.get(_preparation_url(confirmed_lus, "leader")).content).split())
    assert scale in pdf_text
