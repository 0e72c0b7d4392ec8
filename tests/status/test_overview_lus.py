"""Mit overblik lists the LUS that wait for the person and their own agreements to follow
up, with the round's name, the other party and dates only: never the LUS content."""

from __future__ import annotations

from datetime import date

from ledelse.status.overview import overview_for
from lus.models import Preparation
from tests.lus.conftest import confirmed, make_lus, prepare


def _group(overview, key):
    return next(g for g in overview.groups if g.key == key)


def test_both_parties_see_the_lus_to_prepare(org):
    data = make_lus(org)
    for name in ("leader2", "leader"):
        group = _group(overview_for(user=org.users[name], today=date(2026, 9, 1)), "lus")
        assert [i.title for i in group.items].count("LUS 2026") >= 1
        assert all("/lus/" in i.url for i in group.items)
    assert data.conversation.leader.user == org.users["leader2"]


def test_nothing_waits_before_the_preparation_opens(org):
    make_lus(org)
    assert _group(overview_for(user=org.users["leader2"], today=date(2026, 8, 1)), "lus").count == 0


def test_others_do_not_see_the_lus(org):
    make_lus(org)
    for name in ("leader3", "employee", "hr"):
        assert _group(overview_for(user=org.users[name], today=date(2026, 9, 1)), "lus").count == 0


def test_a_confirmed_lus_no_longer_waits_and_its_agreements_come_up_when_due(org):
    data = make_lus(org)
    prepare(data.conversation, Preparation.Role.LEADER, [3, 4, 5])
    confirmed(data.conversation, data.principles)
    overview = overview_for(user=org.users["leader2"], today=date(2026, 9, 25))
    assert "LUS 2026" not in [
        i.title for i in _group(overview, "lus").items if i.url.endswith(f"/{data.conversation.pk}/")
    ]
    agreements = _group(overview, "lus-agreements")
    assert agreements.count == 2 and {i.due_on for i in agreements.items} == {date(2026, 10, 1)}
    # Only the leader's own agreements, and no agreement text on the front page.
    assert _group(overview_for(user=org.users["leader"], today=date(2026, 9, 25)), "lus-agreements").count == 0
    assert all("Aftale" not in i.title and "Aftale 1" not in i.note for i in agreements.items)


def test_the_front_page_shows_no_lus_content(client, org):
    data = make_lus(org)
    prepare(data.conversation, Preparation.Role.LEADER, [3, 4, 5], note="Hemmeligt eksempel")
    confirmed(data.conversation, data.principles)
    client.force_login(org.users["leader2"])
    html = client.get("/").content.decode()
    assert "Hemmeligt eksempel" not in html and "Referatets hemmelige tekst" not in html and "Aftale 1" not in html
