from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ledelse.models import Person, Unit, User
from ledelse.selectors import person_own_leader


def test_it_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_it_creates_the_demo_organisation_and_accounts(db):
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Unit.objects.count() >= 30
    assert set(Unit.objects.values_list("depth", flat=True)) == {1, 2, 3}
    assert Person.objects.count() >= 60
    sekretariat = Unit.objects.get(name="Regionssekretariatet")
    assert sekretariat.depth == 2 and sekretariat.region.name == "Region Midtjylland"
    for name in ("leder", "leder2", "leder3", "hr", "koncern", "medarbejder", "admin"):
        assert User.objects.get(username=name).check_password("ledelse-demo"), name
    leder, leder2, leder3 = (Person.objects.get(user__username=n) for n in ("leder", "leder2", "leder3"))
    assert leder.is_leader and leder2.is_leader and leder3.is_leader
    assert person_own_leader(person=leder2) == leder
    assert leder3.unit.region == leder.unit.region
    assert not leder3.unit.path.startswith(leder.unit.path)


def test_the_demo_has_med_committees_with_the_employee_as_naestformand(db):
    from ledelse.models import MedCommittee, MedMembership

    call_command("seed_demo", "--force", stdout=StringIO())
    kinds = dict(MedCommittee.objects.values_list("unit__code", "kind"))
    assert kinds == {"RM": "hovedudvalg", "RM-AUH": "omraade", "RM-AUH-HJ": "lokal", "RN": "hovedudvalg"}
    seats = set(MedMembership.objects.values_list("committee__unit__code", "person__user__username", "role"))
    assert {
        ("RM-AUH-HJ", "leder2", "formand"),
        ("RM-AUH-HJ", "medarbejder", "naestformand"),
        ("RM-AUH", "leder", "formand"),
        ("RM-AUH", "medarbejder", "medlem"),
    } <= seats


def test_running_it_twice_changes_nothing(db):
    call_command("seed_demo", "--force", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "0 oprettet, 0 ændret" in out.getvalue()


def test_it_adds_demo_plans_in_every_state_with_reminders(db):
    from dialogues.models import Activity, Plan, Rollout
    from ledelse.notifications.models import Reminder

    call_command("seed_demo", "--force", stdout=StringIO())
    assert set(Rollout.objects.values_list("region__name", flat=True)) == {"Region Midtjylland", "Region Nordjylland"}
    assert set(Plan.objects.values_list("state", flat=True)) == {s.value for s in Plan.State}
    waiting = Plan.objects.get(owner__user__username="leder2", rollout__title="Lokal oversættelse og aktivering 2026")
    assert waiting.state == "indsendt"
    assert person_own_leader(person=waiting.owner).user.username == "leder"
    from django.utils import timezone

    today = timezone.localdate()
    assert Activity.objects.filter(date__lt=today).exists() and Activity.objects.filter(date__gt=today).exists()
    assert Reminder.objects.filter(kind__startswith="plan-").exists()
    # medarbejder is asked for comments on leder2's draft in another rollout (a høring), and told.
    from dialogues.models import Hearing

    hearing = Hearing.objects.get(plan__unit__code="RM-AUH-HJ", plan__owner=waiting.owner)
    assert hearing.is_open and hearing.plan.state == "kladde" and hearing.comments.count() == 1
    assert hearing.invitations.filter(person__user__username="medarbejder").exists()
    assert Reminder.objects.filter(kind="hearing-opened", recipient__username="medarbejder").exists()
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "Demo-planer: 0 oprettet" in out.getvalue()
