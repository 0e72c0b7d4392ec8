"""Issue 18, point 8: every leader gets a LUS. The organisation import's optional column
`leads_people` marks people who lead people without heading a unit (afsnitsledere); their own
leader is their unit's leader; a round includes them, and their partner is offered from their
unit's leader upwards."""

from __future__ import annotations

from datetime import date

import pytest

from ledelse.models import Person
from ledelse.organisation_import import OrganisationImportError, organisation_import
from lus import services
from lus.models import Conversation
from lus.selectors import leaders_with_partners, partner_candidates
from tests.conftest import ORG_CSV

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
    round = services.round_create(
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
    services.round_conversations_create(round=round)
    lus = Conversation.objects.select_related("leader__unit").get(round=round, leader=sofie)
    assert lus.partner == org.people["leader2"]
    assert [p.name for p in partner_candidates(conversation=lus)] == ["Lars Leder To", "Lene Leder", "Kirsten Koncern"]
