"""Both parties prepare: own topics (2–3), a rating 1–5 and an example per item, the general
questions and the leader's time split (adds up to 100 %); each preparation stays private to
its author until shared."""

import pytest
from django.urls import reverse

from lus.models import Conversation, Preparation, Rating
from tests.conftest import client_for
from tests.lus.conftest import prepare

pytestmark = pytest.mark.django_db


def _post(lus, scores, *, now=(25, 25, 25, 25), extra=None):
    data = {}
    for item, score in zip(lus.round.common_items.order_by("position"), scores, strict=False):
        data[f"score_{item.pk}"] = str(score)
        data[f"note_{item.pk}"] = f"Eksempel om {item.title}"
    data["answer_0"] = "Det gik godt med dialogen"
    for n, value in enumerate(now):
        data[f"time_now_{n}"] = str(value)
    data.update(extra or {})
    return data


def test_the_leader_saves_a_complete_preparation(org, client, lus):
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    response = client_for(client, org.users["leader2"]).post(url, _post(lus, [4, 3, 5]))
    assert response.status_code == 302
    prep = Preparation.objects.get(conversation=lus.conversation, role="leader")
    assert prep.prepared_at is not None and prep.shared_at is None
    assert sorted(prep.ratings.values_list("score", flat=True)) == [3, 4, 5]
    assert prep.answers[0] == "Det gik godt med dialogen"
    assert prep.time_now == {"Ledelse op": 25, "Ledelse ned": 25, "Ledelse på tværs": 25, "Ledelse ind": 25}
    lus.conversation.refresh_from_db()
    assert lus.conversation.state == Conversation.State.PREPARED


def test_a_partial_preparation_is_saved_but_not_prepared(org, client, lus):
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    client_for(client, org.users["leader2"]).post(url, _post(lus, [4], now=()))
    prep = Preparation.objects.get(conversation=lus.conversation, role="leader")
    assert prep.prepared_at is None and prep.ratings.count() == 1
    lus.conversation.refresh_from_db()
    assert lus.conversation.state == Conversation.State.NOT_STARTED


def test_a_rating_outside_1_to_5_is_refused_and_nothing_saved(org, client, lus):
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    response = client_for(client, org.users["leader2"]).post(url, _post(lus, [4, 3, 7]))
    assert response.status_code == 400
    assert "En vurdering skal være fra 1 til 5." in response.content.decode()
    assert not Rating.objects.exists()


def test_a_time_split_that_is_not_100_is_refused_and_nothing_saved(org, client, lus):
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    response = client_for(client, org.users["leader2"]).post(url, _post(lus, [4, 3, 5], now=(30, 30, 30, 30)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ledelsestiden skal give 100 % i alt." in html
    # The error is at the table as well, with its running total (120 %).
    at_table = html[html.index('id="time-error"') : html.index("</table>", html.index('id="time-error"'))]
    assert "Ledelsestiden skal give 100 % i alt." in at_table and "120 %" in at_table
    assert not Rating.objects.exists()
    assert not Preparation.objects.filter(conversation=lus.conversation).exists()  # nothing half-saved


def test_each_party_picks_2_or_3_topics(org, client, lus):
    url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
    client_for(client, org.users["leader"])
    one = {"form": "topics", "topics-items": [lus.principles[0].pk]}
    response = client.post(url, one)
    assert response.status_code == 400 and "Vælg 2 eller 3 emner." in response.content.decode()
    two = {"form": "topics", "topics-items": [p.pk for p in lus.principles[:2]]}
    assert client.post(url, two).status_code == 302
    prep = Preparation.objects.get(conversation=lus.conversation, role="partner")
    assert set(prep.topics.all()) == set(lus.principles[:2])
    # The partner's topics join the items both rate.
    page = client_for(client, org.users["leader2"]).get(url).content.decode()
    assert lus.principles[0].title in page and "den anden parts emne" in page


def test_a_preparation_is_private_until_shared(org, client, lus):
    prepare(lus.conversation, Preparation.Role.PARTNER, [2, 2, 2], note="Partnerens private note", share=False)
    detail = reverse("lus:conversation_detail", args=[lus.conversation.pk])
    assert "Partnerens private note" not in client_for(client, org.users["leader2"]).get(detail).content.decode()
    assert "Partnerens private note" in client_for(client, org.users["leader"]).get(detail).content.decode()
    client.post(reverse("lus:preparation_share", args=[lus.conversation.pk]))
    assert Preparation.objects.get(role="partner").shared_at is not None
    assert "Partnerens private note" in client_for(client, org.users["leader2"]).get(detail).content.decode()


def test_both_shared_show_the_radar_chart_and_its_numbers(org, client, lus):
    prepare(lus.conversation, Preparation.Role.LEADER, [4, 3, 2])
    prepare(lus.conversation, Preparation.Role.PARTNER, [5, 1, 3])
    html = (
        client_for(client, org.users["leader2"])
        .get(reverse("lus:conversation_detail", args=[lus.conversation.pk]))
        .content.decode()
    )
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1
    assert "lus-radar__leader" in html and "lus-radar__partner" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert ' style="' not in html
    rows = html.split('class="table table--borderless lus-table lus-ratings"', 1)[1].split("</table>", 1)[0]
    for title, leader, partner in (("Tema 1", 4, 5), ("Tema 2", 3, 1), ("Tema 3", 2, 3)):
        row = rows.split(f'<th scope="row">{title}</th>', 1)[1].split("</tr>", 1)[0]
        cells = [c.split("<", 1)[0].strip() for c in row.split("<td>")[1:]]
        assert cells == [str(leader), str(partner)]


def test_the_pdf_link_is_offered_once_there_is_a_preparation_to_print(org, client, lus):
    """Opening the page creates nothing, so before the first save there is no PDF to link to
    (the link led to a 404)."""
    client_for(client, org.users["leader2"])
    url = reverse("lus:preparation_pdf", args=[lus.conversation.pk, "leader"])
    page = client.get(reverse("lus:preparation_edit", args=[lus.conversation.pk])).content.decode()
    assert url not in page
    prepare(lus.conversation, Preparation.Role.LEADER, [3, 3, 3], share=False)
    page = client.get(reverse("lus:preparation_edit", args=[lus.conversation.pk])).content.decode()
    assert url in page
    assert client.get(url).status_code == 200
