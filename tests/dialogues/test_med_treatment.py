"""MED's treatment of a plan (dialogues.med): who records it, when, what it holds, the submit
refusal when a rollout requires it, and the pages (right user, wrong user, no user).

The committee: "LokalMED Afdeling A1" at Afdeling A1 (it covers A1 and Afsnit A1a), with
employee as næstformand, Frida Formand as formand and Mads Medlem as a member; another
committee at Hospital B with leader3 as its næstformand. The plan of A1 is leader2's.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dialogues import access, med, selectors, services
from dialogues.models import MedTreatment, Plan, Rollout
from ledelse.audit.models import AuditEntry
from ledelse.models import MedCommittee, MedMembership, Person, Unit, User
from ledelse.notifications.models import Reminder
from ledelse.selectors import med_committee_for_unit, med_seat_covering
from tests.dialogues.conftest import submitted

pytestmark = pytest.mark.django_db

STATEMENT = "Udvalget bakker op om planen og vil følge dialogerne på personalemøderne."


def _person(org, username: str, name: str, unit: str = "A1") -> Person:
    user = User.objects.create_user(username, password="x-password-123")
    return Person.objects.create(user=user, employee_id=username, name=name, unit=org.units[unit], is_leader=False)


@pytest.fixture
def committee(org):
    a1 = MedCommittee.objects.create(unit=org.units["A1"], name="LokalMED Afdeling A1")
    formand = _person(org, "formand", "Frida Formand")
    medlem = _person(org, "medlem", "Mads Medlem")
    MedMembership.objects.create(committee=a1, person=org.people["employee"], role="naestformand")
    MedMembership.objects.create(committee=a1, person=formand, role="formand")
    MedMembership.objects.create(committee=a1, person=medlem, role="medlem")
    b = MedCommittee.objects.create(unit=org.units["B"], name="LokalMED Hospital B")
    MedMembership.objects.create(committee=b, person=org.people["leader3"], role="naestformand")
    return SimpleNamespace(a1=a1, b=b, formand=formand.user, medlem=medlem.user)


def _data(**kwargs) -> med.MedTreatmentData:
    values = {"meeting_on": timezone.localdate() - timedelta(days=2), "statement": STATEMENT, "outcome": "enighed"}
    values.update(kwargs)
    return med.MedTreatmentData(**values)


def _record(plan, user, **kwargs) -> MedTreatment:
    return med.plan_med_treatment_record(plan=plan, data=_data(**kwargs), by=user)


def _require_med(rollout: Rollout) -> None:
    Rollout.objects.filter(pk=rollout.pk).update(requires_med_treatment=True)


# --- The service ------------------------------------------------------------------------------


def test_the_naestformand_records_the_treatment_with_the_committee_and_role(org, plan, committee):
    treatment = _record(plan, org.users["employee"], outcome="forbehold")
    assert treatment.committee == committee.a1 and treatment.committee_name == "LokalMED Afdeling A1"
    assert treatment.recorded_role == "naestformand" and treatment.recorded_by == org.people["employee"]
    assert treatment.recorded_by_name == "Emil Medarbejder"
    assert treatment.statement == STATEMENT and treatment.outcome == "forbehold"


def test_the_formand_records_it_too_and_replaces_the_first(org, plan, committee):
    _record(plan, org.users["employee"])
    treatment = _record(plan, committee.formand, statement="Ny udtalelse")
    assert MedTreatment.objects.filter(plan=plan).count() == 1
    assert treatment.recorded_role == "formand" and treatment.statement == "Ny udtalelse"
    assert treatment.lock_version == 2


@pytest.mark.parametrize("who", ["medlem", "leader3", "leader2", "leader", "koncern", "admin"])
def test_anyone_but_the_formand_and_naestformand_is_refused(org, plan, committee, who):
    user = committee.medlem if who == "medlem" else org.users[who]
    with pytest.raises(ValidationError, match="Kun formanden eller næstformanden"):
        _record(plan, user)
    assert not MedTreatment.objects.exists()


def test_a_committee_below_takes_over_its_units(org, rollout, committee):
    """Afsnit A1a gets its own committee: A1's næstformand no longer treats A1a's plan."""
    leader = _person(org, "a1a_leder", "Anne Afsnitsleder", unit="A1a")
    Person.objects.filter(pk=leader.pk).update(is_leader=True)
    below = services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1a"])
    assert access.can_record_med_treatment(org.users["employee"], below)
    MedCommittee.objects.create(unit=org.units["A1a"], name="LokalMED Afsnit A1a")
    assert not access.can_record_med_treatment(org.users["employee"], below)
    with pytest.raises(ValidationError):
        _record(below, org.users["employee"])


@pytest.mark.parametrize("state", ["godkendt", "i_gang", "afsluttet"])
def test_an_approved_plan_is_not_treated_any_more(org, plan, committee, state):
    Plan.objects.filter(pk=plan.pk).update(state=state)
    with pytest.raises(ValidationError, match="før planen godkendes"):
        _record(plan, org.users["employee"])


def test_a_submitted_plan_is_treated(org, plan, committee, make_activity):
    make_activity(plan)
    submitted(org, plan)
    assert _record(plan, org.users["employee"]).pk


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meeting_on", "tomorrow", "kan ikke ligge i fremtiden"),
        ("meeting_on", date(1999, 12, 31), "Angiv datoen"),
        ("statement", "   ", "Skriv udvalgets udtalelse"),
        ("statement", "x" * (med.STATEMENT_MAX + 1), "højst være på 5000 tegn"),
        ("statement", "Enig\x07", "kontroltegn"),
        ("outcome", "maaske", "Vælg, om udvalget var enigt"),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_saved(org, plan, committee, field, value, message):
    if value == "tomorrow":
        value = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        _record(plan, org.users["employee"], **{field: value})
    assert message in " ".join(exc.value.message_dict[field])
    assert not MedTreatment.objects.exists()


def test_the_owner_is_told_and_the_audit_log_names_the_plan(org, plan, committee):
    _record(plan, org.users["employee"], outcome="forbehold")
    notice = Reminder.objects.get(recipient=org.users["leader2"])
    assert notice.title == "LokalMED Afdeling A1 har behandlet planen for Afdeling A1: enighed med forbehold"
    assert notice.url.endswith("#med-behandling")
    entry = AuditEntry.objects.get(object_type="dialogues.plan", object_id=str(plan.pk))
    assert entry.actor == org.users["employee"] and entry.detail == "med-treatment:naestformand"
    assert STATEMENT not in entry.detail


def test_a_recording_over_a_newer_one_is_a_conflict(org, plan, committee):
    seen = med.med_treatment_seen_token(treatment=None)
    _record(plan, committee.formand, statement="Formandens udtalelse")
    from ledelse.concurrency.versions import Seen, VersionConflict

    with pytest.raises(VersionConflict):
        med.plan_med_treatment_record(
            plan=plan, data=_data(statement="Næstformandens"), by=org.users["employee"], version=Seen.parse(seen)
        )
    assert MedTreatment.objects.get().statement == "Formandens udtalelse"


# --- Submitting when the rollout requires it ---------------------------------------------------


def test_a_plan_cannot_be_submitted_without_a_required_treatment(org, rollout, plan, committee, make_activity):
    make_activity(plan)
    _require_med(rollout)
    with pytest.raises(ValidationError, match="MED-udvalget har ikke behandlet planen endnu"):
        submitted(org, plan)
    plan.refresh_from_db()
    assert plan.state == "kladde"
    _record(plan, org.users["employee"])
    assert submitted(org, plan).state == "indsendt"


def test_without_the_requirement_a_plan_is_submitted_untreated(org, plan, make_activity):
    make_activity(plan)
    assert submitted(org, plan).state == "indsendt"


# --- Access: MED members reach their committee's plans -----------------------------------------


def test_a_member_reaches_the_plans_of_the_committees_units(org, plan, committee):
    assert plan in access.plans_of_med_seats(committee.medlem)
    assert plan in access.plans_med_treatable_by(org.users["employee"])
    assert plan not in access.plans_med_treatable_by(committee.medlem)


def test_someone_without_a_seat_there_does_not(org, plan, committee):
    for user in (org.users["leader3"], org.users["leader2"], org.users["outsider"]):
        assert plan not in access.plans_of_med_seats(user)


def test_a_member_from_another_region_reads_the_plan(org, plan, committee, client):
    MedMembership.objects.create(committee=committee.a1, person=org.people["outsider"], role="medlem")
    client.force_login(org.users["outsider"])
    assert client.get(plan.get_absolute_url()).status_code == 200


def test_someone_from_another_region_without_a_seat_does_not(org, plan, committee, client):
    client.force_login(org.users["outsider"])
    assert client.get(plan.get_absolute_url()).status_code == 404


def test_the_seat_filter_agrees_with_the_committee_of_each_unit(org, committee):
    """ledelse.selectors.med_seat_covering (a filter in the rows' own query) and
    med_committee_for_unit (one unit at a time) name the same committee for every unit."""
    MedCommittee.objects.create(unit=org.units["A1a"], name="LokalMED Afsnit A1a")
    MedCommittee.objects.create(unit=org.units["RT"], name="HovedMED")
    for n, c in enumerate(MedCommittee.objects.all()):
        member = _person(org, f"seat{n}", f"Medlem {n}")
        MedMembership.objects.create(committee=c, person=member, role="medlem")
        covered = set(Unit.objects.filter(med_seat_covering(person=member, roles=["medlem"], unit_path="path")))
        expected = {u for u in Unit.objects.all() if med_committee_for_unit(unit=u) == c}
        assert covered == expected, c
        assert not Unit.objects.filter(med_seat_covering(person=member, roles=["formand"], unit_path="path"))


# --- The pages ---------------------------------------------------------------------------------


def _url(plan) -> str:
    return reverse("dialogues:plan_med_treatment", args=[plan.pk])


def _post_data(**kwargs) -> dict:
    data = {
        "meeting_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "outcome": "enighed",
        "statement": STATEMENT,
    }
    data.update(kwargs)
    return data


@pytest.mark.parametrize("who", ["employee", "formand"])
def test_the_formand_and_naestformand_record_it_on_the_page(org, plan, committee, client, who):
    client.force_login(committee.formand if who == "formand" else org.users["employee"])
    assert client.get(_url(plan)).status_code == 200
    response = client.post(_url(plan), _post_data())
    assert response.status_code == 302 and response["Location"].endswith("#med-behandling")
    assert MedTreatment.objects.get(plan=plan).statement == STATEMENT


def test_a_member_of_the_committee_is_refused(org, plan, committee, client):
    client.force_login(committee.medlem)
    assert client.get(_url(plan)).status_code == 403
    assert client.post(_url(plan), _post_data()).status_code == 403
    assert not MedTreatment.objects.exists()


@pytest.mark.parametrize("who", ["leader3", "leader2", "outsider"])
def test_another_committees_naestformand_and_the_owner_find_nothing(org, plan, committee, client, who):
    client.force_login(org.users[who])
    assert client.get(_url(plan)).status_code == 404
    assert client.post(_url(plan), _post_data()).status_code == 404
    assert not MedTreatment.objects.exists()


def test_no_user_is_sent_to_sign_in(plan, committee, client):
    response = client.post(_url(plan), _post_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not MedTreatment.objects.exists()


def test_a_control_character_on_the_page_is_refused_in_danish(org, plan, committee, client):
    client.force_login(org.users["employee"])
    response = client.post(_url(plan), _post_data(statement="Enig\x1b[31m"))
    assert response.status_code == 200
    assert "usynligt kontroltegn" in response.content.decode()
    assert not MedTreatment.objects.exists()


def test_a_future_meeting_on_the_page_is_refused_in_danish(org, plan, committee, client):
    client.force_login(org.users["employee"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(_url(plan), _post_data(meeting_on=tomorrow))
    assert "Mødedatoen kan ikke ligge i fremtiden" in response.content.decode()
    assert not MedTreatment.objects.exists()


def test_the_approver_reads_the_statement_beside_the_approval(org, plan, committee, client, make_activity):
    make_activity(plan)
    _record(plan, org.users["employee"], outcome="forbehold")
    submitted(org, plan)
    client.force_login(org.users["leader"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert STATEMENT in html and "Enighed med forbehold" in html and "Emil Medarbejder" in html
    assert reverse("dialogues:plan_approve", args=[plan.pk]) in html


def test_the_plan_page_says_beforehand_that_the_treatment_is_missing(
    org, rollout, plan, committee, client, make_activity
):
    make_activity(plan)
    _require_med(rollout)
    client.force_login(org.users["leader2"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Udrulningen kræver, at MED-udvalget behandler planen" in html
    assert "MED-udvalget har ikke behandlet planen endnu" in html
    check = client.get(reverse("dialogues:plan_check", args=[plan.pk])).content.decode()
    assert "MED-udvalget har ikke behandlet planen endnu" in check
    response = client.post(reverse("dialogues:plan_submit", args=[plan.pk]), follow=True)
    assert "MED-udvalget har ikke behandlet planen endnu" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == "kladde"


def test_the_naestformand_is_offered_the_form_on_the_plan_page(org, plan, committee, client):
    client.force_login(org.users["employee"])
    assert _url(plan) in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(committee.medlem)
    assert _url(plan) not in client.get(plan.get_absolute_url()).content.decode()


def test_the_rollout_form_sets_the_requirement_and_the_rollout_page_shows_it(org, rollout, client):
    client.force_login(org.users["koncern"])
    form = client.get(reverse("dialogues:rollout_edit", args=[rollout.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        framework=rollout.framework_version.framework_id,
        scope_unit=rollout.scope_unit_id,
        requires_med_treatment="on",
        seen_version=services.rollout_seen_token(rollout=rollout),
    )
    response = client.post(reverse("dialogues:rollout_edit", args=[rollout.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rollout.refresh_from_db()
    assert rollout.requires_med_treatment
    assert "Krævet, før en plan indsendes" in client.get(rollout.get_absolute_url()).content.decode()


def test_the_steps_say_why_submitting_is_blocked(org, rollout, plan, committee, make_activity):
    make_activity(plan)
    _require_med(rollout)
    plan = selectors.plan_get_for_user(user=org.users["leader2"], pk=plan.pk)
    steps = selectors.plan_steps_for(plan=plan, user=org.users["leader2"])
    assert [(s.action, bool(s.blocked)) for s in steps.steps] == [("submit", True)]
