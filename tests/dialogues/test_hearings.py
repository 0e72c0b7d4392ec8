"""The høring (dialogues.hearings): the owners open the draft for comments until a date, for
the unit's employees, its MED committee or both; those invited comment per theme, named,
while it is open by the calendar; the owners answer and close it; closing is a step in the
plan's history; a plan in an open hearing is not submitted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dialogues import hearings, services
from dialogues.models import Hearing, HearingComment, Plan
from ledelse.concurrency.versions import Seen, VersionConflict
from ledelse.models import MedMembership
from tests.dialogues.conftest import submitted
from values.models import Item

pytestmark = pytest.mark.django_db

EMPLOYEES, MED, BOTH = Hearing.Audience.EMPLOYEES, Hearing.Audience.MED, Hearing.Audience.BOTH


def in_days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def themes(plan):
    return list(Item.objects.filter(version_id=plan.rollout.framework_version_id, kind="theme").order_by("position"))


def open_hearing(org, plan, audience=EMPLOYEES, days=7, by="leader2") -> Hearing:
    return hearings.hearing_open(plan=plan, closes_on=in_days(days), audience=audience, by=org.users[by])


def comment(org, hearing, theme, text="Godt skrevet", by="employee") -> HearingComment:
    return hearings.hearing_comment_add(hearing=hearing, theme=theme, text=text, by=org.users[by])


def invited(hearing) -> set[str]:
    return {p.user.username for p in hearings.hearing_invitees(hearing=hearing)}


# --- Who is invited ------------------------------------------------------------------------------


def test_the_unit_employees_are_the_people_of_the_unit_and_below_without_the_owner(org, plan):
    hearing = open_hearing(org, plan)
    assert invited(hearing) == {"employee"}
    assert hearing.invitations.get().as_employee


def test_a_unit_below_with_its_own_plan_is_heard_on_that_plan(org, plan, rollout):
    from ledelse.models import Person

    nurse = Person.objects.create(name="Nina Afsnit", employee_id="P9", unit=org.units["A1a"])
    people = hearings.hearing_audience_people(plan=plan)
    assert nurse in people.employees
    Person.objects.create(name="Anders Afsnitsleder", employee_id="P10", unit=org.units["A1a"], is_leader=True)
    services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1a"])
    assert nurse not in hearings.hearing_audience_people(plan=plan).employees


def test_the_med_audience_is_the_committee_covering_the_unit(org, plan, hospital_a_med):
    assert invited(open_hearing(org, plan, audience=MED)) == {"leader", "hr"}


def test_both_invites_each_person_once_saying_why(org, plan, hospital_a_med):
    MedMembership.objects.create(committee=hospital_a_med, person=org.people["employee"], role="naestformand")
    hearing = open_hearing(org, plan, audience=BOTH)
    assert invited(hearing) == {"employee", "leader", "hr"}
    emil = hearing.invitations.get(person=org.people["employee"])
    assert emil.as_employee and emil.as_med


def test_the_med_audience_needs_a_committee(org, plan):
    with pytest.raises(ValidationError, match="MED-udvalg"):
        open_hearing(org, plan, audience=MED)
    assert not Hearing.objects.exists()


def test_an_owner_in_the_med_committee_is_not_invited_to_comment(org, plan, hospital_a_med):
    MedMembership.objects.create(committee=hospital_a_med, person=org.people["leader2"], role="medlem")
    assert "leader2" not in invited(open_hearing(org, plan, audience=MED))


# --- Opening -------------------------------------------------------------------------------------


def test_only_the_owners_open_a_hearing(org, plan):
    for name in ("leader", "koncern", "employee"):  # the leaders above edit the plan, but do not open it
        with pytest.raises(ValidationError, match="ejere"):
            open_hearing(org, plan, by=name)
    plan.co_owners.add(org.people["leader3"])
    assert open_hearing(org, plan, by="leader3").opened_by == org.people["leader3"]


def test_only_a_draft_goes_for_comments(org, plan, make_activity):
    make_activity(plan)
    submitted(org, plan)
    with pytest.raises(ValidationError, match="kladde"):
        open_hearing(org, plan)


def test_the_closing_date_is_after_today_and_within_the_limit(org, plan):
    for days in (0, -1, hearings.HEARING_LONGEST_DAYS + 1):
        with pytest.raises(ValidationError) as exc:
            open_hearing(org, plan, days=days)
        assert "closes_on" in exc.value.error_dict
    assert open_hearing(org, plan, days=hearings.HEARING_LONGEST_DAYS).closes_on == in_days(90)


def test_an_unknown_audience_is_refused(org, plan):
    with pytest.raises(ValidationError) as exc:
        open_hearing(org, plan, audience="alle")
    assert "audience" in exc.value.error_dict


def test_one_hearing_is_open_at_a_time(org, plan):
    open_hearing(org, plan)
    with pytest.raises(ValidationError, match="allerede"):
        open_hearing(org, plan)
    assert Hearing.objects.count() == 1


def test_the_database_refuses_a_second_open_hearing(org, plan):
    first = open_hearing(org, plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.create(
            plan=plan, audience=EMPLOYEES, closes_on=in_days(3), opened_at=timezone.now(), opened_by=first.opened_by
        )


def test_a_hearing_past_its_date_is_closed_when_the_next_opens(org, plan):
    first = open_hearing(org, plan)
    Hearing.objects.filter(pk=first.pk).update(closes_on=in_days(-1))
    second = open_hearing(org, plan)
    first.refresh_from_db()
    assert first.closed_how == "date" and second.is_open


# --- Comments ------------------------------------------------------------------------------------


def test_an_invited_person_comments_per_theme_under_their_name(org, plan, themes):
    hearing = open_hearing(org, plan)
    made = comment(org, hearing, themes[0], "  Vi mangler MED  ")
    assert (made.author, made.author_name, made.text, made.theme) == (
        org.people["employee"],
        "Emil Medarbejder",
        "Vi mangler MED",
        themes[0],
    )


def test_someone_not_invited_cannot_comment(org, plan, themes):
    hearing = open_hearing(org, plan)
    for name in ("leader", "leader2", "hr"):
        with pytest.raises(ValidationError, match="inviterede"):
            comment(org, hearing, themes[0], by=name)
    assert not HearingComment.objects.exists()


def test_after_its_date_the_hearing_is_closed_even_if_nobody_closed_it(org, plan, themes):
    hearing = open_hearing(org, plan)
    Hearing.objects.filter(pk=hearing.pk).update(closes_on=in_days(-1))
    hearing.refresh_from_db()
    assert not hearing.is_open and hearing.closed_at is None
    with pytest.raises(ValidationError, match="lukket"):
        comment(org, hearing, themes[0])


def test_on_its_closing_date_the_hearing_is_still_open(org, plan, themes):
    hearing = open_hearing(org, plan)
    Hearing.objects.filter(pk=hearing.pk).update(closes_on=timezone.localdate())
    hearing.refresh_from_db()
    assert hearing.is_open
    comment(org, hearing, themes[0])


def test_a_closed_hearing_takes_no_comment(org, plan, themes):
    hearing = open_hearing(org, plan)
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    with pytest.raises(ValidationError, match="lukket"):
        comment(org, hearing, themes[0])


def test_a_comment_is_on_a_theme_of_the_plans_framework(org, plan, other_framework):
    hearing = open_hearing(org, plan)
    foreign = Item.objects.filter(version=other_framework.current_version, kind="theme").first()
    principle = Item.objects.filter(version_id=plan.rollout.framework_version_id, kind="principle").first()
    for theme in (foreign, principle):
        with pytest.raises(ValidationError, match="temaer"):
            comment(org, hearing, theme)


def test_a_comment_needs_a_text_within_the_limit(org, plan, themes):
    hearing = open_hearing(org, plan)
    for text in ("   ", "x" * 2001):
        with pytest.raises(ValidationError) as exc:
            comment(org, hearing, themes[0], text)
        assert "text" in exc.value.error_dict
    assert comment(org, hearing, themes[0], "x" * 2000)


def test_the_database_refuses_an_empty_comment_and_an_answer_without_a_date(org, plan, themes):
    hearing = open_hearing(org, plan)
    made = comment(org, hearing, themes[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingComment.objects.filter(pk=made.pk).update(text="")
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingComment.objects.filter(pk=made.pk).update(answer="Tak")


# --- Answers -------------------------------------------------------------------------------------


def test_the_owners_answer_a_comment(org, plan, themes):
    made = comment(org, open_hearing(org, plan), themes[0])
    answered = hearings.hearing_comment_answer(comment=made, answer="Tak, vi retter det", by=org.users["leader2"])
    assert answered.answer == "Tak, vi retter det" and answered.answered_by == org.people["leader2"]
    assert answered.answered_at is not None and answered.lock_version == 2


def test_only_the_owners_answer(org, plan, themes):
    made = comment(org, open_hearing(org, plan), themes[0])
    for name in ("leader", "employee", "koncern"):
        with pytest.raises(ValidationError, match="ejere"):
            hearings.hearing_comment_answer(comment=made, answer="Nej", by=org.users[name])
    made.refresh_from_db()
    assert made.answer == ""


def test_an_answer_needs_a_text(org, plan, themes):
    made = comment(org, open_hearing(org, plan), themes[0])
    with pytest.raises(ValidationError) as exc:
        hearings.hearing_comment_answer(comment=made, answer="  ", by=org.users["leader2"])
    assert "answer" in exc.value.error_dict


def test_comments_are_answered_until_the_plan_is_approved(org, plan, themes, make_activity):
    hearing = open_hearing(org, plan)
    made = comment(org, hearing, themes[0])
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    make_activity(plan)
    plan = submitted(org, plan)
    hearings.hearing_comment_answer(comment=made, answer="Svar efter indsendelse", by=org.users["leader2"])
    services.plan_transition(user=org.users["leader"], plan=plan, action="approve")
    with pytest.raises(ValidationError, match="godkendt"):
        hearings.hearing_comment_answer(comment=made, answer="For sent", by=org.users["leader2"])


def test_two_owners_answering_at_once_see_each_others_answer(org, plan, themes):
    plan.co_owners.add(org.people["leader3"])
    made = comment(org, open_hearing(org, plan), themes[0])
    seen = Seen.parse(hearings.hearing_comment_seen_token(comment=made))
    hearings.hearing_comment_answer(comment=made, answer="Lars' svar", by=org.users["leader2"], version=seen)
    with pytest.raises(VersionConflict):
        hearings.hearing_comment_answer(comment=made, answer="Lises svar", by=org.users["leader3"], version=seen)
    made.refresh_from_db()
    assert made.answer == "Lars' svar"


# --- Closing and the history -------------------------------------------------------------------


def test_the_owner_closes_the_hearing_and_it_is_a_step_in_the_history(org, plan, themes):
    hearing = open_hearing(org, plan)
    comment(org, hearing, themes[0])
    comment(org, hearing, themes[1], "Og her")
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    hearing.refresh_from_db()
    assert (hearing.closed_how, hearing.closed_by) == ("owner", org.people["leader2"])
    steps = hearings.plan_history(plan=plan, events=plan.events.all())
    assert [s.title for s in steps] == ["Kladde", "Sendt i høring", "Høring lukket"]
    assert steps[-1].actor_name == "Lars Leder To" and steps[-1].detail == "2 kommentarer"


def test_only_the_owners_close_the_hearing(org, plan):
    hearing = open_hearing(org, plan)
    for name in ("leader", "employee"):
        with pytest.raises(ValidationError, match="ejere"):
            hearings.hearing_close(hearing=hearing, by=org.users[name])
    hearing.refresh_from_db()
    assert hearing.closed_at is None


def test_a_closed_hearing_is_not_closed_twice(org, plan):
    hearing = open_hearing(org, plan)
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    with pytest.raises(ValidationError, match="allerede"):
        hearings.hearing_close(hearing=hearing, by=org.users["leader2"])


def test_the_history_shows_a_hearing_closed_by_its_date_before_the_task_wrote_it(org, plan, themes):
    hearing = open_hearing(org, plan)
    comment(org, hearing, themes[0])
    Hearing.objects.filter(pk=hearing.pk).update(opened_at=timezone.now() - timedelta(days=10), closes_on=in_days(-2))
    plan.events.update(at=timezone.now() - timedelta(days=11))
    steps = hearings.plan_history(plan=plan, events=plan.events.all())
    assert [s.title for s in steps] == ["Kladde", "Sendt i høring", "Høring lukket"]
    assert steps[-1].detail == "fristen var udløbet · 1 kommentar"


def test_the_nightly_task_closes_the_hearings_past_their_date(org, plan, rollout):
    hearing = open_hearing(org, plan)
    assert hearings.hearings_close_due() == 0
    Hearing.objects.filter(pk=hearing.pk).update(closes_on=in_days(-1))
    assert hearings.hearings_close_due() == 1
    hearing.refresh_from_db()
    assert hearing.closed_how == "date" and hearing.closed_by is None
    assert timezone.localtime(hearing.closed_at).date() == timezone.localdate()
    assert hearings.hearings_close_due() == 0


def test_an_owner_closing_after_the_date_records_the_date(org, plan):
    hearing = open_hearing(org, plan)
    Hearing.objects.filter(pk=hearing.pk).update(closes_on=in_days(-1))
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    hearing.refresh_from_db()
    assert hearing.closed_how == "date"


# --- Submitting ------------------------------------------------------------------------------------


def test_a_plan_is_not_submitted_while_its_hearing_is_open(org, plan, make_activity):
    make_activity(plan)
    hearing = open_hearing(org, plan)
    with pytest.raises(ValidationError, match="Luk høringen"):
        submitted(org, plan)
    plan.refresh_from_db()
    assert plan.state == Plan.State.KLADDE
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    assert submitted(org, plan).state == Plan.State.INDSENDT


def test_a_plan_whose_hearing_date_passed_is_submitted_and_the_hearing_closed(org, plan, make_activity):
    make_activity(plan)
    hearing = open_hearing(org, plan)
    Hearing.objects.filter(pk=hearing.pk).update(closes_on=in_days(-1))
    assert submitted(org, plan).state == Plan.State.INDSENDT
    hearing.refresh_from_db()
    assert hearing.closed_how == "date"


# --- Reading ---------------------------------------------------------------------------------------


def test_those_invited_read_the_plan_during_and_after_the_hearing(org, plan, hospital_a_med, client):
    from dialogues import access

    # A committee member from outside the region (a union representative, say) is invited too.
    MedMembership.objects.create(committee=hospital_a_med, person=org.people["outsider"], role="medlem")
    assert not access.plans_heard_by(org.users["outsider"]).exists()
    hearing = open_hearing(org, plan, audience=BOTH)
    for name in ("outsider", "employee", "hr"):
        assert access.plans_heard_by(org.users[name]).filter(pk=plan.pk).exists(), name
    assert not access.plans_heard_by(org.users["leader3"]).exists()
    hearings.hearing_close(hearing=hearing, by=org.users["leader2"])
    client.force_login(org.users["outsider"])
    assert client.get(plan.get_absolute_url()).status_code == 200
