from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dialogues.models import Plan
from ledelse.models import Person, Unit, User
from ledelse.notifications.models import Reminder

SMALL = ["--units", "20", "--people", "120", "--leaders", "30", "--notifications", "300"]


@pytest.mark.django_db
def test_it_builds_a_valid_tree_with_a_plan_per_unit(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_scale", *SMALL, stdout=out)
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    region_units = Unit.objects.filter(code__startswith="scale-").count() + 1
    assert region_units == 20
    assert Person.objects.count() == User.objects.count() == 120
    assert not User.objects.first().has_usable_password()
    assert Plan.objects.count() == 20
    assert set(Plan.objects.values_list("state", flat=True)) <= set(Plan.State.values)
    assert Reminder.objects.count() == 300
    assert "notifikationer: 300" in out.getvalue()


@pytest.mark.django_db
def test_it_gives_the_region_med_committees_led_by_the_units_leaders(settings):
    from ledelse.models import MedCommittee, MedMembership

    settings.DEBUG = True
    call_command("seed_scale", *SMALL, stdout=StringIO())
    kinds = dict(MedCommittee.objects.values_list("unit__depth", "kind").distinct())
    assert kinds[1] == "hovedudvalg" and kinds[2] == "omraade"
    assert MedCommittee.objects.filter(unit__depth=1).count() == 1
    formaend = MedMembership.objects.filter(role="formand").select_related("person", "committee")
    assert formaend and all(m.person.is_leader and m.person.unit_id == m.committee.unit_id for m in formaend)
    assert MedMembership.objects.filter(role="naestformand", person__is_leader=True).count() == 0


def test_it_refuses_a_database_with_people(org, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="allerede personer"):
        call_command("seed_scale", *SMALL, stdout=StringIO())


@pytest.mark.django_db
def test_it_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", *SMALL, stdout=StringIO())
