"""Issue 19, point 1: copying another plan's translation never overwrites silently. Empty
themes are filled; a theme with text is shown side by side and the owner chooses; a text
that is replaced (by a copy or an edit) is kept in the theme's history, shown on the plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.models import PlanTranslationRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes(framework):
    return list(framework.current_version.items.filter(kind="theme").order_by("position"))


@pytest.fixture
def source(org, rollout, themes):
    """Hospital B's plan, with a text for both themes."""
    other = services.plan_create(user=org.users["leader3"], rollout=rollout, unit=org.units["B"])
    services.plan_translation_save(
        plan=other, texts={themes[0].pk: "Kirurgiens ord", themes[1].pk: "Kirurgiens andet"}, focus_principles=[]
    )
    return other


@pytest.fixture
def own_text(plan, themes):
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Vores egne ord"}, focus_principles=[])
    return plan


def _texts(plan):
    return dict(plan.translations.values_list("theme__position", "text"))


def test_the_issues_reproduction_copying_keeps_the_owners_own_text(org, client, own_text, source, themes):
    """leder2 copies another unit's translation into a draft with its own text: nothing is
    replaced before leder2 has chosen, theme by theme."""
    plan = own_text
    client.force_login(org.users["leader2"])
    response = client.post(reverse("dialogues:plan_translation_copy", args=[source.pk]), {"target": plan.pk})
    review = reverse("dialogues:plan_translation_copy_review", args=[plan.pk, source.pk])
    assert response.status_code == 302 and response["Location"] == review
    assert plan.translations.get(theme=themes[0]).text == "Vores egne ord"
    assert not plan.translations.filter(theme=themes[1]).exists()
    html = client.get(review).content.decode()
    assert "Vores egne ord" in html and "Kirurgiens ord" in html  # side by side
    # Keep one's own text: the empty theme is filled, the written one is left alone.
    response = client.post(review, {f"theme_{themes[0].pk}": "egen"})
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.translations.get(theme=themes[0]).text == "Vores egne ord"
    assert plan.translations.get(theme=themes[1]).text == "Kirurgiens andet"
    assert not PlanTranslationRevision.objects.exists()


def test_choosing_the_copy_keeps_the_replaced_text_in_the_themes_history(org, client, own_text, source, themes):
    plan = own_text
    client.force_login(org.users["leader2"])
    review = reverse("dialogues:plan_translation_copy_review", args=[plan.pk, source.pk])
    assert client.post(review, {f"theme_{themes[0].pk}": "kopi"}).status_code == 302
    assert plan.translations.get(theme=themes[0]).text == "Kirurgiens ord"
    revision = PlanTranslationRevision.objects.get()
    assert (revision.theme, revision.text, revision.reason, revision.source) == (
        themes[0],
        "Vores egne ord",
        "copied",
        source,
    )
    assert revision.actor_name == "Lars Leder To"
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Tidligere tekst (1)" in html and "Vores egne ord" in html and "ved kopi fra planen for Hospital B" in html


def test_the_service_never_overwrites_unless_told_which_themes(own_text, source, themes):
    copied = services.plan_translation_copy(source=source, target=own_text)
    assert copied == 1
    assert own_text.translations.get(theme=themes[0]).text == "Vores egne ord"
    assert own_text.translations.get(theme=themes[1]).text == "Kirurgiens andet"


def test_an_edit_keeps_the_replaced_text_too(org, own_text, themes):
    services.plan_translation_save(
        plan=own_text, texts={themes[0].pk: "Nye ord"}, focus_principles=[], user=org.users["leader2"]
    )
    revision = PlanTranslationRevision.objects.get()
    assert (revision.text, revision.reason, revision.actor_name) == ("Vores egne ord", "edited", "Lars Leder To")


def test_an_empty_plan_is_filled_at_once(org, client, plan, source, themes):
    client.force_login(org.users["leader2"])
    response = client.post(reverse("dialogues:plan_translation_copy", args=[source.pk]), {"target": plan.pk})
    assert response["Location"] == plan.get_absolute_url()
    assert plan.translations.count() == 2


@pytest.mark.parametrize("who", ["employee", "leader3", "hr"])
def test_the_choice_page_is_only_for_those_who_edit_the_target(org, client, own_text, source, themes, who):
    client.force_login(org.users[who])
    review = reverse("dialogues:plan_translation_copy_review", args=[own_text.pk, source.pk])
    assert client.get(review).status_code == 404
    assert client.post(review, {f"theme_{themes[0].pk}": "kopi"}).status_code == 404
    assert own_text.translations.get(theme=themes[0]).text == "Vores egne ord"


def test_the_choice_page_needs_sign_in_and_the_region(org, client, own_text, source, themes):
    review = reverse("dialogues:plan_translation_copy_review", args=[own_text.pk, source.pk])
    response = client.post(review, {f"theme_{themes[0].pk}": "kopi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(org.users["outsider"])
    assert client.post(review, {f"theme_{themes[0].pk}": "kopi"}).status_code == 404
    assert own_text.translations.get(theme=themes[0]).text == "Vores egne ord"


def test_a_bad_choice_is_refused_and_nothing_is_copied(org, client, own_text, source, themes):
    client.force_login(org.users["leader2"])
    review = reverse("dialogues:plan_translation_copy_review", args=[own_text.pk, source.pk])
    response = client.post(review, {f"theme_{themes[0].pk}": "begge"})
    assert response.status_code == 200
    assert _texts(own_text) == {themes[0].position: "Vores egne ord"}


def test_copying_identical_text_says_nothing_was_copied(org, client, plan, themes):
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Samme ord"}, focus_principles=[])
    other = services.plan_create(user=org.users["leader3"], rollout=plan.rollout, unit=org.units["B"])
    services.plan_translation_save(plan=other, texts={themes[0].pk: "Samme ord"}, focus_principles=[])
    client.force_login(org.users["leader2"])
    response = client.post(
        reverse("dialogues:plan_translation_copy", args=[other.pk]), {"target": plan.pk}, follow=True
    )
    assert "Intet er kopieret: din plan beholder sin egen tekst i alle temaer." in response.content.decode()
    assert "0 temaer" not in response.content.decode()


def test_an_earlier_text_is_taken_back_from_the_history(org, client, own_text, source, themes):
    services.plan_translation_copy(source=source, target=own_text, replace=[themes[0].pk], user=org.users["leader2"])
    revision = PlanTranslationRevision.objects.get()
    url = reverse("dialogues:plan_translation_restore", args=[own_text.pk, revision.pk])
    client.force_login(org.users["leader2"])
    assert url in client.get(own_text.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 302
    assert own_text.translations.get(theme=themes[0]).text == "Vores egne ord"
    # The copied text it replaced is kept in turn.
    assert PlanTranslationRevision.objects.filter(text="Kirurgiens ord").exists()


@pytest.mark.parametrize("who", ["employee", "leader3"])
def test_only_those_who_edit_take_an_earlier_text_back(org, client, own_text, source, themes, who):
    services.plan_translation_copy(source=source, target=own_text, replace=[themes[0].pk])
    revision = PlanTranslationRevision.objects.get()
    url = reverse("dialogues:plan_translation_restore", args=[own_text.pk, revision.pk])
    client.force_login(org.users[who])
    assert client.post(url).status_code == 403
    client.logout()
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(org.users["outsider"])
    assert client.post(url).status_code == 404
    assert own_text.translations.get(theme=themes[0]).text == "Kirurgiens ord"
