"""Every plan of a rollout as one PDF, one part of the organisation at a time: the part's
plans only, at most dialogues.pdf.PLANS_PER_DOCUMENT of them (a clear message when a part
has more), read in the same number of queries for one plan as for many."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues import pdf, services
from dialogues.models import Plan
from ledelse.documents.models import DocumentJob
from tests.conftest import client_for
from tests.dialogues.conftest import activity_data
from tests.documents.conftest import _media_root, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def _filled(org, plan: Plan, principles, *, approve: bool) -> Plan:
    """A plan with something in every part the document shows."""
    themes = {p.parent_id for p in principles}
    services.plan_translation_save(
        plan=plan, texts={pk: f"Vores ord for {plan.unit.name}" for pk in themes}, focus_principles=principles[:2]
    )
    plan.co_owners.add(org.people["employee"])  # (the services allow people near the unit only)
    for n in range(2):
        activity = services.activity_create(
            plan=plan,
            data=activity_data(
                org, title=f"Dialog {n} i {plan.unit.name}", responsible=plan.owner, principles=tuple(principles[:2])
            ),
        )
        activity.participants.add(org.people["employee"], plan.owner)
    if approve:
        plan = services.plan_transition(user=plan.owner.user, plan=plan, action="submit")
        plan = services.plan_transition(user=org.users["koncern"], plan=plan, action="approve")
    return plan


@pytest.fixture
def plans(org, rollout, principles):
    """Plans of Region Test, Hospital A, Afdeling A1 (approved) and Hospital B."""
    made = {}
    for code in ("RT", "A", "A1", "B"):
        plan = services.plan_create(user=org.users["koncern"], rollout=rollout, unit=org.units[code])
        made[code] = _filled(org, plan, principles, approve=code == "A1")
    return made


def _post(client, user, rollout, unit):
    c = client_for(client, user)
    return c, c.post(f"/planer/udrulninger/{rollout.pk}/alle-planer/", {"enhed": unit.pk if unit else ""})


def test_the_document_holds_the_chosen_parts_plans_and_no_others(
    client, org, rollout, plans, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c, response = _post(client, org.users["leader3"], rollout, org.units["A"])
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dokumenter/{job.pk}/"
    assert job.params == {"rollout_id": rollout.pk, "unit_id": org.units["A"].pk}
    assert job.state == DocumentJob.State.READY, job.error
    text = " ".join(text_of(c.get(f"/dokumenter/{job.pk}/").content).split())
    assert "Plan for Hospital A" in text and "Plan for Afdeling A1" in text
    assert "Plan for Hospital B" not in text and "Plan for Region Test" not in text
    assert "Dialog 1 i Hospital A" in text and "Vores ord for Afdeling A1" in text
    assert "Emil Medarbejder" in text  # co-owner and participant


def test_the_rollout_page_offers_the_parts_with_their_number_of_plans(client, org, rollout, plans):
    page = client_for(client, org.users["employee"]).get(f"/planer/udrulninger/{rollout.pk}/").content.decode()
    assert "Region Test (4 planer)" in page and "Hospital A (2 planer)" in page and "Hospital B (1 plan)" in page
    assert "Afdeling A1 (1 plan)" in page
    assert "Afsnit A1a" not in page.split('name="enhed"')[1].split("</select>")[0]  # three levels down: not a part
    assert "Et dokument kan højst rumme 80 planer" in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # the unit filter's `enhed` and this form's have ids of their own


def test_a_part_with_more_plans_than_a_document_holds_is_refused_with_a_message(
    client, org, rollout, plans, monkeypatch
):
    monkeypatch.setattr(pdf, "PLANS_PER_DOCUMENT", 2)
    c, response = _post(client, org.users["koncern"], rollout, org.units["RT"])
    assert response.status_code == 302 and response["Location"] == f"/planer/udrulninger/{rollout.pk}/#alle-planer"
    assert not DocumentJob.objects.exists()
    page = c.get(response["Location"]).content.decode()
    assert (
        "Region Test har 4 planer, og et dokument kan højst rumme 2. "
        "Vælg en mindre del af organisationen: en enhed under den." in page
    )
    # A smaller part is made.
    c, response = _post(client, org.users["koncern"], rollout, org.units["A1"])
    assert DocumentJob.objects.filter(params__unit_id=org.units["A1"].pk).exists()


def test_no_part_a_part_without_plans_and_a_unit_outside_the_rollout_are_refused(client, org, rollout, plans):
    for unit, message in (
        (None, "Vælg en del af organisationen."),
        (org.units["HR"], "HR-afdeling har ingen planer at udskrive endnu."),
        (org.units["RA"], "Vælg en del af organisationen, som udrulningen dækker."),
    ):
        c, response = _post(client, org.users["koncern"], rollout, unit)
        assert response.status_code == 302
        assert message in c.get(response["Location"]).content.decode()
    assert not DocumentJob.objects.exists()


def test_the_service_refuses_a_unit_outside_the_scope(org, rollout, plans):
    with pytest.raises(ValidationError) as caught:
        services.rollout_plans_document_request(user=org.users["koncern"], rollout=rollout, unit=org.units["RA"])
    assert "enhed" in caught.value.message_dict


def test_the_builder_refuses_a_part_over_the_limit_too(org, rollout, plans, monkeypatch):
    """A job asked for before the limit was lowered fails with the message, not a huge file."""
    monkeypatch.setattr(pdf, "PLANS_PER_DOCUMENT", 2)
    with pytest.raises(ValidationError):
        pdf.build_rollout_plans(user=org.users["koncern"], rollout_id=rollout.pk, unit_id=org.units["RT"].pk)
    # Without a part (a job from before parts): the rollout's whole scope, under the same limit.
    with pytest.raises(ValidationError):
        pdf.build_rollout_plans(user=org.users["koncern"], rollout_id=rollout.pk)


def _queries(user, rollout, unit) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        document = pdf.build_rollout_plans(user=user, rollout_id=rollout.pk, unit_id=unit.pk)
    return len(captured), len(document.context["sections"])


def test_the_document_is_read_in_the_same_number_of_queries_for_one_plan_and_for_four(org, rollout, plans):
    user = org.users["koncern"]
    one, one_sections = _queries(user, rollout, org.units["B"])
    four, four_sections = _queries(user, rollout, org.units["RT"])
    assert (one_sections, four_sections) == (1, 4)
    assert one == four <= 14


def test_each_section_shows_its_own_plans_content(org, rollout, plans):
    document = pdf.build_rollout_plans(user=org.users["koncern"], rollout_id=rollout.pk, unit_id=org.units["A"].pk)
    by_unit = {s.plan.unit.name: s for s in document.context["sections"]}
    assert list(by_unit) == ["Hospital A", "Afdeling A1"]  # tree order
    a1 = by_unit["Afdeling A1"]
    assert a1.approval is not None and by_unit["Hospital A"].approval is None
    assert [row.text for row in a1.themes] == ["Vores ord for Afdeling A1"] * len(a1.themes)
    assert [a.title for a in a1.activities] == ["Dialog 0 i Afdeling A1", "Dialog 1 i Afdeling A1"]
    assert [p.name for p in a1.co_owners] == ["Emil Medarbejder"]
    assert len(a1.focus) == 2
