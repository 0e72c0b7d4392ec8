"""An employee's front page: their unit's plan and what it agreed per theme, the activities
they take part in with their invitations, their MED seats and a question for the unit
(ledelse.status.taking_part). The cast and the plans: tests/status/conftest.py."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import PlanTranslation
from ledelse.models import Person
from ledelse.services import med_committee_set, med_memberships_set
from values.models import ReflectionQuestion


def _invite(plan, org, title, *, days, people, location="Mødelokale 2"):
    from tests.status.conftest import set_state

    if plan.state == "indsendt":  # activities are not changed while the plan waits for approval
        set_state(plan, "godkendt")
    return services.activity_create(
        plan=plan,
        data=services.ActivityData(
            kind="dialog_ledergruppe",
            title=title,
            responsible=plan.owner,
            participants=tuple(people),
            date=timezone.localdate() + timedelta(days=days),
            start_time=time(13, 0),
            end_time=time(14, 30),
            location=location,
        ),
    )


def _hearing(plan, org, *, days):
    from dialogues import hearings
    from dialogues.models import Hearing
    from tests.status.conftest import set_state

    set_state(plan, "kladde")
    return hearings.hearing_open(
        plan=plan,
        closes_on=timezone.localdate() + timedelta(days=days),
        audience=Hearing.Audience.EMPLOYEES,
        by=org.users["leader2"],
    )


def _agree(plan, theme, text):
    PlanTranslation.objects.update_or_create(plan=plan, theme=theme, defaults={"text": text})


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_employee_sees_the_units_plan_and_what_it_agreed(client, org, status_data):
    plan = status_data.plans.a1
    _agree(plan, status_data.themes[0], "Vi taler om tillid hver mandag. " + "ord " * 60)
    html = _page(client, org.users["employee"])
    assert "Din enheds plan" in html
    assert f'href="/planer/{plan.pk}/"' in html
    assert "Hvad din enhed er ved at skrive (ikke godkendt endnu)" in html  # the plan is submitted
    assert "Vi taler om tillid hver mandag." in html
    assert "ord " * 40 not in html  # cut short, with a link to the whole text
    assert f'href="/planer/{plan.pk}/#tema-{status_data.themes[0].pk}"' in html
    assert "Intet venter på dig lige nu" not in html


def test_an_approved_plan_shows_what_the_unit_has_agreed(client, org, status_data):
    from tests.status.conftest import set_state

    set_state(status_data.plans.a1, "godkendt")
    _agree(status_data.plans.a1, status_data.themes[1], "Vi giver hinanden ansvar.")
    html = _page(client, org.users["employee"])
    assert "Hvad din enhed har aftalt" in html and "Vi giver hinanden ansvar." in html


def test_an_employee_sees_the_activities_they_take_part_in_with_their_invitations(client, org, status_data):
    mine = _invite(status_data.plans.a1, org, "Dialog om tillid", days=3, people=[org.people["employee"]])
    _invite(status_data.plans.a1, org, "Ledermøde", days=4, people=[org.people["leader2"]])
    past = _invite(status_data.plans.a1, org, "Sidste måneds møde", days=-30, people=[org.people["employee"]])
    html = _page(client, org.users["employee"])
    assert "Aktiviteter, du deltager i (1)" in html
    assert "Dialog om tillid" in html and "13:00–14:30" in html and "Mødelokale 2" in html
    assert f"/planer/{mine.plan_id}/aktiviteter/{mine.pk}/kalender.ics" in html
    assert "Ledermøde" not in html and past.title not in html


def test_the_invitation_link_gives_the_employee_the_calendar_file(client, org, status_data):
    mine = _invite(status_data.plans.a1, org, "Dialog om tillid", days=3, people=[org.people["employee"]])
    client.force_login(org.users["employee"])
    response = client.get(f"/planer/{mine.plan_id}/aktiviteter/{mine.pk}/kalender.ics")
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content


def test_an_employee_sees_their_med_seats(client, org, status_data):
    committee = med_committee_set(unit=org.units["A1"], kind="lokal", name="Lokal-MED, Afdeling A1")
    med_memberships_set(
        committee=committee, seats=[(org.people["leader2"], "formand"), (org.people["employee"], "naestformand")]
    )
    html = _page(client, org.users["employee"])
    assert "Dine pladser i MED" in html and "Lokal-MED, Afdeling A1: Næstformand" in html


def test_an_employee_gets_a_question_for_the_unit_marked_as_the_projects_own(client, org, status_data):
    from values.models import Item

    items = Item.objects.filter(version=status_data.framework.current_version)
    ReflectionQuestion.objects.bulk_create(ReflectionQuestion(item=i, text=f"Hvad betyder {i.key} her?") for i in items)
    html = _page(client, org.users["employee"])
    assert "Et spørgsmål til din enhed" in html
    section = html.split("Et spørgsmål til din enhed", 1)[1]
    assert "Hvad betyder" in section.split("</p>")[0]
    assert "Spørgsmålet er skrevet til dette intranet" in section


def test_a_section_without_a_plan_of_its_own_works_by_the_plan_above(client, org, status_data):
    person = Person.objects.create(employee_id="P9", name="Sanne Sektion", unit=org.units["A1a"])
    user = org.users["employee"].__class__.objects.create_user("sanne")
    person.user = user
    person.save()
    html = _page(client, user)
    assert f'href="/planer/{status_data.plans.a1.pk}/"' in html
    assert "Din enhed har ikke sin egen plan" in html


def test_an_employee_of_another_unit_sees_their_own_units_plan_not_this_one(client, org, status_data):
    user = org.users["employee"].__class__.objects.create_user("bodil")
    Person.objects.create(employee_id="P9", name="Bodil B", unit=org.units["B"], user=user)
    _agree(status_data.plans.a1, status_data.themes[0], "Kun for Afdeling A1.")
    _invite(status_data.plans.a1, org, "Dialog i A1", days=3, people=[org.people["employee"]])
    html = _page(client, user)
    assert f'href="/planer/{status_data.plans.b.pk}/"' in html
    assert f'href="/planer/{status_data.plans.a1.pk}/"' not in html
    assert "Kun for Afdeling A1." not in html and "Dialog i A1" not in html
    assert "Du er ikke inviteret til kommende aktiviteter." in html


def test_without_a_plan_the_employee_is_told_so(client, org):
    html = _page(client, org.users["employee"])
    assert "Ingen plan dækker din enhed endnu." in html


@pytest.mark.parametrize("username", ["leader2", "hr", "koncern"])
def test_leaders_hr_and_koncernledelse_keep_their_own_front_page(client, org, status_data, username):
    _invite(status_data.plans.a1, org, "Dialog om tillid", days=3, people=[org.people["leader2"]])
    html = _page(client, org.users[username])
    assert "Aktiviteter, du deltager i" not in html
    assert "Et spørgsmål til din enhed" not in html


def _grow(org, status_data, start, n):
    committee = med_committee_set(unit=org.units["A1"], kind="lokal")
    seats = [(org.people["leader2"], "formand"), (org.people["employee"], "naestformand")]
    seats += [(p, "medlem") for p in Person.objects.filter(employee_id__startswith="X")]
    for i in range(start, start + n):
        _invite(status_data.plans.a1, org, f"Møde {i}", days=i + 1, people=[org.people["employee"]])
        person = Person.objects.create(employee_id=f"X{i}", name=f"X {i}", unit=org.units["A1"])
        seats.append((person, "medlem"))
    med_memberships_set(committee=committee, seats=seats)
    for theme in status_data.themes:
        _agree(status_data.plans.a1, theme, "Tekst " * 50)


def test_an_employee_asked_for_comments_sees_the_plan_and_the_closing_date(client, org, status_data):
    plan = status_data.plans.a1
    _hearing(plan, org, days=4)
    html = _page(client, org.users["employee"])
    assert "Planer, der beder om dine kommentarer" in html
    assert f'href="/planer/{plan.pk}/#hoering"' in html
    closes = timezone.localdate() + timedelta(days=4)
    assert f"Kommentér senest {closes.day}." in html


def test_a_hearing_past_its_closing_date_is_not_listed(client, org, status_data):
    hearing = _hearing(status_data.plans.a1, org, days=4)
    type(hearing).objects.filter(pk=hearing.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    assert "Planer, der beder om dine kommentarer" not in _page(client, org.users["employee"])


def test_a_hearing_that_did_not_invite_the_reader_is_not_listed(client, org, status_data, django_user_model):
    _hearing(status_data.plans.a1, org, days=4)
    # Joined the unit after the hearing opened: who is invited is fixed at the opening.
    user = django_user_model.objects.create_user(username="newcomer", password="x")
    Person.objects.create(employee_id="Y1", name="Ny Kollega", unit=org.units["A1"], user=user)
    html = _page(client, user)
    assert "Din enheds plan" in html
    assert "Planer, der beder om dine kommentarer" not in html


def _count(client, org, django_assert_max_num_queries, limit):
    client.force_login(org.users["employee"])
    client.get("/")  # the shared cache (the questions) as a reader finds it
    with django_assert_max_num_queries(limit) as ctx:
        client.get("/")
    return len(ctx.captured_queries)


def test_the_employee_part_runs_the_same_queries_however_much_there_is(
    client, org, status_data, django_assert_max_num_queries
):
    # Mit overblik's own reads, then the unit's plan, the activities taken part in, the MED
    # seats and the open hearings that invited them: one query each (the plan's texts come
    # from the shared cache, read by the first request): 14 in all (the own leader and the
    # chain of units are one query, the LUS waiting and the LUS agreements another).
    _grow(org, status_data, 0, 1)
    small = _count(client, org, django_assert_max_num_queries, 14)
    _grow(org, status_data, 1, 12)
    assert _count(client, org, django_assert_max_num_queries, 14) == small
