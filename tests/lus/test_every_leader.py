"""Issue 18, point 8: every leader gets a LUS. The organisation import's optional column
`leads_people` marks people who lead people without heading a unit (afsnitsledere); their own
leader is their unit's leader; a round includes them, and their partner is offered from their
unit's leader upwards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledelse.models import Person
from ledelse.organisation_import import OrganisationImportError, organisation_import
from lus import services
from lus.models import Conversation, Round
from lus.selectors import leaders_with_partners, partner_candidates
from tests.conftest import ORG_CSV, PASSWORD

pytestmark = pytest.mark.django_db

SECTION = "person,P9,Sofie Afsnit,,,sofie@example.org,sofie,Afsnitsleder,A1,nej,,,ja\n"


def _with_column(text: str) -> str:
    lines = text.splitlines()
    return "\n".join([lines[0] + ",leads_people"] + [line + "," for line in lines[1:]]) + "\n"


def test_the_import_marks_people_who_lead_without_heading_a_unit(db):
    organisation_import(text=_with_column(ORG_CSV) + SECTION)
    sofie = Person.objects.get(employee_id="P9")
    assert sofie.leads_people and not sofie.is_leader
    assert not Person.objects.filter(leads_people=True).exclude(pk=sofie.pk).exists()
    # A file without the column leaves the mark as it is.
    organisation_import(text=ORG_CSV)
    assert Person.objects.get(employee_id="P9").leads_people


@pytest.mark.parametrize(
    "row, reason",
    [
        ("person,P9,Sofie Afsnit,,,sofie@example.org,sofie,Afsnitsleder,A1,nej,,,måske\n", "leads_people skal være ja"),
        ("person,P9,Sofie Afsnit,,,sofie@example.org,sofie,Afsnitsleder,A1a,ja,,,ja\n", "begge ja"),
    ],
)
def test_a_bad_leads_people_value_is_refused_with_its_line(db, row, reason):
    with pytest.raises(OrganisationImportError) as error:
        organisation_import(text=_with_column(ORG_CSV) + row)
    assert any(reason in text for _line, text in error.value.errors)
    assert not Person.objects.exists()


def test_a_round_gives_them_a_lus_with_their_units_leader(org):
    sofie = Person.objects.create(
        employee_id="P9", name="Sofie Afsnit", unit=org.units["A1"], is_leader=False, leads_people=True
    )
    pairs = dict(leaders_with_partners(scope=org.units["A"]))
    assert pairs[sofie] == org.people["leader2"]
    assert pairs[org.people["leader2"]] == org.people["leader"]
    assert org.people["employee"] not in pairs


def test_their_lus_is_made_and_hr_may_choose_a_partner_above_their_unit_leader(org):
    from tests.values.factories import make_framework

    version = make_framework().current_version
    sofie = Person.objects.create(
        employee_id="P9", name="Sofie Afsnit", unit=org.units["A1"], is_leader=False, leads_people=True
    )
    lus_round = services.round_create(
        user=org.users["hr"],
        name="LUS 2027",
        scope=org.units["A"],
        framework_version=version,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
        preparation_opens=date(2027, 2, 1),
        held_by=date(2027, 5, 1),
        confirmed_by=date(2027, 6, 1),
        questions=["?"],
        time_categories=[],
    )
    services.round_conversations_create(lus_round=lus_round)
    lus = Conversation.objects.select_related("leader__unit").get(round=lus_round, leader=sofie)
    assert lus.partner == org.people["leader2"]
    assert [p.name for p in partner_candidates(conversation=lus)] == ["Lars Leder To", "Lene Leder", "Kirsten Koncern"]


# --- The figures count them like any other leader -------------------------------------------


def _section_leaders(org, unit_code: str, n: int, *, first_user: str | None = None) -> list[Person]:
    """`n` people who lead people in `unit_code` without heading it; the first may sign in."""
    from ledelse.models import User

    people = []
    for i in range(n):
        user = None
        if i == 0 and first_user:
            user = User.objects.create_user(first_user, email=f"{first_user}@example.org", password=PASSWORD)
        people.append(
            Person.objects.create(
                user=user,
                employee_id=f"S{unit_code}{i}",
                name=f"Afsnitsleder {unit_code} {i}",
                unit=org.units[unit_code],
                is_leader=False,
                leads_people=True,
            )
        )
    return people


def _round(org, status_data, scope: str, **dates) -> Round:
    today = status_data.today
    lus_round = Round.objects.create(
        name=f"LUS {scope}",
        region=org.units[scope].region,
        scope=org.units[scope],
        framework_version=status_data.framework.current_version,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=200),
        preparation_opens=today - timedelta(days=30),
        held_by=dates.get("held_by", today + timedelta(days=60)),
        confirmed_by=today + timedelta(days=90),
    )
    services.round_conversations_create(lus_round=lus_round)
    return lus_round


def test_the_status_page_and_the_front_page_count_their_lus(client, org, status_data):
    # Hospital A: leader, leader2 and three section leaders in A1; with koncern (at the
    # region itself) the group of the other leaders is 6. Hospital B: leader3 and five
    # section leaders, a group of its own. Three section leaders in each group have held theirs.
    in_a = _section_leaders(org, "A1", 3)
    in_b = _section_leaders(org, "B", 5)
    lus_round = _round(org, status_data, "RT")
    assert lus_round.conversations.count() == 4 + 8
    Conversation.objects.filter(round=lus_round, leader__in=[*in_a, *in_b[:3]]).update(state=Conversation.State.HELD)

    client.force_login(org.users["koncern"])
    report = client.get(f"/status/?rollout={status_data.rollout.pk}&lus={lus_round.pk}").context["lus"]
    assert [(g.label, g.total, g.cell("held")) for g in report.groups] == [
        ("Hospital B", 6, 3),
        ("Øvrige ledere i Region Test", 6, 3),
    ]
    assert report.total.total == 12 and report.total.cell("held") == 6
    # The front page's key figures: the same round, the same counts.
    key_figures = client.get("/").context["overview"].key_figures
    assert key_figures.lus_round == lus_round
    assert (key_figures.lus_total, key_figures.lus_held) == (12, 6)


def test_hr_and_the_section_leader_see_their_lus_on_the_front_page(client, org, status_data):
    (sofie, *_others) = _section_leaders(org, "A1", 3, first_user="sofie")
    # Hospital A's round, its deadline for holding passed: leader, leader2 and the three are behind.
    lus_round = _round(org, status_data, "A", held_by=status_data.today - timedelta(days=1))
    assert lus_round.conversations.count() == 5
    client.force_login(org.users["hr"])
    html = client.get("/").content.decode()
    assert "Venter på HR" in html and "5 LUS bagud" in html
    # The section leader's own LUS waits for them, with their unit's leader as partner.
    client.force_login(sofie.user)
    waiting = next(g for g in client.get("/").context["overview"].groups if g.key == "lus")
    assert [(i.title, i.note) for i in waiting.items] == [("LUS A", "Forbered · Lars Leder To")]
