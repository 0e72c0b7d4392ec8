"""Issue 19, point 2: every part of the plan's framework can be chosen (Region Midtjylland's
three values and four balance areas as well as its strategispor; Region Nordjylland's four
directions and their principles), grouped as the framework groups them; the translation form
shows each theme's own text beside the field; theme titles read without a stray colon."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from dialogues import selectors, services
from ledelse.models import Person, User
from ledelse.services import unit_ensure
from values.models import Framework, Item

pytestmark = pytest.mark.django_db


def _plan_on(slug: str):
    """A draft plan of a unit in the framework's region, owned by the unit's leader."""
    framework = Framework.objects.select_related("current_version", "region").get(slug=slug)
    unit = unit_ensure(region=framework.region, name="Testafdeling")
    user = User.objects.create_user("testleder", password="x-test-password-123")
    Person.objects.create(user=user, name="Test Leder", employee_id="T1", unit=unit, is_leader=True)
    rollout = services.rollout_create(
        user=user,
        data=services.RolloutData(
            title="Udrulning",
            scope_unit=unit,
            framework_version=framework.current_version,
            starts_on=date(2026, 6, 4),
            deadline=date(2026, 12, 31),
        ),
    )
    return services.plan_create(user=user, rollout=rollout, unit=unit), user


@pytest.fixture
def shipped(db):
    call_command("load_frameworks", verbosity=0)


def _titles(group):
    return [i.heading for i in group.items]


def test_region_midtjyllands_values_balance_areas_and_strategispor_can_all_be_chosen(shipped):
    plan, _user = _plan_on("rm-god-ledelse-og-styring")
    groups = selectors.version_choice_groups(version_id=plan.framework_version.pk)
    by_label = {g.label: _titles(g) for g in groups}
    assert by_label["Værdibaseret ledelse, styring og samarbejde"] == ["Dialog", "Dygtighed", "Dristighed"]
    assert by_label["Forventninger til god ledelse og styring"] == [
        "Målopfyldelse",
        "Ordentlighed",
        "Nytænkning",
        "Bæredygtighed",
    ]
    patient = by_label["Et sundhedsvæsen på patientens præmisser"]
    assert patient[0] == "Et sundhedsvæsen på patientens præmisser" and len(patient) == 4  # the målbillede + 3 spor
    # Every theme and principle is offered once.
    version_parts = Item.objects.filter(version=plan.framework_version, kind__in=["theme", "principle"]).count()
    assert sum(len(g.items) for g in groups) == version_parts


def test_region_nordjyllands_four_directions_and_their_principles_are_grouped(shipped):
    plan, _user = _plan_on("rn-ledelsesgrundlaget")
    groups = selectors.version_choice_groups(version_id=plan.framework_version.pk)
    assert [g.label for g in groups] == ["Ledelse op", "Ledelse ned", "Ledelse på tværs", "Ledelse ind - af os selv"]
    assert _titles(groups[0]) == [
        "Ledelse op",
        "Vi praktiserer det dobbelte lederskab",
        "Vi er loyale overfor vores organisation",
        "Vi er bindeleddet mellem top og bund – mellem det store og det lille fællesskab",
    ]


def test_a_value_and_a_balance_area_are_chosen_in_focus_and_for_an_activity(shipped, client):
    plan, user = _plan_on("rm-god-ledelse-og-styring")
    dialog = Item.objects.get(version=plan.framework_version, kind="theme", title="Dialog")
    balance = Item.objects.get(version=plan.framework_version, kind="theme", title="Målopfyldelse:")
    client.force_login(user)
    response = client.post(
        reverse("dialogues:plan_translation_edit", args=[plan.pk]), {"focus_principles": [dialog.pk, balance.pk]}
    )
    assert response.status_code == 302
    assert set(plan.focus_principles.all()) == {dialog, balance}
    response = client.post(
        reverse("dialogues:activity_create", args=[plan.pk]),
        {
            "kind": "dialog_med",
            "title": "Dialog i MED",
            "responsible": plan.owner_id,
            "status": "planlagt",
            "principles": [dialog.pk],
        },
    )
    assert response.status_code == 302
    assert list(plan.activities.get().principles.all()) == [dialog]


def test_the_forms_group_the_parts_and_show_no_stray_colon(shipped, client):
    plan, user = _plan_on("rm-god-ledelse-og-styring")
    client.force_login(user)
    for url in (
        reverse("dialogues:plan_translation_edit", args=[plan.pk]),
        reverse("dialogues:activity_create", args=[plan.pk]),
    ):
        html = client.get(url).content.decode()
        assert '<legend class="h5">Forventninger til god ledelse og styring</legend>' in html, url
        assert "Målopfyldelse:" not in html, url
        assert ">Dristighed</label>" in html, url
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Målopfyldelse:" not in html and "Målopfyldelse" in html


def test_the_translation_form_shows_each_themes_own_text_beside_the_field(shipped, client):
    plan, user = _plan_on("rn-ledelsesgrundlaget")
    client.force_login(user)
    html = client.get(reverse("dialogues:plan_translation_edit", args=[plan.pk])).content.decode()
    op = Item.objects.get(version=plan.framework_version, kind="theme", title="Ledelse op")
    first_sentence = op.blocks()[0].text[:60]
    assert first_sentence in html
    assert html.index(first_sentence) < html.index(f'name="theme_{op.pk}"')
